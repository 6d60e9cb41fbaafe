"""End to end in a real browser: extract the example articles, evaluate the gold set, start
``extractor serve`` and look at the pages in headless Chromium (DOM after JavaScript, and
screenshots saved under tests/artifacts/).

Needs Debian's ``chromium`` (``scripts/ensure-chromium`` installs it). Without it these tests
skip, except under ``CI``, where they fail.
"""

from __future__ import annotations

import contextlib
import http.client
import os
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

from extractor.browse import SETTINGS

pytestmark = pytest.mark.browser

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


@pytest.fixture(scope="module")
def site(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Site]:
    chromium = find_chromium()
    work = tmp_path_factory.mktemp("browser")
    db_path = work / "incidents.db"
    extracted = run_cli("extract", "examples/articles", "--db", str(db_path), "--model",
                        "baseline")
    assert extracted.returncode == 0, extracted.stderr[-2000:]
    eval_problem = None
    for _ in range(2):  # two eval runs to compare (the second reuses the cached extractions)
        evaluated = run_cli("eval", "evals/gold", "--db", str(db_path), "--model", "baseline")
        if evaluated.returncode != 0:
            eval_problem = f"`extractor eval` failed: {evaluated.stderr.strip()[-500:]}"
            break
    port = free_port()
    server = subprocess.Popen([*CLI, "serve", "--db", str(db_path), "--port", str(port)],
                              cwd=REPO, env=clean_env(), stdout=subprocess.PIPE,
                              stderr=subprocess.STDOUT, text=True)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + 60
        while True:
            if server.poll() is not None:
                pytest.fail(f"extractor serve exited: {server.stdout.read()}")  # type: ignore
            try:
                with urllib.request.urlopen(base + "/-/versions.json", timeout=2) as response:
                    if response.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError):
                pass
            if time.monotonic() > deadline:
                pytest.fail("extractor serve did not answer within 60 s")
            time.sleep(0.2)
        with recording_proxy(urlsplit(base).netloc) as proxy:
            yield Site(db_path, base, "incidents", eval_problem, chromium, work, proxy)
    finally:
        server.terminate()
        try:
            server.wait(timeout=10)
        except subprocess.TimeoutExpired:
            server.kill()
            server.wait()


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

    def _refuse_other(self) -> None:  # the pages only read
        self._refuse(urlsplit(self.path).netloc or self.path)

    def do_GET(self) -> None:
        url = urlsplit(self.path)
        if url.netloc != self.server.allowed:
            self._refuse(url.netloc)
            return
        connection = http.client.HTTPConnection(url.netloc, timeout=30)
        target = url.path + (f"?{url.query}" if url.query else "")
        connection.request("GET", target, headers={
            k: v for k, v in self.headers.items()
            if k.lower() not in ("proxy-connection", "connection")})
        response = connection.getresponse()
        body = response.read()
        connection.close()
        self.server.record("GET", url.netloc, target, response.status)
        self.send_response(response.status)
        for name, value in response.getheaders():
            if name.lower() not in ("transfer-encoding", "connection", "content-length"):
                self.send_header(name, value)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Connection", "close")
        self.end_headers()
        self.wfile.write(body)

    do_POST = do_PUT = do_DELETE = do_HEAD = do_OPTIONS = _refuse_other


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


def test_incidents_page(site: Site) -> None:
    count = site.query("select count(*) from incidents")[0][0]
    assert count > 0
    html = site.dom(f"/{site.database}/incidents")
    page = parse(html)
    assert len(page.with_class("evidence-link")) == min(count, SETTINGS["default_page_size"])
    # The plugin's script folded the column descriptions away.
    assert page.with_class("column-descriptions-toggle")
    summary = site.query("select summary from incidents order by date_start desc limit 1")[0][0]
    assert str(summary).split(" ")[-1].rstrip(".") in html
    site.screenshot(f"/{site.database}/incidents", "incidents.png")


