"""Reliability at benchmark scale: the checks of ``tests/test_reliability.py`` on 1,000 articles.

    .venv/bin/python bench/reliability.py                 # all three, 1,000 articles
    .venv/bin/python bench/reliability.py --only kill --n 2000

* ``faults``: every request of every article draws from a seeded mix (20% 429 with
  retry-after, 10% 500, 5% timeouts, 5% dropped connections, 10% malformed JSON, 5% schema-
  invalid, 5% truncated). Every article must end extracted or failed with a reason, calls per
  article stay within (max_retries + 1) x (validation_retries + 1), and a second run with the
  faults off completes exactly the failed ones.
* ``kill``: ``kill -9`` of the run at several seeded points, a final run to completion, and a
  comparison with an uninterrupted run: integrity check, one extraction per article, equal
  totals.
* ``writers``: several ``extractor extract`` processes on one database with overlapping
  inputs: all exit 0, no "database is locked", nothing duplicated.
* ``shared``: several processes on the same input and database: each article goes to the
  model about once (claims), requests <= 1.1 x articles.

Exit status 1 when a check fails. Results are written to ``bench/out/reliability-*.json``.
"""

from __future__ import annotations

import argparse
import json
import random
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
sys.path.insert(0, str(HERE.parent / "tests"))

import generate  # noqa: E402
from fakeserver import seeded_faults  # noqa: E402
from run import EXTRACTOR, OUT, FakeServer  # noqa: E402

MAX_RETRIES = 2
VALIDATION_RETRIES = 1


class CheckFailed(Exception):
    pass


def check(condition: bool, message: str) -> None:
    if not condition:
        raise CheckFailed(message)


def marker(index: int) -> str:
    """A substring only article ``index`` of bench/generate.py holds (its wire slug)."""
    return f"-{index:06d})"


def fresh(db: Path) -> Path:
    for suffix in ("", "-wal", "-shm"):
        db.with_name(db.name + suffix).unlink(missing_ok=True)
    return db


def query(db: Path, sql: str) -> list[tuple[Any, ...]]:
    with sqlite3.connect(db) as conn:
        return conn.execute(sql).fetchall()


def one(db: Path, sql: str) -> Any:
    return query(db, sql)[0][0]


def stored_ok(db: Path) -> int:
    """Extractions stored as ok so far; 0 while the database is still being created."""
    try:
        return one(db, "select count(*) from extractions where status = 'ok'")
    except sqlite3.OperationalError:
        return 0


def totals(db: Path) -> dict[str, int]:
    tables = ("articles", "extractions", "incidents", "casualties", "evidence",
              "incident_actors", "actor_mentions")
    return {t: one(db, f"select count(*) from [{t}]") for t in tables}


def duplicates(db: Path) -> int:
    return len(query(db, "select article_id from extractions group by article_id "
                         "having count(*) > 1")) + \
        len(query(db, "select extraction_id, position from incidents "
                      "group by extraction_id, position having count(*) > 1"))


def command(source: Path, db: Path, server: FakeServer, concurrency: int,
            timeout: float) -> list[str]:
    return [EXTRACTOR, "extract", str(source), "--model", "fake-model", "--base-url",
            server.base_url, "--api-key", "sk-bench-reliability", "--db", str(db),
            "--concurrency", str(concurrency), "--timeout", str(timeout), "--max-retries",
            str(MAX_RETRIES), "--validation-retries", str(VALIDATION_RETRIES), "--quiet"]


def run(args: list[str], timeout: float = 1800) -> subprocess.CompletedProcess[str]:
    return subprocess.run(args, capture_output=True, text=True, timeout=timeout)


