"""`derive serve`'s web application: the page, its files, and a WebSocket for live checks.

Every request must name this server in Host (a DNS-rebinding page names its
own) and, when it carries an Origin (browsers send one with every WebSocket,
PUT and cross-site request), this server's origin: a page on another site can
neither read files, write them nor drive the checker. Files are confined to
the start directory (serve/files.py); the page is static and never holds user
text in its HTML; nothing runs but the checker.
"""

from __future__ import annotations

import contextlib
import json
from pathlib import Path

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, PlainTextResponse, Response
from starlette.routing import Mount, Route, WebSocketRoute
from starlette.staticfiles import StaticFiles
from starlette.websockets import WebSocket, WebSocketDisconnect

from .checker import Checker
from .files import Files, Refused

STATIC = Path(__file__).resolve().parent / "static"
MAX_MESSAGE = 1_100_000
CSP = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
       "font-src 'self'; img-src 'self' data:; connect-src 'self'; base-uri 'none'; "
       "form-action 'none'; frame-ancestors 'none'")


class Guard:
    """ASGI middleware: Host and Origin checked on every request and WebSocket."""

    def __init__(self, app, hosts):
        self.app, self.hosts = app, set(hosts)

    async def __call__(self, scope, receive, send):
        if scope["type"] not in ("http", "websocket"):
            return await self.app(scope, receive, send)
        headers = {k.decode("latin-1").lower(): v.decode("latin-1") for k, v in scope["headers"]}
        problem = self.problem(scope["type"], headers)
        if problem is None:
            return await self.app(scope, receive, send)
        if scope["type"] == "websocket":
            await receive()                                  # the connect event
            await send({"type": "websocket.close", "code": 1008, "reason": problem})
            return
        await PlainTextResponse(problem, status_code=403)(scope, receive, send)

    def problem(self, kind: str, headers: dict) -> str | None:
        host = headers.get("host", "")
        if host not in self.hosts:
            return f"refused: Host {host!r} is not this server"
        origin = headers.get("origin")
        if origin is None:
            # A browser always sends Origin on a WebSocket; only a plain page load may omit it.
            return "refused: a WebSocket without Origin" if kind == "websocket" else None
        if origin.removeprefix("http://") not in self.hosts:
            return f"refused: Origin {origin!r} is not this server"
        return None


def _secure(response: Response) -> Response:
    response.headers["Content-Security-Policy"] = CSP
    response.headers["X-Content-Type-Options"] = "nosniff"
    response.headers["Referrer-Policy"] = "no-referrer"
    response.headers["Cache-Control"] = "no-store"
    return response


def create_app(root: Path, hosts, start_file: str | None = None) -> Starlette:
    """The application serving ``root``; ``hosts`` are the Host values it answers to."""
    files = Files(root)
    checker = Checker()

    async def index(request: Request):
        return _secure(FileResponse(STATIC / "index.html", media_type="text/html"))

    async def listing(request: Request):
        return _secure(JSONResponse({"files": files.listing(), "start": start_file}))

    async def file(request: Request):
        try:
            if request.method == "GET":
                name = request.query_params.get("path", "")
                return _secure(JSONResponse({"path": name, "text": files.read(name)}))
            body = await request.body()
            if len(body) > MAX_MESSAGE:
                raise Refused("too large")
            data = json.loads(body)
            if request.headers.get("content-type", "").split(";")[0] != "application/json" \
                    or not isinstance(data, dict) or not isinstance(data.get("text"), str):
                raise Refused("expected JSON {path, text}")
            files.write(data.get("path"), data["text"])
            return _secure(JSONResponse({"saved": data["path"]}))
        except Refused as exc:
            return _secure(JSONResponse({"error": str(exc)}, status_code=400))
        except (ValueError, OSError) as exc:
            return _secure(JSONResponse({"error": f"cannot do that: {exc}"}, status_code=400))

    async def live(ws: WebSocket):
        await ws.accept()
        client = object()

        async def send(kind, seq, data):
            with contextlib.suppress(Exception):            # the page may have gone
                await ws.send_text(json.dumps({"type": kind, "seq": seq, **data}))

        try:
            while True:
                raw = await ws.receive_text()
                if len(raw) > MAX_MESSAGE:
                    await send("failure", 0, {"message": "the text is too large"})
                    continue
                try:
                    msg = json.loads(raw)
                    seq, name, text = int(msg["seq"]), msg["path"], msg["text"]
                    files.path(name, must_exist=False)      # only a name it could save
                    if not isinstance(text, str):
                        raise ValueError
                except Refused as exc:
                    await send("failure", 0, {"message": str(exc)})
                    continue
                except (ValueError, KeyError, TypeError):
                    await send("failure", 0, {"message": "expected {seq, path, text}"})
                    continue
                checker.submit(client, seq, name, text, send)
        except WebSocketDisconnect:
            pass
        finally:
            checker.forget(client)

    @contextlib.asynccontextmanager
    async def lifespan(app):
        checker.start()
        try:
            yield
        finally:
            checker.stop()

    app = Starlette(routes=[
        Route("/", index),
        Route("/api/files", listing),
        Route("/api/file", file, methods=["GET", "PUT"]),
        WebSocketRoute("/live", live),
        Mount("/static", app=StaticFiles(directory=STATIC), name="static"),
    ], lifespan=lifespan)
    app.add_middleware(Guard, hosts=hosts)
    return app
