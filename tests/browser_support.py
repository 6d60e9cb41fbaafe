"""What the browser tests share: finding Chromium, running the CLI, starting ``extractor
serve``, the recording proxy every Chromium request goes through (so nothing leaves
127.0.0.1), and reading the DOM Chromium gives back."""

from __future__ import annotations

import contextlib
import http.client
import os
import re
import shutil
import socket
import sqlite3
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from html.parser import HTMLParser
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import urlsplit

import pytest

REPO = Path(__file__).resolve().parent.parent
ARTIFACTS = REPO / "tests" / "artifacts"
# A quote no example article contains.
INVENTED = "Witnesses counted forty armoured vehicles crossing the river at dawn."
CLI = [sys.executable, "-c", "from extractor.cli import main; main()"]
CHROMIUM_FLAGS = [
    "--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
    "--disable-background-networking", "--disable-component-update", "--disable-sync",
    "--no-pings", "--disable-domain-reliability", "--disable-client-side-phishing-detection",
    "--disable-default-apps", "--disable-extensions", "--disable-breakpad",
    "--disable-features=NetworkTimeServiceQuerying,AutofillServerCommunication,"
    "OptimizationHints,MediaRouter,Translate",
]
# Chromium calls these itself whatever the page (even about:blank), flags or not. Every
# Chromium of these tests goes through a proxy that refuses them (RecordingProxy): they never
# leave the machine, and they are told apart from the page's requests by these names.
CHROMIUM_OWN_HOSTS = frozenset({
    "accounts.google.com:443", "update.googleapis.com:443", "update.googleapis.com",
    "clients2.google.com", "clients2.google.com:443", "content-autofill.googleapis.com:443",
    "safebrowsingohttpgateway.googleapis.com:443", "optimizationguide-pa.googleapis.com:443",
})


def find_chromium() -> str:
    """The Chromium binary: $CHROMIUM when set, else the one on PATH."""
    wanted = os.environ.get("CHROMIUM")
    if wanted:
        found = wanted if os.access(wanted, os.X_OK) else None
    else:
        found = shutil.which("chromium") or shutil.which("chromium-browser")
    if found:
        return found
    reason = (f"Chromium is not installed{f' at {wanted}' if wanted else ''}: run "
              "scripts/ensure-chromium (as root)")
    if os.environ.get("CI"):
        pytest.fail(f"{reason}; CI must run the browser tests")
    pytest.skip(reason)


def chromedriver() -> str:
    found = shutil.which("chromedriver")
    if not found:
        find_chromium()  # skips, or fails under CI, with the install hint
        pytest.fail("chromedriver is missing: run scripts/ensure-chromium (as root)")
    return found


def clean_env() -> dict[str, str]:
    """The environment for the CLI: the offline baseline, whatever the developer has set."""
    env = {k: v for k, v in os.environ.items()
           if not k.startswith(("EXTRACTOR_", "OPENAI_"))}
    env["PYTHONUNBUFFERED"] = "1"
    return env


