"""`derive serve`: a local editor in the browser with live marks (127.0.0.1 by default)."""

from __future__ import annotations

import socket
from pathlib import Path

LOOPBACK = ("127.0.0.1", "localhost", "::1")


def allowed_hosts(host: str, port: int) -> list:
    """The Host header values a browser sends for this server (loopback has three names)."""
    names = LOOPBACK if host in LOOPBACK else (host,)
    return [f"[{n}]:{port}" if ":" in n else f"{n}:{port}" for n in names]


def bind(host: str, port: int) -> socket.socket:
    """A listening socket (port 0: any free port); the URL is known before serving."""
    family = socket.AF_INET6 if ":" in host else socket.AF_INET
    sock = socket.socket(family, socket.SOCK_STREAM)
    sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
    sock.bind((host, port))
    sock.listen(64)
    return sock


def run(root: Path, host: str = "127.0.0.1", port: int = 8000, file: str | None = None,
        echo=print, ready=None) -> int:
    """Serve ``root`` until Ctrl-C; ``ready(url)`` is called once the socket listens."""
    import asyncio

    import uvicorn
    from .app import create_app
    from .files import Files
    if file is not None:
        Files(root).path(file)              # Refused: said before anything starts
    sock = bind(host, port)
    port = sock.getsockname()[1]
    hosts = allowed_hosts(host, port)
    app = create_app(root, hosts, file)
    url = f"http://{hosts[0]}/"
    echo(f"derive serve: {url} (files under {Path(root).resolve()}; Ctrl-C stops)")
    if ready is not None:
        ready(url)
    config = uvicorn.Config(app, log_level="warning", ws="auto", ws_max_size=2_000_000,
                            server_header=False, date_header=False, lifespan="on")
    server = uvicorn.Server(config)
    try:
        asyncio.run(server.serve(sockets=[sock]))
    except KeyboardInterrupt:
        pass
    finally:
        sock.close()
    return 0
