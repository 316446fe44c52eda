"""A headless Chromium driven over its DevTools protocol (CDP), for tests of the desk page.

Debian's `chromium` package, no driver and nothing downloaded; the protocol is spoken over a
WebSocket with websocket-client. `Chromium.find()` is None when no browser is installed (the
tests skip then; CI installs it). Every wait polls a condition in the page with a generous
deadline: nothing here depends on how fast a busy machine is.
"""

from __future__ import annotations

import base64
import json
import os
import re
import shutil
import subprocess
import tempfile
import time
from pathlib import Path
from typing import Any

import httpx

NAMES = ("chromium", "chromium-browser", "google-chrome", "google-chrome-stable")


class Chromium:
    def __init__(self, binary: str, timeout: float = 60.0) -> None:
        import websocket  # websocket-client, a dev dependency

        self.timeout = timeout
        self._profile = tempfile.mkdtemp(prefix="watcher-chromium-")
        self._log = open(Path(self._profile) / "stderr.txt", "w+")  # noqa: SIM115 - closed in close()
        self.proc = subprocess.Popen(
            [binary, "--headless=new", "--no-sandbox", "--disable-gpu", "--no-first-run",
             "--no-default-browser-check", "--disable-extensions", "--disable-sync",
             "--disable-background-networking", "--disable-component-update",
             "--remote-debugging-address=127.0.0.1", "--remote-debugging-port=0",
             f"--user-data-dir={self._profile}", "--window-size=1000,800", "about:blank"],
            stdout=subprocess.DEVNULL, stderr=self._log,
        )  # fmt: skip
        port = self._devtools_port()
        deadline = time.monotonic() + timeout
        while True:
            pages = [t for t in httpx.get(f"http://127.0.0.1:{port}/json/list").json()
                     if t.get("type") == "page"]  # fmt: skip
            if pages or time.monotonic() > deadline:
                break
            time.sleep(0.2)
        assert pages, "chromium opened no page"
        # No Origin header: Chromium 111+ rejects a DevTools websocket whose Origin it was not told
        # to allow (--remote-allow-origins); a client that sends none is let in.
        self.ws = websocket.create_connection(
            pages[0]["webSocketDebuggerUrl"], timeout=timeout, suppress_origin=True
        )
        self._id = 0
        self.send("Page.enable")
        self.send("Runtime.enable")

    @staticmethod
    def find() -> str | None:
        return next((path for name in NAMES if (path := shutil.which(name))), None)

    def _devtools_port(self) -> int:
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            self._log.seek(0)
            found = re.search(r"DevTools listening on ws://127\.0\.0\.1:(\d+)/", self._log.read())
            if found:
                return int(found.group(1))
            if self.proc.poll() is not None:
                break
            time.sleep(0.1)
        self._log.seek(0)
        raise AssertionError(f"chromium did not start:\n{self._log.read()}")

    def close(self) -> None:
        try:
            self.ws.close()
        finally:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait()
            self._log.close()
            shutil.rmtree(self._profile, ignore_errors=True)

    # -- the protocol ----------------------------------------------------------------------------

    def send(self, method: str, **params: Any) -> dict[str, Any]:
        self._id += 1
        mine = self._id
        self.ws.send(json.dumps({"id": mine, "method": method, "params": params}))
        while True:  # events arrive in between; only our answer ends the wait
            message = json.loads(self.ws.recv())
            if message.get("id") == mine:
                if "error" in message:
                    raise AssertionError(f"{method}: {message['error']}")
                result: dict[str, Any] = message.get("result", {})
                return result

    def eval(self, expression: str) -> Any:
        answer = self.send(
            "Runtime.evaluate", expression=expression, returnByValue=True, awaitPromise=True
        )
        if "exceptionDetails" in answer:
            raise AssertionError(f"{expression}: {answer['exceptionDetails']}")
        return answer["result"].get("value")

    def wait(self, condition: str, what: str = "") -> None:
        """Poll a JavaScript condition until it is truthy."""
        deadline = time.monotonic() + self.timeout
        while time.monotonic() < deadline:
            try:
                if self.eval(f"Boolean({condition})"):
                    return
            except AssertionError:  # the page is navigating: its context went away
                pass
            time.sleep(0.1)
        body = self.eval("document.body ? document.body.innerText : ''")
        raise AssertionError(f"timed out waiting for {what or condition}; the page says:\n{body}")

    # -- what a user does --------------------------------------------------------------------------

    def goto(self, url: str) -> None:
        """Open `url` and wait for the page it leads to (after any redirect) to load."""
        self.eval("window.__left = true")  # the new document will not have it
        self.send("Page.navigate", url=url)
        self.wait("!window.__left && document.readyState === 'complete'", f"the page {url}")

    def loaded(self, path: str) -> None:
        """Wait until a navigation (a submitted form, a redirect) has landed on `path`."""
        self.wait(f"location.pathname === {json.dumps(path)} && document.readyState === "
                  "'complete'", f"the page {path}")  # fmt: skip

    def fill(self, selector: str, text: str) -> None:
        """Type into a field as a user would: focus, select what is there, type over it."""
        self.eval(
            f"(e => {{ e.focus(); e.select(); }})(document.querySelector({json.dumps(selector)}))"
        )
        self.send("Input.insertText", text=text)

    def click(self, selector: str) -> None:
        self.eval(f"document.querySelector({json.dumps(selector)}).click()")

    def text(self, selector: str = "body") -> str:
        value = self.eval(
            f"(e => e ? e.innerText : '')(document.querySelector({json.dumps(selector)}))"
        )
        return str(value)

    def viewport(self, width: int, height: int, *, mobile: bool = False) -> None:
        self.send("Emulation.setDeviceMetricsOverride", width=width, height=height,
                  deviceScaleFactor=1, mobile=mobile)  # fmt: skip

    def screenshot(self, path: Path) -> None:
        shot = self.send("Page.captureScreenshot", format="png")
        path.write_bytes(base64.b64decode(shot["data"]))


def screenshot_folder() -> Path | None:
    """Where the README's screenshots go when asked for (WATCHER_SCREENSHOTS=docs)."""
    folder = os.environ.get("WATCHER_SCREENSHOTS")
    return Path(folder) if folder else None
