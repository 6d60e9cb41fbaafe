"""Benchmark ``extractor extract`` against the fake OpenAI server, and scoring of gold data.

    .venv/bin/python bench/run.py                      # 1,000 articles, concurrency 64, 500 ms
    .venv/bin/python bench/run.py --n 10000            # the memory target
    .venv/bin/python bench/run.py --profile            # also a py-spy profile of the client
    .venv/bin/python bench/run.py --skip-extract       # scoring only

The fake server runs as a separate process (``tests/fakeserver.py``) with a fixed latency, so
it does not share the client's CPU (on a 2-core machine it still shares the machine). The
client is the real CLI in a child process; its CPU time and peak memory come from
``os.wait4`` (the child's own rusage). Model calls are counted at the server.

Measured, for N generated articles (``bench/generate.py``):

* first run: wall time, articles/s against the ideal ``concurrency / latency``, also over
  the server's busy window (first request to last answer: without process start-up and the
  final writes), client CPU ms per article, peak RSS, database size;
* second run over the same input and database: wall time and model calls (must be 0);
* scoring: N gold-like records (the gold set replicated with perturbed predictions) scored
  from predictions stored in SQLite, as ``extractor eval --rescore`` does.

Results go to ``bench/out/results-*.json`` and are printed as a table.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import select
import shutil
import subprocess
import sys
import time
import urllib.request
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

EXTRACTOR = str(Path(sys.executable).parent / "extractor")
FAKE_SERVER = ROOT / "tests" / "fakeserver.py"
API_KEY = "sk-bench-not-a-secret"


# --- the fake server, in its own process ------------------------------------------------------


class FakeServer:
    """``tests/fakeserver.py`` as a subprocess, driven over its ``/_fake`` endpoints."""

    def __init__(self, latency: float, fault_mix: dict[str, float] | None = None,
                 seed: int = 0, log_path: Path | None = None):
        command = [sys.executable, str(FAKE_SERVER), "--port", "0", "--latency", str(latency),
                   "--fault-mix", json.dumps(fault_mix or {}), "--seed", str(seed)]
        self.latency = latency
        self._log = open(log_path or os.devnull, "w")  # noqa: SIM115 - closed in stop()
        self.process = subprocess.Popen(command, stdout=subprocess.PIPE, stderr=self._log,
                                        text=True, cwd=ROOT)
        self.base_url = self._wait_ready(30.0)
        self.root = self.base_url.removesuffix("/v1")

    def _wait_ready(self, timeout: float) -> str:
        assert self.process.stdout is not None
        ready, _, _ = select.select([self.process.stdout], [], [], timeout)
        line = self.process.stdout.readline() if ready else ""
        if not line.startswith("READY "):
            self.stop()
            raise RuntimeError(f"fake server did not start: {line!r}")
        return line.split()[1]

    def _call(self, method: str, path: str, payload: Any = None) -> Any:
        data = json.dumps(payload).encode() if payload is not None else None
        request = urllib.request.Request(self.root + path, data=data, method=method,
                                         headers={"content-type": "application/json"})
        with urllib.request.urlopen(request, timeout=60) as response:
            return json.loads(response.read())

    def log(self) -> list[dict[str, Any]]:
        return [e for e in self._call("GET", "/_fake/log") if e["path"] == "/v1/chat/completions"]

    def reset(self) -> None:
        self._call("POST", "/_fake/reset", {})

    def script(self, match: str, steps: list[Any]) -> None:
        self._call("POST", "/_fake/script", {"match": match, "steps": steps})

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(10)
        self._log.close()

    def __enter__(self) -> FakeServer:
        return self

    def __exit__(self, *exc: object) -> None:
        self.stop()


# --- the client, measured ---------------------------------------------------------------------


def run_child(command: list[str], *, env: dict[str, str] | None = None, log: Path,
              timeout: float = 3600.0, profile: Path | None = None) -> dict[str, Any]:
    """Run a child to completion; its exit code, wall time, CPU time and peak RSS."""
    if profile is not None:
        pyspy = shutil.which("py-spy") or "/tmp/pyspy/bin/py-spy"
        command = [pyspy, "record", "--rate", "200", "--function", "--format", "raw", "--output",
                   str(profile), "--", *command]
    started = time.perf_counter()
    started_monotonic = time.monotonic()  # the clock of the fake server's log
    with log.open("w") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT,
                                   env={**os.environ, **(env or {})}, cwd=ROOT)
        deadline = started + timeout
        while True:
            pid, status, usage = os.wait4(process.pid, os.WNOHANG)
            if pid:
                break
            if time.perf_counter() > deadline:
                process.kill()
                pid, status, usage = os.wait4(process.pid, 0)
                break
            time.sleep(0.02)
    process.returncode = os.waitstatus_to_exitcode(status)
    wall = time.perf_counter() - started
    return {
        "started_monotonic": started_monotonic, "ended_monotonic": time.monotonic(),
        "exit_code": process.returncode, "wall_s": round(wall, 3),
        "cpu_user_s": round(usage.ru_utime, 3), "cpu_sys_s": round(usage.ru_stime, 3),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),  # Linux: kilobytes
    }


def db_size(path: Path) -> dict[str, float]:
    sizes = {suffix or "db": path.with_name(path.name + suffix).stat().st_size
             for suffix in ("", "-wal") if path.with_name(path.name + suffix).exists()}
    return {f"{name}_mb": round(size / 2**20, 2) for name, size in sizes.items()}


def stored_counts(path: Path) -> dict[str, int]:
    import sqlite3

    with sqlite3.connect(path) as conn:
        ok = conn.execute("select count(*) from extractions where status = 'ok'").fetchone()[0]
        failed = conn.execute("select count(*) from extractions where status != 'ok'") \
            .fetchone()[0]
        incidents = conn.execute("select count(*) from incidents").fetchone()[0]
    return {"extracted": ok, "failed": failed, "incidents": incidents}


def extract_command(articles: Path, db: Path, server: FakeServer, concurrency: int,
                    extra: list[str]) -> list[str]:
    return [EXTRACTOR, "extract", str(articles), "--model", "fake-model", "--base-url",
            server.base_url, "--api-key", API_KEY, "--db", str(db), "--concurrency",
            str(concurrency), "--quiet", *extra]


def bench_extract(n: int, concurrency: int, latency: float, extra: list[str], tag: str,
                  profile: bool) -> dict[str, Any]:
    articles = OUT / f"articles-{n}.jsonl"
    if not articles.exists():
        generate.write(articles, n)
    db = OUT / f"bench-{tag}.db"
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    ideal = concurrency / latency
    report: dict[str, Any] = {"n": n, "concurrency": concurrency, "latency_s": latency,
                              "ideal_articles_per_s": ideal}
    with FakeServer(latency, log_path=OUT / f"server-{tag}.log") as server:
        command = extract_command(articles, db, server, concurrency, extra)
        load_before = os.getloadavg()  # the machine is shared: note its load with each figure
        first = run_child(command, log=OUT / f"extract-{tag}-1.log",
                          profile=OUT / f"profile-{tag}.txt" if profile else None)
        first["loadavg_1min_before_after"] = [round(load_before[0], 2),
                                              round(os.getloadavg()[0], 2)]
        log = server.log()
        times = sorted(entry["time"] for entry in log)
        busy = (times[-1] - times[0] + latency) if times else float("nan")
        start_s = (times[0] - first.pop("started_monotonic")) if times else float("nan")
        end_s = (first.pop("ended_monotonic") - times[-1] - latency) if times else float("nan")
        first.update({
            "model_calls": len(log),
            "start_to_first_request_s": round(start_s, 3),
            "last_answer_to_exit_s": round(end_s, 3),
            "articles_per_s": round(n / first["wall_s"], 1),
            "of_ideal": round(n / first["wall_s"] / ideal, 3),
            "busy_window_s": round(busy, 3),
            "busy_articles_per_s": round(len(log) / busy, 1),
            "busy_of_ideal": round(len(log) / busy / ideal, 3),
            "cpu_ms_per_article": round((first["cpu_user_s"] + first["cpu_sys_s"]) * 1000 / n, 2),
            **stored_counts(db), **db_size(db),
        })
        report["first_run"] = first
        server.reset()
        second = run_child(extract_command(articles, db, server, concurrency, extra),
                           log=OUT / f"extract-{tag}-2.log")
        for key in ("started_monotonic", "ended_monotonic"):
            second.pop(key)
        second["model_calls"] = len(server.log())
        second["cpu_ms_per_article"] = round(
            (second["cpu_user_s"] + second["cpu_sys_s"]) * 1000 / n, 2)
        report["cached_run"] = second
    if profile:
        report["profile_top"] = summarise_profile(OUT / f"profile-{tag}.txt")
    return report


def summarise_profile(path: Path, top: int = 25) -> dict[str, list[tuple[str, float]]]:
    """Self and inclusive time per function from py-spy's raw (collapsed stack) output."""
    own: dict[str, int] = {}
    inclusive: dict[str, int] = {}
    total = 0
    if not path.exists():
        return {}
    for line in path.read_text().splitlines():
        stack, _, count_text = line.rpartition(" ")
        if not stack:
            continue
        count = int(count_text)
        total += count
        frames = stack.split(";")
        own[frames[-1]] = own.get(frames[-1], 0) + count
        for frame in set(frames):
            inclusive[frame] = inclusive.get(frame, 0) + count

    def share(table: dict[str, int]) -> list[tuple[str, float]]:
        ranked = sorted(table.items(), key=lambda item: -item[1])[:top]
        return [(frame, round(100 * count / total, 1)) for frame, count in ranked]

    return {"self_percent": share(own), "inclusive_percent": share(inclusive)}


