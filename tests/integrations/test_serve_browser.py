"""`derive serve` in a real browser: Debian's headless Chromium driven by Selenium.

Type a wrong step: ✗ in the gutter at its line and the counterexample beside it; fix it: ✓.
A screenshot is left for a person to look at (its path is printed at the end of the run).
"""

from __future__ import annotations

import os
import re
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
CHROMIUM, DRIVER = shutil.which("chromium"), shutil.which("chromedriver")

pytestmark = pytest.mark.slow

START = r"""---
title: Squares
symbols:
  - x, y \in \mathbb{R}
---

## (a) Expanding

$$
(x + y)^2 = x^2 + 2 x y + y^2   % algebra
$$
"""
WRONG = "(x - y)^2 = x^2 + y^2   % algebra: a slip"          # typed on line 14
RIGHT_SIDE = "x^2 - 2 x y + y^2"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    root = tmp_path_factory.mktemp("serve")
    (root / "squares.md").write_text(START, encoding="utf-8")
    proc = subprocess.Popen([sys.executable, str(ROOT / "cli.py"), "serve", "squares.md",
                             "--port", "0"], cwd=root, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True)
    line = proc.stdout.readline()
    url = re.search(r"http://\S+/", line)
    assert url, (line, proc.stderr.read() if proc.poll() is not None else "")
    yield root, url.group(0), proc
    if proc.poll() is None:
        proc.send_signal(signal.SIGINT)
        proc.wait(timeout=20)


@pytest.fixture(scope="module")
def browser():
    if not (CHROMIUM and DRIVER):
        message = "needs Debian's chromium and chromium-driver (apt-get install chromium chromium-driver)"
        pytest.fail(message) if os.environ.get("CI") else pytest.skip(message)
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for arg in ("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                "--window-size=1400,800", "--no-first-run", "--disable-extensions"):
        options.add_argument(arg)
    driver = webdriver.Chrome(service=Service(DRIVER), options=options)
    yield driver
    driver.quit()


def wait_for(driver, script: str, timeout: float = 60.0):
    """The value of ``script`` once it is truthy."""
    from selenium.common.exceptions import TimeoutException
    from selenium.webdriver.support.ui import WebDriverWait
    try:
        return WebDriverWait(driver, timeout, poll_frequency=0.1).until(
            lambda d: d.execute_script(script))
    except TimeoutException:
        status = driver.execute_script("return document.getElementById('status').textContent;")
        raise AssertionError(f"waited {timeout:g} s for {script!r}; the page says {status!r}; "
                             f"console: {driver.get_log('browser')}") from None


def mark_is(line: int, expected: str) -> str:
    """A script true once the gutter at ``line`` shows ``expected`` ('failed ✗')."""
    return f"""const m = document.querySelector('#gutter .mark[data-line="{line}"]');
               return !!m && m.dataset.status + ' ' + m.textContent === '{expected}';"""


def type_at_end(driver, text: str):
    from selenium.webdriver.common.by import By
    area = driver.find_element(By.ID, "source")
    driver.execute_script("const a = arguments[0]; a.focus(); "
                          "a.selectionStart = a.selectionEnd = a.value.length;", area)
    area.send_keys(text)


def replace(driver, old: str, new: str):
    """Select ``old`` in the editor and type ``new`` over it, as a person would."""
    from selenium.webdriver.common.by import By
    area = driver.find_element(By.ID, "source")
    driver.execute_script("const a = arguments[0], i = a.value.indexOf(arguments[1]); a.focus(); "
                          "a.setSelectionRange(i, i + arguments[1].length);", area, old)
    area.send_keys(new)


def test_type_a_wrong_step_see_the_counterexample_at_its_line_then_fix_it(server, browser,
                                                                          request, tmp_path_factory):
    root, url, _ = server
    browser.get(url)
    wait_for(browser, mark_is(10, "proved ✓"))

    type_at_end(browser, "\n$$\n" + WRONG + "\n$$\n")
    wait_for(browser, mark_is(14, "failed ✗"))
    note = wait_for(browser, "const n = document.querySelector('#notes .note[data-line=\"14\"]');"
                             "return n && n.textContent;")
    assert note.startswith("✗ the two sides differ · counterexample: x = ")
    row = browser.execute_script("return document.querySelector('.step[data-line=\"14\"]').innerText;")
    assert "failed: the two sides differ" in row and "counterexample: x = " in row
    shot = tmp_path_factory.mktemp("screenshot") / "derive-serve.png"
    browser.save_screenshot(str(shot))
    request.config.add_cleanup(lambda: print(f"\nderive serve in Chromium, a failed step: {shot}"))

    replace(browser, "x^2 + y^2   % algebra: a slip", RIGHT_SIDE + "   % algebra")
    wait_for(browser, mark_is(14, "proved ✓"))
    assert not browser.execute_script("return document.querySelector('#notes .note');")
    assert "2 steps: 2 proved" in browser.execute_script("return document.getElementById('summary').textContent;")

    browser.execute_script("document.getElementById('save').click();")
    wait_for(browser, "return document.getElementById('status').textContent.startsWith('saved');")
    assert (root / "squares.md").read_text(encoding="utf-8").endswith(
        "(x - y)^2 = " + RIGHT_SIDE + "   % algebra\n$$\n")


def test_ctrl_c_stops_the_server_cleanly(server):
    _, _, proc = server
    proc.send_signal(signal.SIGINT)
    assert proc.wait(timeout=30) == 0
    assert "Traceback" not in proc.stderr.read()
