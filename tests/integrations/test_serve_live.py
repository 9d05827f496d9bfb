"""`derive serve`'s live checks over its WebSocket, with the real checking process behind it."""

from __future__ import annotations

import time

import pytest
from starlette.testclient import TestClient

from derive.serve import allowed_hosts
from derive.serve.app import create_app

pytestmark = pytest.mark.slow

HOST = "127.0.0.1:8124"
ORIGIN = {"Origin": f"http://{HOST}"}
HEAD = "---\nsymbols:\n  - x, y \\in \\mathbb{R}\n---\n\n"
RIGHT = HEAD + "$$\n(x + 1)^2 = x^2 + 2 x + 1   % algebra\n$$\n"
WRONG = HEAD + "$$\n(x + 1)^2 = x^2 + 1   % algebra\n$$\n"


def many_steps(n: int) -> str:
    return HEAD + "".join(f"$$\n(x + {k} y)^3 = x^3 + {3 * k} x^2 y + {3 * k * k} x y^2 + "
                          f"{k ** 3} y^3   % algebra\n$$\n" for k in range(1, n + 1))


@pytest.fixture(scope="module")
def client(tmp_path_factory):
    root = tmp_path_factory.mktemp("served")
    (root / "a.md").write_text(RIGHT)
    with TestClient(create_app(root, allowed_hosts("127.0.0.1", 8124)),
                    base_url=f"http://{HOST}") as c:
        yield c


def answers(ws, seq: int, last=("done", "error", "failure", "superseded")) -> list:
    """Messages until the last one for ``seq`` (earlier sequences' messages included)."""
    got = []
    while True:
        msg = ws.receive_json()
        got.append(msg)
        if msg["seq"] == seq and msg["type"] in last:
            return got


def verdicts(messages) -> dict:
    out = {}
    for m in messages:
        if m["type"] == "verdicts":
            out.update({int(k): v for k, v in m.items() if k not in ("type", "seq")})
    return out


def test_a_wrong_step_comes_back_failed_with_its_line_and_counterexample(client):
    with client.websocket_connect(f"ws://{HOST}/live", headers=ORIGIN) as ws:
        ws.send_json({"seq": 1, "path": "a.md", "text": WRONG})
        got = answers(ws, 1)
        steps = next(m for m in got if m["type"] == "steps")["steps"]
        assert [(s["index"], s["line"], s["tex"]) for s in steps] == [(1, 7, "(x + 1)^2 = x^2 + 1")]
        v = verdicts(got)[1]
        assert (v["status"], v["mark"]) == ("failed", "✗")
        assert set(v["counterexample"]) >= {"x", "lhs", "rhs"}
        assert got[-1]["type"] == "done" and got[-1]["counts"] == {"failed": 1}

        ws.send_json({"seq": 2, "path": "a.md", "text": RIGHT})
        got = answers(ws, 2)
        assert verdicts(got)[1]["status"] == "proved"
        ws.send_json({"seq": 3, "path": "a.md", "text": WRONG})          # seen before: recalled
        got = answers(ws, 3)
        assert verdicts(got)[1]["cached"] is True and got[-1]["rechecked"] == 0


def test_unreadable_text_is_an_error_at_its_line(client):
    with client.websocket_connect(f"ws://{HOST}/live", headers=ORIGIN) as ws:
        ws.send_json({"seq": 1, "path": "a.md", "text": RIGHT.replace("% algebra", "% algebr")})
        (msg,) = answers(ws, 1)
        assert msg["type"] == "error" and (msg["line"], msg["column"]) == (7, 31)
        assert "unknown justification `algebr`" in msg["message"]


def test_a_newer_text_supersedes_the_one_being_checked(client):
    with client.websocket_connect(f"ws://{HOST}/live", headers=ORIGIN) as ws:
        ws.send_json({"seq": 1, "path": "a.md", "text": many_steps(40)})
        ws.send_json({"seq": 2, "path": "a.md", "text": WRONG})
        got = answers(ws, 2)
        finals = {m["seq"]: m["type"] for m in got if m["type"] in ("done", "superseded")}
        assert finals == {1: "superseded", 2: "done"}
        assert verdicts([m for m in got if m["seq"] == 2])[1]["status"] == "failed"


def test_the_server_answers_while_a_heavy_step_is_checked(client):
    """A number too large to work with: the step's CPU budget ends it (unknown), and the
    server goes on answering meanwhile (the checking runs in its own process)."""
    heavy = HEAD + "$$\n10^{10^{10}} = 10^{10^{10}}   % algebra\n$$\n"
    with client.websocket_connect(f"ws://{HOST}/live", headers=ORIGIN) as ws:
        ws.send_json({"seq": 1, "path": "a.md", "text": heavy})
        assert ws.receive_json()["type"] == "steps"            # now the step is being checked
        start = time.monotonic()
        assert client.get("/api/files").json()["files"] == ["a.md"]
        assert time.monotonic() - start < 1.0
        got = answers(ws, 1)
        assert got[-1]["type"] == "done" and got[-1]["counts"] == {"unknown": 1}
        assert "took over" in verdicts(got)[1]["reason"]


@pytest.mark.parametrize("message, said", [
    ({"seq": 1, "path": "../x.md", "text": RIGHT}, "only paths inside the served directory"),
    ({"seq": 1, "path": "a.py", "text": RIGHT}, "only derivation files"),
    ({"seq": "x", "path": "a.md"}, "expected {seq, path, text}"),
])
def test_a_bad_message_is_refused(client, message, said):
    with client.websocket_connect(f"ws://{HOST}/live", headers=ORIGIN) as ws:
        ws.send_json(message)
        msg = ws.receive_json()
        assert msg["type"] == "failure" and said in msg["message"]
