"""Private, authenticated caches on disk: what is read back is what this user's derive wrote.

Every entry is sealed with an HMAC under a random key kept in the cache
directory (0600 in a 0700 directory), so an entry edited by hand, copied from
elsewhere or written by another user fails authentication and is ignored.
Only regular files owned by the user are opened (never a FIFO or a symlink),
with a size limit. A directory that others may write to, or that someone else
owns, is not used at all; the reason is kept in ``NOTES`` for the CLI to say
once. Nothing here imports SymPy: a warm ``derive check`` reads verdicts only.
"""

from __future__ import annotations

import hashlib
import hmac
import json
import os
import secrets
import stat
import sys
from contextlib import contextmanager
from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent
MAX_ENTRY = 16 * 2**20          # bytes; a bigger file is not a cache entry of ours
FORMAT = 2                      # of verdict entries (1 stored terminal lines, unsealed)
NOTES: list[str] = []           # why a cache was not used, said once by the CLI
_bypass = [False]


def disabled() -> bool:
    """True under ``DERIVE_NO_CACHE=1`` or inside ``bypassed()`` (``--no-cache``)."""
    return _bypass[0] or os.environ.get("DERIVE_NO_CACHE", "") not in ("", "0")


@contextmanager
def bypassed(on: bool = True):
    """Turn every cache off (verdicts and LaTeX readings) for the body."""
    before = _bypass[0]
    _bypass[0] = before or on
    try:
        yield
    finally:
        _bypass[0] = before


def _note(message: str) -> None:
    if message not in NOTES:
        NOTES.append(message)


def cache_dir() -> Path | None:
    """Where caches live, or None when no safe absolute place is known."""
    if os.environ.get("DERIVE_CACHE_DIR"):
        base = Path(os.environ["DERIVE_CACHE_DIR"])
        return base if base.is_absolute() else Path.cwd() / base
    xdg = os.environ.get("XDG_CACHE_HOME", "")
    if os.path.isabs(xdg):       # the XDG spec: a relative value is ignored
        return Path(xdg) / "derive"
    home = os.environ.get("HOME", "")
    if not os.path.isabs(home) or home.rstrip("/") == "":
        try:
            import pwd
            home = pwd.getpwuid(os.getuid()).pw_dir
        except (ImportError, KeyError):
            home = ""
    if not os.path.isabs(home) or home.rstrip("/") == "":
        # HOME='' would otherwise put the cache at /.cache, shared by everyone.
        _note("no home directory to keep a cache in; checking without one")
        return None
    return Path(home) / ".cache" / "derive"


def private_dir() -> Path | None:
    """The cache directory, created 0700; None (with a note) when it is not safe to use."""
    if disabled():
        return None
    path = cache_dir()
    if path is None:
        return None
    try:
        path.mkdir(mode=0o700, parents=True, exist_ok=True)
        st = os.stat(path)
    except OSError as exc:
        _note(f"cannot use the cache directory {path}: {exc.strerror}")
        return None
    if not stat.S_ISDIR(st.st_mode):
        _note(f"the cache directory {path} is not a directory; not using it")
        return None
    if hasattr(os, "getuid") and st.st_uid != os.getuid():
        _note(f"the cache directory {path} belongs to another user; not using it")
        return None
    if st.st_mode & 0o022:
        _note(f"the cache directory {path} is writable by others; not using it "
              f"(chmod 700 it to use it again)")
        return None
    return path


def read_regular(path: Path, limit: int = MAX_ENTRY) -> bytes | None:
    """The bytes of ``path`` if it is a regular file this user owns, else None.

    Opened without following a symlink and without blocking, so a FIFO or a
    device planted in the cache is seen for what it is and never waited on.
    """
    flags = os.O_RDONLY | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_NONBLOCK", 0) \
        | getattr(os, "O_CLOEXEC", 0)
    try:
        fd = os.open(path, flags)
    except (OSError, ValueError):
        return None
    try:
        st = os.fstat(fd)
        if not stat.S_ISREG(st.st_mode) or st.st_size > limit:
            return None
        if hasattr(os, "getuid") and st.st_uid != os.getuid():
            return None
        chunks, size = [], 0
        while True:
            chunk = os.read(fd, 1 << 20)
            if not chunk:
                break
            size += len(chunk)
            if size > limit:
                return None
            chunks.append(chunk)
        return b"".join(chunks)
    except OSError:
        return None
    finally:
        os.close(fd)


def _secret(directory: Path) -> bytes | None:
    """This user's random key for sealing entries, created on first use (0600)."""
    path = directory / "key"
    raw = read_regular(path, 1024)
    if raw is not None and len(raw) == 64 and os.stat(path).st_mode & 0o077 == 0:
        try:
            return bytes.fromhex(raw.decode("ascii"))
        except ValueError:
            pass
    key = secrets.token_bytes(32)
    tmp = directory / f".key.{os.getpid()}.{secrets.token_hex(4)}"
    try:
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        with os.fdopen(fd, "w") as fh:
            fh.write(key.hex())
        # A key someone else could read is replaced; entries sealed with it are ignored.
        os.replace(tmp, path)
    except OSError:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        return None
    return key