def faults(source: Path, n: int, concurrency: int, seed: int) -> dict[str, Any]:
    db = fresh(OUT / "reliability-faults.db")
    rng = random.Random(seed)
    with FakeServer(0.2, log_path=OUT / "reliability-faults-server.log") as server:
        for index in range(n):
            server.script(marker(index),
                          seeded_faults(rng, 8, retry_after=0.2, stall_seconds=3.0))
        started = time.perf_counter()
        first = run(command(source, db, server, concurrency, timeout=1.0))
        first_s = time.perf_counter() - started
        # 4: some articles failed (the fault mix fails some), the rest is stored.
        check(first.returncode == 4, f"first run exited {first.returncode}: {first.stderr[-500:]}")
        log = server.log()
        per_article: dict[str, int] = {}
        for entry in log:
            per_article[entry["article"]] = per_article.get(entry["article"], 0) + 1
        bound = (MAX_RETRIES + 1) * (VALIDATION_RETRIES + 1)
        check(max(per_article.values()) <= bound, "an article took more calls than the bound")
        check(len(log) == one(db, "select count(*) from model_calls"),
              "calls seen by the server and calls logged differ")
        failed = query(db, "select error_kind, error from extractions where status != 'ok'")
        check(one(db, "select count(*) from extractions") == n, "an article has no outcome")
        check(all(kind and error for kind, error in failed), "a failure without a reason")
        kinds: dict[str, int] = {}
        for kind, _ in failed:
            kinds[kind] = kinds.get(kind, 0) + 1
        server.reset()
        started = time.perf_counter()
        second = run(command(source, db, server, concurrency, timeout=1.0))
        second_s = time.perf_counter() - started
        check(second.returncode == 0, f"second run exited {second.returncode}")
        recalled = len(server.log())
    check(recalled == len(failed), "the second run asked again for more than the failed")
    check(one(db, "select count(*) from extractions where status = 'ok'") == n,
          "articles still failed after the faults were off")
    check(duplicates(db) == 0, "duplicated rows")
    return {"articles": n, "first_run_s": round(first_s, 1), "calls": len(log),
            "call_bound": n * bound, "max_calls_per_article": max(per_article.values()),
            "failed_first_run": len(failed), "failed_by_kind": kinds,
            "second_run_s": round(second_s, 1), "second_run_calls": recalled,
            "extracted_after_second_run": n, "duplicates": 0}