def run_cli(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([*CLI, *args], cwd=REPO, env=clean_env(), capture_output=True,
                          text=True, timeout=240, check=False)


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass
class Site:
    db_path: Path
    base: str
    database: str
    eval_problem: str | None  # why there are no eval runs, if there are none
    chromium: str
    profiles: Path
    proxy: RecordingProxy  # every request of every Chromium run goes through it

    def query(self, sql: str, params: tuple[object, ...] = ()) -> list[tuple[object, ...]]:
        with sqlite3.connect(self.db_path) as conn:
            return list(conn.execute(sql, params))

    def _chromium(self, *args: str) -> subprocess.CompletedProcess[str]:
        profile = self.profiles / f"profile-{time.monotonic_ns()}"
        return subprocess.run(
            [self.chromium, *CHROMIUM_FLAGS, *self.proxy.flags, f"--user-data-dir={profile}",
             "--virtual-time-budget=8000", *args],
            capture_output=True, text=True, timeout=120, check=False,
        )

    def dom(self, path: str) -> str:
        """The page's DOM after its JavaScript ran."""
        result = self._chromium("--dump-dom", self.base + path)
        assert result.returncode == 0, result.stderr[-2000:]
        return result.stdout

    def screenshot(self, path: str, name: str) -> Path:
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        target = ARTIFACTS / name
        target.unlink(missing_ok=True)
        result = self._chromium("--window-size=1400,1000", f"--screenshot={target}",
                                self.base + path)
        assert result.returncode == 0, result.stderr[-2000:]
        assert target.stat().st_size > 10_000  # a blank page is a few hundred bytes
        return target




@dataclass
class Server:
    """A running ``extractor serve``: its base URL and what it printed so far."""

    process: subprocess.Popen[str]
    base: str
    output: list[str]

    def printed(self, pattern: str, timeout: float = 20) -> re.Match[str]:
        """The first match of ``pattern`` in what serve printed, waiting for its output (read
        by a thread, which may lag behind the server answering)."""
        deadline = time.monotonic() + timeout
        while True:
            match = re.search(pattern, "".join(self.output))
            if match:
                return match
            if time.monotonic() > deadline:
                pytest.fail(f"serve never printed {pattern!r}: {''.join(self.output)}")
            time.sleep(0.1)

    def stop(self) -> None:
        self.process.terminate()
        try:
            self.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()


@contextlib.contextmanager
def serve(db_path: Path, *args: str) -> Iterator[Server]:
    """``extractor serve`` on ``db_path`` on a free port, once it answers; stopped after."""
    port = free_port()
    process = subprocess.Popen([*CLI, "serve", "--db", str(db_path), "--port", str(port), *args],
                               cwd=REPO, env=clean_env(), stdout=subprocess.PIPE,
                               stderr=subprocess.STDOUT, text=True)
    output: list[str] = []

    def read() -> None:
        assert process.stdout is not None
        for line in process.stdout:
            output.append(line)

    reader = threading.Thread(target=read, daemon=True)
    reader.start()
    server = Server(process, f"http://127.0.0.1:{port}", output)
    try:
        deadline = time.monotonic() + 60
        while True:
            if process.poll() is not None:
                reader.join(timeout=5)
                pytest.fail(f"extractor serve exited: {''.join(output)}")
            try:
                with urllib.request.urlopen(server.base + "/-/versions.json",
                                            timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("extractor serve did not answer within 60 s")
            time.sleep(0.2)
        yield server
    finally:
        server.stop()
        reader.join(timeout=10)


class RecordingProxy(ThreadingHTTPServer):
    """An HTTP proxy on 127.0.0.1 that Chromium sends every request through (loopback
    included): it forwards those for ``allowed`` (host:port), and records and refuses any
    other, so nothing the page asks for can leave the machine."""

    def __init__(self, allowed: str):
        super().__init__(("127.0.0.1", 0), _ProxyHandler)
        self.allowed = allowed
        self.requests: list[tuple[str, str, str, int]] = []  # method, host, path, status
        self.lock = threading.Lock()

    @property
    def flags(self) -> tuple[str, ...]:
        # "<-loopback>" removes Chromium's implicit bypass of the proxy for localhost.
        return (f"--proxy-server=http://127.0.0.1:{self.server_address[1]}",
                "--proxy-bypass-list=<-loopback>")

    def record(self, method: str, host: str, path: str, status: int) -> None:
        with self.lock:
            self.requests.append((method, host, path, status))


class _ProxyHandler(BaseHTTPRequestHandler):
    server: RecordingProxy

    def log_message(self, format: str, *args: object) -> None:
        pass

    def _refuse(self, host: str) -> None:
        self.server.record(self.command, host, self.path, 403)
        self.send_error(403, "the test proxy only reaches the server under test")

    def do_CONNECT(self) -> None:  # HTTPS: never the server under test
        self._refuse(self.path)

    def _forward(self) -> None:
        """Pass the request on to the server under test, or refuse it."""
        url = urlsplit(self.path)
        if url.netloc != self.server.allowed:
            self._refuse(url.netloc or self.path)
            return
        length = int(self.headers.get("Content-Length") or 0)
        body = self.rfile.read(length) if length else None
        connection = http.client.HTTPConnection(url.netloc, timeout=30)
        target = url.path + (f"?{url.query}" if url.query else "")
        connection.request(self.command, target, body=body, headers={
            k: v for k, v in self.headers.items()
            if k.lower() not in ("proxy-connection", "connection")})
        response = connection.getresponse()
        answer = response.read()
        connection.close()
        self.server.record(self.command, url.netloc, target, response.status)
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(answer)))
        self.send_header("Connection", "close")
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(answer)

    # The server under test decides what it accepts: 405 for writes, except the review forms
    # of ``serve --review``.
    do_GET = do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _forward


@contextlib.contextmanager
def recording_proxy(allowed: str) -> Iterator[RecordingProxy]:
    proxy = RecordingProxy(allowed)
    thread = threading.Thread(target=proxy.serve_forever, daemon=True)
    thread.start()
    try:
        yield proxy
    finally:
        proxy.shutdown()
        proxy.server_close()
        thread.join(timeout=10)


class Elements(HTMLParser):
    """Start tags with their attributes, and the text inside elements of one tag."""

    def __init__(self, text_of: str = "mark"):
        super().__init__()
        self.tags: list[tuple[str, dict[str, str]]] = []
        self.text_of = text_of
        self.inside: list[dict[str, str]] = []
        self.texts: list[tuple[dict[str, str], str]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.tags.append((tag, attributes))
        if tag == self.text_of:
            self.inside.append(attributes)
            self.texts.append((attributes, ""))

    def handle_endtag(self, tag: str) -> None:
        if tag == self.text_of and self.inside:
            self.inside.pop()

    def handle_data(self, data: str) -> None:
        if self.inside:
            attributes, text = self.texts[-1]
            self.texts[-1] = (attributes, text + data)

    def with_class(self, name: str) -> list[dict[str, str]]:
        return [a for _, a in self.tags if name in a.get("class", "").split()]


def parse(html: str, text_of: str = "mark") -> Elements:
    parser = Elements(text_of)
    parser.feed(html)
    return parser