# --- scoring ----------------------------------------------------------------------------------


def bench_scoring(n: int) -> dict[str, Any]:
    """Score N gold-like articles from predictions stored in SQLite, as ``eval --rescore``."""
    import scoring_data

    gold_path, db, eval_run_id = scoring_data.prepare(OUT, n)
    command = [EXTRACTOR, "eval", str(gold_path), "--rescore", str(eval_run_id), "--db",
               str(db), "--json", "--quiet"]
    cli = run_child(command, log=OUT / "scoring-cli.log")
    for key in ("started_monotonic", "ended_monotonic"):
        cli.pop(key)
    inproc = scoring_data.time_in_process(gold_path, db, eval_run_id)
    return {"n": n, "cli_rescore": cli, **inproc}


# --- the report -------------------------------------------------------------------------------


def machine() -> dict[str, Any]:
    cpu = "unknown"
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return {"cpus": os.cpu_count(), "cpu": cpu, "memory_gib": round(memory, 1),
            "python": platform.python_version(), "platform": platform.platform()}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles [1000]")
    parser.add_argument("--concurrency", type=int, default=64)
    parser.add_argument("--latency", type=float, default=0.5, help="seconds per request")
    parser.add_argument("--scoring-n", type=int, default=1000, help="gold articles [1000]")
    parser.add_argument("--skip-extract", action="store_true")
    parser.add_argument("--skip-scoring", action="store_true")
    parser.add_argument("--profile", action="store_true",
                        help="record the first run with py-spy (pip install py-spy)")
    parser.add_argument("--tag", default=None, help="name of this run's files")
    parser.add_argument("extra", nargs="*", help="more arguments for extractor extract")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    tag = args.tag or f"n{args.n}-c{args.concurrency}"
    results: dict[str, Any] = {"machine": machine(), "tag": tag,
                               "started": time.strftime("%Y-%m-%d %H:%M:%S")}
    if not args.skip_extract:
        results["extract"] = bench_extract(args.n, args.concurrency, args.latency, args.extra,
                                           tag, args.profile)
    if not args.skip_scoring:
        results["scoring"] = bench_scoring(args.scoring_n)
    path = OUT / f"results-{tag}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))
    print(f"\nwritten: {path}", file=sys.stderr)


if __name__ == "__main__":
    main()
