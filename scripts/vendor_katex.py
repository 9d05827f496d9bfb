"""Copy KaTeX from its npm tarball into derive/serve/static/katex/ (run by hand to update it).

    python scripts/vendor_katex.py

`npm pack` fetches the pinned version, its sha512 is compared with the one
pinned here (npm's `dist.integrity`), and only what the page loads is kept:
katex.min.js, katex.min.css, the woff2 fonts (every browser that runs the
page reads woff2; the CSS's woff/ttf fallbacks are never requested) and the
licence. The copy is committed, so `pip install .` needs no npm and the page
needs no network.
"""

from __future__ import annotations

import base64
import hashlib
import shutil
import subprocess
import sys
import tarfile
import tempfile
from pathlib import Path

VERSION = "0.19.1"
INTEGRITY = "sha512-jG8uKntjSEcm2EpQOh0XturpPuuC9r3Sq5HLHdsFdWZT27E672SF19QEi+of0/YeOy15lDgRhKvr5614uRrEfA=="
TARGET = Path(__file__).resolve().parent.parent / "derive" / "serve" / "static" / "katex"
KEEP = ("package/LICENSE", "package/dist/katex.min.js", "package/dist/katex.min.css")


def main() -> int:
    with tempfile.TemporaryDirectory() as tmp:
        subprocess.run(["npm", "pack", f"katex@{VERSION}", "--silent"], cwd=tmp, check=True,
                       stdout=subprocess.DEVNULL)
        tarball = Path(tmp) / f"katex-{VERSION}.tgz"
        digest = "sha512-" + base64.b64encode(hashlib.sha512(tarball.read_bytes()).digest()).decode()
        if digest != INTEGRITY:
            print(f"katex-{VERSION}.tgz: sha512 {digest} is not the pinned {INTEGRITY}",
                  file=sys.stderr)
            return 1
        if TARGET.exists():
            shutil.rmtree(TARGET)
        (TARGET / "fonts").mkdir(parents=True)
        with tarfile.open(tarball) as tar:
            for member in tar.getmembers():
                name = member.name
                font = name.startswith("package/dist/fonts/") and name.endswith(".woff2")
                if not member.isfile() or not (name in KEEP or font):
                    continue
                out = TARGET / ("fonts" if font else "") / Path(name).name
                out.write_bytes(tar.extractfile(member).read())
    (TARGET / "VERSION").write_text(f"katex {VERSION} from npm, {INTEGRITY}\n", encoding="utf-8")
    print(f"wrote {TARGET} (katex {VERSION})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