def kill(source: Path, n: int, concurrency: int, seed: int, kills: int) -> dict[str, Any]:
    killed_db = fresh(OUT / "reliability-killed.db")
    clean_db = fresh(OUT / "reliability-clean.db")
    rng = random.Random(seed)
    points = sorted(rng.sample(range(n // 10, n - n // 10), kills))
    with FakeServer(0.1, log_path=OUT / "reliability-kill-server.log") as server:
        progress = []
        for point in points:
            process = subprocess.Popen(command(source, killed_db, server, concurrency, 10.0),
                                       stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
            seen_before = len(server.log())
            deadline = time.monotonic() + 600
            while process.poll() is None and time.monotonic() < deadline:
                if stored_ok(killed_db) >= point or len(server.log()) - seen_before > n:
                    break
                time.sleep(0.05)
            process.send_signal(signal.SIGKILL)
            process.wait(30)
            stored = one(killed_db, "select count(*) from extractions where status = 'ok'")
            progress.append({"kill_at_stored": point, "stored_after_kill": stored,
                             "integrity": one(killed_db, "pragma integrity_check")})
        final = run(command(source, killed_db, server, concurrency, 10.0))
        check(final.returncode == 0, f"final run exited {final.returncode}")
        clean = run(command(source, clean_db, server, concurrency, 10.0))
        check(clean.returncode == 0, f"clean run exited {clean.returncode}")
    for db in (killed_db, clean_db):
        check(one(db, "pragma integrity_check") == "ok", f"{db.name}: integrity check failed")
        check(query(db, "pragma foreign_key_check") == [], f"{db.name}: foreign keys broken")
        check(duplicates(db) == 0, f"{db.name}: duplicated rows")
    check(all(p["integrity"] == "ok" for p in progress), "integrity failed after a kill")
    after, reference = totals(killed_db), totals(clean_db)
    check(after == reference, f"totals differ: {after} vs {reference}")
    return {"articles": n, "kills": progress, "totals": after, "equal_to_uninterrupted": True}


def writers(source: Path, n: int, concurrency: int, processes: int) -> dict[str, Any]:
    db = fresh(OUT / "reliability-writers.db")
    lines = source.read_text(encoding="utf-8").splitlines(keepends=True)
    span = n * 2 // (processes + 1)  # each slice overlaps the next by half
    slices = []
    for number in range(processes):
        start = number * span // 2
        path = OUT / f"reliability-slice-{number}.jsonl"
        path.write_text("".join(lines[start:start + span]), encoding="utf-8")
        slices.append(path)
    covered = len({i for number in range(processes)
                   for i in range(number * span // 2, min(n, number * span // 2 + span))})
    with FakeServer(0.1, log_path=OUT / "reliability-writers-server.log") as server:
        started = time.perf_counter()
        running = [subprocess.Popen(command(path, db, server, concurrency, 10.0),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for path in slices]
        outputs = [p.communicate(timeout=1800) for p in running]
        elapsed = time.perf_counter() - started
    codes = [p.returncode for p in running]
    locked = sum("locked" in err.lower() for _, err in outputs)
    check(codes == [0] * processes, f"exit codes {codes}")
    check(locked == 0, "'database is locked' reported")
    check(duplicates(db) == 0, "duplicated rows")
    counts = totals(db)
    check(counts["articles"] == covered == counts["extractions"], f"counts {counts}")
    return {"processes": processes, "articles": covered, "exit_codes": codes,
            "locked_messages": locked, "wall_s": round(elapsed, 1), "totals": counts}


def shared(source: Path, n: int, concurrency: int, processes: int) -> dict[str, Any]:
    db = fresh(OUT / "reliability-shared.db")
    with FakeServer(0.1, log_path=OUT / "reliability-shared-server.log") as server:
        started = time.perf_counter()
        running = [subprocess.Popen(command(source, db, server, concurrency, 10.0),
                                    stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
                   for _ in range(processes)]
        outputs = [p.communicate(timeout=1800) for p in running]
        elapsed = time.perf_counter() - started
        requests = len(server.log())
    codes = [p.returncode for p in running]
    check(codes == [0] * processes, f"exit codes {codes}: {[e[-300:] for _, e in outputs]}")
    check(duplicates(db) == 0, "duplicated rows")
    check(one(db, "select count(*) from extractions where status = 'ok'") == n, "not all ok")
    check(requests <= 1.1 * n, f"{requests} requests for {n} articles")
    return {"processes": processes, "articles": n, "requests": requests,
            "requests_per_article": round(requests / n, 3), "wall_s": round(elapsed, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000)
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--seed", type=int, default=2024)
    parser.add_argument("--kills", type=int, default=3)
    parser.add_argument("--processes", type=int, default=3)
    parser.add_argument("--only", choices=("faults", "kill", "writers", "shared"), default=None)
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    source = OUT / f"articles-{args.n}.jsonl"
    if not source.exists():
        generate.write(source, args.n)
    checks = {
        "faults": lambda: faults(source, args.n, args.concurrency, args.seed),
        "kill": lambda: kill(source, args.n, args.concurrency, args.seed, args.kills),
        "writers": lambda: writers(source, args.n, args.concurrency, args.processes),
        "shared": lambda: shared(source, args.n, args.concurrency, args.processes),
    }
    results: dict[str, Any] = {}
    failed = False
    for name, job in checks.items():
        if args.only and name != args.only:
            continue
        try:
            results[name] = {"ok": True, **job()}
        except CheckFailed as error:
            results[name] = {"ok": False, "failure": str(error)}
            failed = True
        print(json.dumps({name: results[name]}, indent=2), flush=True)
    path = OUT / f"reliability-{args.only or 'all'}-n{args.n}.json"
    path.write_text(json.dumps(results, indent=2) + "\n")
    print(f"written: {path}", file=sys.stderr)
    sys.exit(1 if failed else 0)


if __name__ == "__main__":
    main()
