"""A real headless Chromium for tests, driven over the DevTools protocol on a pipe (no driver
package, no port): open a page, wait for it to load, run a script in it, take a screenshot.

Chromium comes from Debian's packages. When it is missing and we may install packages (root,
apt-get there), `find_chromium` installs it; otherwise the tests that need it skip, saying why.
"""

from __future__ import annotations

import base64
import contextlib
import json
import os
import select
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

FLAGS = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--remote-debugging-pipe",
)
NAMES = ("chromium", "chromium-browser")


def find_chromium() -> tuple[str | None, str]:
    """The browser's path, or None and the reason it is not there."""
    found = next((p for p in map(shutil.which, NAMES) if p), None)
    if found:
        return found, ""
    if os.name != "posix" or os.geteuid() != 0 or not shutil.which("apt-get"):
        return None, "Chromium is not installed (apt-get install chromium), and this user cannot"
    env = {**os.environ, "DEBIAN_FRONTEND": "noninteractive"}
    install = ["apt-get", "install", "-y", "--no-install-recommends", "chromium", "chromium-driver"]
    try:
        done = subprocess.run(install, env=env, capture_output=True, timeout=900, check=False)
        if done.returncode != 0:  # an old package list: refresh it once and try again
            subprocess.run(["apt-get", "update"], env=env, capture_output=True, timeout=300)
            done = subprocess.run(install, env=env, capture_output=True, timeout=900, check=False)
    except subprocess.TimeoutExpired:
        return None, "installing Chromium took too long"
    found = next((p for p in map(shutil.which, NAMES) if p), None)
    if found:
        return found, ""
    tail = done.stderr.decode(errors="replace").strip().splitlines()[-1:]
    return None, f"Chromium could not be installed: {' '.join(tail) or 'no reason given'}"


class Browser:
    """One headless Chromium; `open` gives a page to script."""

    def __init__(self, path: str) -> None:
        self.profile = tempfile.mkdtemp(prefix="anshin-chromium-")
        to_browser_r, self._to_browser = os.pipe()
        self._from_browser, from_browser_w = os.pipe()

        def wire() -> None:  # in the child: the protocol's pipes are fds 3 and 4
            os.dup2(to_browser_r, 3)
            os.dup2(from_browser_w, 4)

        self.process = subprocess.Popen(
            [path, *FLAGS, f"--user-data-dir={self.profile}", "about:blank"],
            stdin=subprocess.DEVNULL,
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
            preexec_fn=wire,
            pass_fds=(3, 4),  # kept open after `wire` puts the pipes there
        )
        os.close(to_browser_r)
        os.close(from_browser_w)
        self._buffer = b""
        self._next = 0

    def call(
        self, method: str, session: str | None = None, timeout: float = 30, **params: Any
    ) -> Any:
        self._next += 1
        message: dict[str, Any] = {"id": self._next, "method": method, "params": params}
        if session:
            message["sessionId"] = session
        os.write(self._to_browser, json.dumps(message).encode() + b"\0")
        deadline = time.monotonic() + timeout
        while True:
            reply = self._read(deadline)
            if reply.get("id") == self._next:
                if "error" in reply:
                    raise RuntimeError(f"{method}: {reply['error']}")
                return reply.get("result", {})

    def _read(self, deadline: float) -> dict[str, Any]:
        while b"\0" not in self._buffer:
            left = deadline - time.monotonic()
            ready, _, _ = select.select([self._from_browser], [], [], max(left, 0))
            if not ready:
                raise TimeoutError("Chromium did not answer in time")
            chunk = os.read(self._from_browser, 1 << 16)
            if not chunk:
                raise RuntimeError("Chromium closed the DevTools pipe")
            self._buffer += chunk
        raw, self._buffer = self._buffer.split(b"\0", 1)
        found: dict[str, Any] = json.loads(raw)
        return found

    def open(self, url: str) -> Page:
        target = self.call("Target.createTarget", url="about:blank")["targetId"]
        session = self.call("Target.attachToTarget", targetId=target, flatten=True)["sessionId"]
        page = Page(self, session, target)
        self.call("Page.navigate", session, url=url)
        page.wait_until("document.readyState === 'complete'")
        return page

    def close(self) -> None:
        with contextlib.suppress(OSError, RuntimeError, TimeoutError):
            self.call("Browser.close", timeout=5)
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        os.close(self._to_browser)
        os.close(self._from_browser)
        shutil.rmtree(self.profile, ignore_errors=True)


class Page:
    def __init__(self, browser: Browser, session: str, target: str) -> None:
        self.browser, self.session, self.target = browser, session, target

    def evaluate(self, expression: str) -> Any:
        """Run a script in the page and return its value (JSON-able)."""
        result = self.browser.call(
            "Runtime.evaluate", self.session, expression=expression, returnByValue=True
        )
        if "exceptionDetails" in result:
            raise RuntimeError(f"script failed: {result['exceptionDetails']}")
        return result["result"].get("value")

    def wait_until(self, condition: str, timeout: float = 30) -> None:
        deadline = time.monotonic() + timeout
        while not self.evaluate(f"Boolean({condition})"):
            if time.monotonic() > deadline:
                raise TimeoutError(f"the page never reached: {condition}")
            time.sleep(0.05)

    def screenshot(self, path: Path) -> None:
        data = self.browser.call("Page.captureScreenshot", self.session, captureBeyondViewport=True)
        path.write_bytes(base64.b64decode(data["data"]))

    def close(self) -> None:
        self.browser.call("Target.closeTarget", targetId=self.target)
