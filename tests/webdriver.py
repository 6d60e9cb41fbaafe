"""A small W3C WebDriver client for the browser tests: drives Debian's ``chromedriver`` over
HTTP on 127.0.0.1 (no Selenium), for pages that need clicks and typing rather than a DOM dump.
"""

from __future__ import annotations

import base64
import json
import subprocess
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Any

ELEMENT = "element-6066-11e4-a52e-4f735466cecf"  # the W3C key of an element reference


class WebDriverError(AssertionError):
    """A command chromedriver refused; the message is its error."""


class Browser:
    """One headless Chromium session through ``chromedriver`` started on ``port``."""

    def __init__(self, chromedriver: str, chromium: str, args: list[str], port: int):
        self.endpoint = f"http://127.0.0.1:{port}"
        self.process = subprocess.Popen([chromedriver, f"--port={port}"],
                                        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + 30
        while True:
            try:
                self._call("GET", "/status")
                break
            except (urllib.error.URLError, ConnectionError):
                if time.monotonic() > deadline:
                    self.process.kill()
                    raise
                time.sleep(0.1)
        capabilities = {"browserName": "chrome",
                        "goog:chromeOptions": {"binary": chromium, "args": args}}
        session = self._call("POST", "/session", {"capabilities": {"alwaysMatch": capabilities}})
        self.session = f"/session/{session['sessionId']}"

    def _call(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        data = None if body is None else json.dumps(body).encode()
        request = urllib.request.Request(self.endpoint + path, data=data, method=method,
                                         headers={"Content-Type": "application/json"})
        try:
            with urllib.request.urlopen(request, timeout=60) as response:
                return json.loads(response.read())["value"]
        except urllib.error.HTTPError as error:
            raise WebDriverError(f"{method} {path}: {error.read().decode()[:500]}") from None

    def command(self, method: str, path: str, body: dict[str, Any] | None = None) -> Any:
        return self._call(method, self.session + path, body)

    def get(self, url: str) -> None:
        self.command("POST", "/url", {"url": url})

    @property
    def url(self) -> str:
        return str(self.command("GET", "/url"))

    @property
    def source(self) -> str:
        return str(self.command("GET", "/source"))

    def find(self, css: str) -> str:
        """The element reference of the first element matching ``css``."""
        found = self.command("POST", "/element", {"using": "css selector", "value": css})
        assert isinstance(found, dict) and ELEMENT in found, f"no element {css}: {found}"
        return str(found[ELEMENT])

    def click(self, css: str) -> None:
        self.command("POST", f"/element/{self.find(css)}/click", {})

    def type(self, css: str, text: str, clear: bool = True) -> None:
        element = self.find(css)
        if clear:
            self.command("POST", f"/element/{element}/clear", {})
        self.command("POST", f"/element/{element}/value", {"text": text})

    def script(self, source: str, *args: Any) -> Any:
        return self.command("POST", "/execute/sync", {"script": source, "args": list(args)})

    def screenshot(self, target: Path) -> None:
        target.write_bytes(base64.b64decode(self.command("GET", "/screenshot")))

    def quit(self) -> None:
        try:
            self.command("DELETE", "")
        finally:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