def test_incident_evidence_is_highlighted_in_its_article(site: Site) -> None:
    rows = site.query(
        """select incidents.id, articles.text from incidents
           join articles on articles.id = incidents.article_id
           where exists (select 1 from evidence where evidence.incident_id = incidents.id
                         and alignment != 'unaligned')
           order by incidents.date_start desc limit 1""")
    assert rows, "the example articles gave no incident with aligned evidence"
    incident_id, text = rows[0]
    # As a model would: a quote the article does not contain (the baseline never makes one).
    with sqlite3.connect(site.db_path) as conn:
        conn.execute(
            """insert into evidence (id, incident_id, article_id, extraction_id, run_id, model,
                 prompt_hash, schema_hash, position, quote, start, end, alignment, score)
               select incident_id || '-invented', incident_id, article_id, extraction_id,
                 run_id, model, prompt_hash, schema_hash, max(position) + 1, ?, null, null,
                 'unaligned', 12.5
               from evidence where incident_id = ?""", (INVENTED, incident_id))
        conn.execute("update incidents set evidence_status = 'partial' where id = ?",
                     (incident_id,))
    evidence = site.query(
        "select position, start, end, alignment from evidence where incident_id = ? "
        "order by position", (incident_id,))
    html = site.dom(f"/-/incident/{incident_id}")
    page = parse(html)
    marked: dict[str, str] = {}
    for attributes, inner in page.texts:
        for number in attributes.get("data-evidence", "").split():
            marked[number] = marked.get(number, "") + inner
    for position, start, end, alignment in evidence:
        number = str(int(position) + 1)  # type: ignore[call-overload]
        if alignment == "unaligned":
            assert number not in marked
        else:
            assert marked[number] == str(text)[int(start):int(end)]  # type: ignore
    assert marked, "no <mark> in the page"
    not_found = html.split('<section class="not-found">')[1].split("</section>")[0]
    assert "not found in the article" in not_found and INVENTED in not_found
    assert INVENTED not in "".join(marked.values())
    site.screenshot(f"/-/incident/{incident_id}", "incident-evidence.png")


def test_map_of_incidents(site: Site) -> None:
    located = site.query(
        "select count(*) from incident_overview where latitude is not null")[0][0]
    assert located > 0
    html = site.dom(f"/{site.database}/incident_overview")
    page = parse(html, text_of="span")
    markers = page.with_class("leaflet-marker-icon")
    assert markers, "no Leaflet marker in the page"
    # Clusters show how many incidents they hold; single markers hold one.
    cluster_counts = [int(text) for attributes, text in page.texts if text.strip().isdigit()
                      and attributes == {}]
    singles = [m for m in markers if "marker-cluster" not in m.get("class", "")]
    assert len(singles) + sum(cluster_counts) == located
    # Without facets the map is in the first screenful.
    site.screenshot(f"/{site.database}/incident_overview?_nofacet=1", "map.png")


def test_map_tiles_come_from_the_local_server_and_nothing_leaves(site: Site) -> None:
    server = urlsplit(site.base).netloc
    site.proxy.requests.clear()
    html = site.dom(f"/{site.database}/incident_overview")
    requests = list(site.proxy.requests)
    elsewhere = [(method, host, path) for method, host, path, _ in requests
                 if host != server and host not in CHROMIUM_OWN_HOSTS]
    assert elsewhere == [], f"the page asked for more than 127.0.0.1: {elsewhere}"
    tiles = [(path, status) for method, host, path, status in requests
             if host == server and path.startswith("/-/tiles/basemap/")]
    assert tiles, f"no tile was requested; requests: {requests}"
    assert all(status == 200 for _, status in tiles), tiles
    # The tiles are in the page, loaded (Leaflet marks a tile once its image arrived).
    page = parse(html, text_of="img")
    shown = page.with_class("leaflet-tile")
    assert shown and all(a["src"].startswith("/-/tiles/basemap/") for a in shown)
    assert all("leaflet-tile-loaded" in a["class"].split() for a in shown)


def test_eval_run_pages(site: Site) -> None:
    if site.eval_problem:
        pytest.skip(site.eval_problem)
    runs = site.query("select id, incidents_f1 from eval_runs order by id desc")
    if not runs:
        pytest.skip("the eval tables hold no run")
    run_id, f1 = runs[0]
    html = site.dom(f"/{site.database}/eval_runs/{run_id}")
    assert "incidents_f1" in html and str(f1) in html
    html = site.dom(f"/{site.database}/eval_runs_compared")
    page = parse(html, text_of="td")
    def column(name: str) -> list[str]:
        return [text.strip() for attributes, text in page.texts
                if attributes.get("class", "").split()[:1] == [f"col-{name}"]]

    stored = [row[0] for row in site.query(
        "select field from eval_scores where eval_run_id = ? order by field", (run_id,))]
    assert column("field") == stored
    assert set(column("run_b")) == {str(run_id)}
    if len(runs) > 1:
        assert set(column("run_a")) == {str(runs[1][0])}
        assert all(value for value in column("score_a"))
    site.screenshot(f"/{site.database}/eval_runs_compared", "eval-runs-compared.png")