class Sealed:
    """Sealed files in the private cache directory: ``mac\\n`` then the data."""

    def __init__(self, directory: Path | None = None):
        self.directory = directory if directory is not None else private_dir()
        self._key = None

    @property
    def usable(self) -> bool:
        return self.directory is not None and not disabled()

    def _mac(self, name: str, data: bytes) -> bytes | None:
        if self._key is None and self.directory is not None:
            self._key = _secret(self.directory)
        if self._key is None:
            return None
        # The file's name is under the MAC too: an entry moved to another key is refused.
        return hmac.new(self._key, name.encode() + b"\0" + data, hashlib.sha256).hexdigest().encode()

    def read(self, name: str) -> bytes | None:
        if not self.usable:
            return None
        raw = read_regular(self.directory / name)
        if raw is None or b"\n" not in raw:
            return None
        mac, data = raw.split(b"\n", 1)
        expected = self._mac(name, data)
        if expected is None or not hmac.compare_digest(mac, expected):
            return None
        return data

    def write(self, name: str, data: bytes) -> None:
        if not self.usable:
            return
        mac = self._mac(name, data)
        if mac is None:
            return
        from .tex import atomic_write
        try:
            atomic_write(self.directory / name, mac + b"\n" + data, mode=0o600)
        except OSError:
            pass       # a cache that cannot be written is only slower


def _engine_fingerprint() -> str:
    """Every source file of the engine and the versions of what it computes with."""
    h = hashlib.sha256()
    for path in sorted(_PACKAGE.rglob("*.py")):
        h.update(str(path.relative_to(_PACKAGE)).encode())
        h.update(path.read_bytes())
    for dist, version in _versions(("sympy", "mpmath", "latex2sympy2_extended",
                                    "antlr4-python3-runtime")).items():
        h.update(f"{dist}={version}".encode())
    return h.hexdigest()


def _versions(dists) -> dict:
    """{distribution: installed version or "?"}, read off the ``NAME-VERSION.dist-info``
    (or ``.egg-info``) entries on sys.path (the first one found, as imports resolve): a warm run's whole
    budget is ~0.2 s, and importlib.metadata alone costs 25-40 ms to import (email,
    socket). A distribution installed another way is asked of importlib.metadata."""
    wanted = {d.lower().replace("-", "_"): d for d in dists}
    found = {}
    for entry in sys.path:
        try:
            names = os.listdir(entry or ".")
        except OSError:
            continue
        for name in names:
            # NAME-VERSION.dist-info (pip), NAME-VERSION[-pyX.Y].egg-info (setup.py, Debian)
            stem = next((name[:-len(x)] for x in (".dist-info", ".egg-info") if name.endswith(x)), "")
            if "-" in stem:
                project, version = stem.split("-")[:2]
                dist = wanted.get(project.lower().replace("-", "_").replace(".", "_"))
                if dist is not None and dist not in found:
                    found[dist] = version
        if len(found) == len(wanted):
            break
    missing = [d for d in dists if d not in found]
    if missing:
        from importlib import metadata
        for dist in missing:
            try:
                found[dist] = metadata.version(dist)
            except metadata.PackageNotFoundError:
                found[dist] = "?"
    return {d: found[d] for d in dists}


class VerdictCache:
    """One sealed entry per source file: the verdicts checked for exactly these bytes."""

    def __init__(self, directory: Path | None = None):
        self.store = Sealed(directory)
        self._engine = None

    @property
    def usable(self) -> bool:
        return self.store.usable

    def key(self, source: Path, data: bytes) -> str:
        """The entry for ``data``, the bytes that were read and checked (not the file now)."""
        if self._engine is None:
            self._engine = _engine_fingerprint()
        h = hashlib.sha256(self._engine.encode())
        # fsencode: a file name that is not UTF-8 still has bytes to hash.
        h.update(os.fsencode(str(source.resolve())) + b"\0")
        h.update(data)
        return h.hexdigest()

    def get(self, key: str):
        """The stored entry (a dict) or None; the caller validates its shape."""
        data = self.store.read(f"{key}.json")
        if data is None:
            return None
        try:
            entry = json.loads(data.decode("utf-8"))
        except (ValueError, RecursionError):
            return None
        return entry if isinstance(entry, dict) and entry.get("format") == FORMAT else None

    def put(self, key: str, entry: dict) -> None:
        self.store.write(f"{key}.json", json.dumps(dict(entry, format=FORMAT)).encode("utf-8"))
