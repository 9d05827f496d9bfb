"""`derive serve`'s guard: Host and Origin on every request, files only under its directory."""

from __future__ import annotations

import os

import pytest
from starlette.testclient import TestClient
from starlette.websockets import WebSocketDisconnect

from derive.serve import allowed_hosts
from derive.serve.app import create_app
from derive.serve.files import Files, Refused

HOST = "127.0.0.1:8123"
ORIGIN = f"http://{HOST}"
GOOD = "---\nsymbols:\n  - x \\in \\mathbb{R}\n---\n\n$$\n(x+1)^2 = x^2 + 2x + 1  % algebra\n$$\n"


@pytest.fixture()
def served(tmp_path):
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "a.md").write_text(GOOD)
    (root / "sub" / "b.md").write_text(GOOD)
    (root / "notes.py").write_text("print('not a derivation')")
    outside = tmp_path / "outside.md"
    outside.write_text("secret")
    (root / "link.md").symlink_to(outside)
    (root / "linked-dir").symlink_to(tmp_path)
    # No `with`: the lifespan (the checking process) is not started for these tests.
    client = TestClient(create_app(root, allowed_hosts("127.0.0.1", 8123)),
                        base_url=f"http://{HOST}")
    return root, outside, client


def test_the_loopback_names_are_the_allowed_hosts():
    assert allowed_hosts("127.0.0.1", 8000) == ["127.0.0.1:8000", "localhost:8000", "[::1]:8000"]
    assert allowed_hosts("10.0.0.5", 9000) == ["10.0.0.5:9000"]


@pytest.mark.parametrize("method, url", [("GET", "/"), ("GET", "/api/files"),
                                         ("GET", "/api/file?path=a.md"),
                                         ("GET", "/static/app.js"), ("PUT", "/api/file")])
@pytest.mark.parametrize("headers, refused", [
    ({"Host": "evil.example:8123"}, "refused: Host 'evil.example:8123' is not this server"),
    ({"Host": "127.0.0.1:9999"}, "refused: Host '127.0.0.1:9999' is not this server"),
    ({"Origin": "http://evil.example"}, "refused: Origin 'http://evil.example' is not this server"),
    ({"Origin": "null"}, "refused: Origin 'null' is not this server"),
    ({"Origin": "http://127.0.0.1:9999"}, "refused: Origin 'http://127.0.0.1:9999' is not this server"),
])
def test_another_host_or_origin_is_refused(served, method, url, headers, refused):
    root, _, client = served
    response = client.request(method, url, headers=headers,
                              json={"path": "a.md", "text": "overwritten"} if method == "PUT" else None)
    assert (response.status_code, response.text) == (403, refused)
    assert (root / "a.md").read_text() == GOOD


@pytest.mark.parametrize("headers", [{}, {"Origin": ORIGIN}, {"Host": "localhost:8123"}])
def test_this_servers_own_page_is_served(served, headers):
    _, _, client = served
    response = client.get("/", headers=headers)
    assert response.status_code == 200 and "<textarea" in response.text
    assert "script-src 'self'" in response.headers["content-security-policy"]
    assert "frame-ancestors 'none'" in response.headers["content-security-policy"]


@pytest.mark.parametrize("host, headers, reason", [
    (HOST, {"Origin": "http://evil.example"}, "refused: Origin 'http://evil.example' is not this server"),
    (HOST, {}, "refused: a WebSocket without Origin"),
    ("evil.example:8123", {"Origin": "http://evil.example:8123"},
     "refused: Host 'evil.example:8123' is not this server"),
])
def test_a_websocket_from_another_origin_or_none_is_refused(served, host, headers, reason):
    _, _, client = served
    with pytest.raises(WebSocketDisconnect) as refused:
        with client.websocket_connect(f"ws://{host}/live", headers=headers):
            pass
    assert (refused.value.code, refused.value.reason) == (1008, reason)


@pytest.mark.parametrize("path, message", [
    ("../outside.md", "only paths inside the served directory, without '..'"),
    ("sub/../../outside.md", "only paths inside the served directory, without '..'"),
    ("sub/../a.md", "only paths inside the served directory, without '..'"),
    ("/etc/passwd.md", "only paths inside the served directory, without '..'"),
    ("link.md", "a symbolic link; only plain files are served"),
    ("linked-dir/outside.md", "a symbolic link; only plain files are served"),
    ("notes.py", "only derivation files (.md, .markdown, .tex)"),
    ("sub\\b.md", "not a file name"),
    ("missing.md", "no such file"),
    ("sub", "only derivation files"),
])
def test_reading_outside_the_directory_or_through_a_link_is_refused(served, path, message):
    _, _, client = served
    response = client.get("/api/file", params={"path": path}, headers={"Origin": ORIGIN})
    assert response.status_code == 400 and message in response.json()["error"]
    assert "secret" not in response.text


@pytest.mark.parametrize("path", ["../outside.md", "link.md", "linked-dir/outside.md",
                                  "nowhere/new.md", "notes.py"])
def test_writing_outside_the_directory_or_through_a_link_is_refused(served, path):
    root, outside, client = served
    response = client.put("/api/file", json={"path": path, "text": "pwned"},
                          headers={"Origin": ORIGIN})
    assert response.status_code == 400
    assert outside.read_text() == "secret" and "pwned" not in (root / "notes.py").read_text()


def test_a_file_is_read_listed_and_saved_in_place(served):
    root, _, client = served
    assert client.get("/api/files").json()["files"] == ["a.md", "sub/b.md"]
    assert client.get("/api/file", params={"path": "sub/b.md"}).json()["text"] == GOOD
    saved = client.put("/api/file", json={"path": "sub/b.md", "text": GOOD + "\nMore.\n"},
                       headers={"Origin": ORIGIN})
    assert saved.json() == {"saved": "sub/b.md"}
    assert (root / "sub" / "b.md").read_text() == GOOD + "\nMore.\n"
    assert sorted(os.listdir(root / "sub")) == ["b.md"]          # no temporary file left
    new = client.put("/api/file", json={"path": "c.md", "text": GOOD}, headers={"Origin": ORIGIN})
    assert new.status_code == 200 and (root / "c.md").read_text() == GOOD


def test_files_refuses_in_the_library_too(tmp_path):
    files = Files(tmp_path)
    with pytest.raises(Refused, match=r"^\.\./x\.md: only paths inside"):
        files.write("../x.md", "x")
    with pytest.raises(Refused, match="larger than"):
        files.write("big.md", "x" * 1_000_001)
