"""The Batch API path at benchmark scale: submit, collect, and the synchronous path beside it.

    .venv/bin/python bench/batch.py            # 1,000 articles
    .venv/bin/python bench/batch.py --n 5000

Runs ``extractor extract --batch`` (request building through instructor, upload, create),
then ``extractor batch collect --wait`` (download, validation, post-processing, store), then
the same articles through ``extractor extract`` on a fresh database, all against
``tests/fakeserver.py`` in its own process (no latency: the batch path makes no per-article
request). Reports wall and CPU time per step, and checks that both databases hold the same
extractions at the same token counts, the batch's at half the cost. Results go to
``bench/out/batch-N.json``; exit status 1 when a check fails.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

import generate  # noqa: E402
from run import API_KEY, EXTRACTOR, OUT, FakeServer, run_child  # noqa: E402

PRICES = "model,input_per_million_usd,output_per_million_usd\nfake-model,0.15,0.60\n"


def totals(db: Path) -> dict[str, Any]:
    with sqlite3.connect(db) as conn:
        ok, tokens, cost = conn.execute(
            "select count(*), sum(total_tokens), sum(cost_usd) from extractions "
            "where status = 'ok'").fetchone()
        incidents = conn.execute("select count(*) from incidents").fetchone()[0]
    return {"ok": ok, "tokens": tokens, "cost_usd": round(cost or 0.0, 6),
            "incidents": incidents}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=1000, help="articles [1000]")
    args = parser.parse_args(argv)
    work = OUT / f"batch-{args.n}"
    work.mkdir(parents=True, exist_ok=True)
    for old in work.glob("*.db*"):
        old.unlink()
    articles = generate.write(OUT / f"articles-{args.n}.jsonl", args.n)
    prices = work / "prices.csv"
    prices.write_text(PRICES)
    batch_db, sync_db = work / "batch.db", work / "sync.db"
    results: dict[str, Any] = {"n": args.n}
    with FakeServer(latency=0.0) as server:
        common = ["--model", "fake-model", "--base-url", server.base_url, "--api-key", API_KEY,
                  "--prices", str(prices), "--quiet"]
        results["submit"] = run_child(
            [EXTRACTOR, "extract", str(articles), "--batch", "--db", str(batch_db), *common],
            log=work / "submit.log")
        batch_id = (work / "submit.log").read_text().split("\n")
        batch_id = next(line for line in batch_id if line.startswith("batch_"))
        results["collect"] = run_child(
            [EXTRACTOR, "batch", "collect", batch_id, "--wait", "--poll-interval", "0.05",
             "--db", str(batch_db), "--base-url", server.base_url, "--api-key", API_KEY,
             "--prices", str(prices), "--quiet"], log=work / "collect.log")
        results["sync"] = run_child(
            [EXTRACTOR, "extract", str(articles), "--db", str(sync_db), "--concurrency", "64",
             *common], log=work / "sync.log")
    results["batch_db"], results["sync_db"] = totals(batch_db), totals(sync_db)
    checks = {
        "all extracted": results["batch_db"]["ok"] == results["sync_db"]["ok"] == args.n,
        "same tokens": results["batch_db"]["tokens"] == results["sync_db"]["tokens"],
        "same incidents": results["batch_db"]["incidents"] == results["sync_db"]["incidents"],
        "half the cost": abs(results["batch_db"]["cost_usd"] * 2
                             - results["sync_db"]["cost_usd"]) < 1e-5,
    }
    results["checks"] = checks
    for step in ("submit", "collect", "sync"):
        run = results[step]
        cpu = run["cpu_user_s"] + run["cpu_sys_s"]
        print(f"{step:8} exit {run['exit_code']}  wall {run['wall_s']:7.2f} s  cpu {cpu:7.2f} s"
              f"  ({cpu / args.n * 1000:.2f} ms/article)  peak {run['peak_rss_mb']} MB")
    print("batch:", results["batch_db"], " sync:", results["sync_db"])
    print("checks:", checks)
    (OUT / f"batch-{args.n}.json").write_text(json.dumps(results, indent=2))
    return 0 if all(checks.values()) else 1


if __name__ == "__main__":
    sys.exit(main())
