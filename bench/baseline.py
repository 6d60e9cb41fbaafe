"""Benchmark the offline baseline: time against article size, and articles/s on 1 and 2 cores.

    .venv/bin/python bench/baseline.py                        # 0.4, 2, 20 MB; 3,000 articles
    .venv/bin/python bench/baseline.py --sizes 0.4,0.8,1.6    # the size part only ...
    .venv/bin/python bench/baseline.py --skip-throughput      # ... without the throughput part
    .venv/bin/python bench/baseline.py --n 5000 --skip-sizes  # the throughput part only

Sizes: one article made of generated wire stories (``bench/generate.py``) joined until it has
the given number of characters, read by ``BaselineBackend.extract_sync`` in this process; and
one written as a single line (``--one-line-sizes``). Measured: wall and CPU seconds, and CPU
seconds per MB (constant when the time is linear).

Throughput: N generated articles run through the real CLI (``extractor extract --model
baseline``) in a child process, each time into a fresh database: ``-c 1`` (the rules in the
pipeline's own process), then ``-c 2`` and ``-c 8`` (two worker processes on a two-core
machine). Measured: wall time, articles/s, the speed-up over ``-c 1``, the CPU seconds of the
run and its workers (``os.wait4`` rusage of the child includes its waited-for workers), the
cores the run got (CPU seconds / wall seconds) and the load average: on a shared machine other
work takes cores from the run, and the speed-up can only follow the cores it gets.

Results go to ``bench/out/baseline-*.json`` and are printed as Markdown tables.
"""

from __future__ import annotations

import argparse
import gc
import json
import os
import platform
import subprocess
import sys
import time
from datetime import date
from pathlib import Path
from typing import Any

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent
OUT = HERE / "out"
sys.path.insert(0, str(HERE))

import generate  # noqa: E402

from extractor.baseline.backend import BaselineBackend  # noqa: E402
from extractor.resolve.gazetteer import Gazetteer  # noqa: E402
from extractor.resolve.registry import ActorRegistry  # noqa: E402
from extractor.schemas import Article, article_id_for  # noqa: E402

EXTRACTOR = str(Path(sys.executable).parent / "extractor")
MB = 1_000_000


def big_article(characters: int, one_line: bool = False) -> Article:
    """Generated stories joined as paragraphs until the text has ``characters`` characters;
    with ``one_line``, every line break made a space (one line of text, the case that made
    sentence splitting quadratic)."""
    parts: list[str] = []
    total = 0
    for story in generate.articles(10_000_000):
        text = str(story["text"])
        parts.append(text.replace("\n", " ") if one_line else text)
        total += len(text) + 2
        if total >= characters:
            break
    text = (" " if one_line else "\n\n").join(parts)[:characters]
    return Article(id=article_id_for(text), text=text, published=date(2024, 7, 3))


def time_sizes(sizes: list[tuple[float, bool]]) -> list[dict[str, Any]]:
    backend = BaselineBackend(ActorRegistry.load(), Gazetteer.load())
    rows = []
    for size, one_line in sizes:
        article = big_article(int(size * MB), one_line)
        gc.collect()  # the previous result is gone: its collection is not timed here
        load = os.getloadavg()[0]
        wall, cpu = time.perf_counter(), time.process_time()
        result = backend.extract_sync(article)
        wall, cpu = time.perf_counter() - wall, time.process_time() - cpu
        row = {"mb": size, "one_line": one_line, "characters": len(article.text),
               "wall_s": round(wall, 2),
               "cpu_s": round(cpu, 2), "cpu_s_per_mb": round(cpu / size, 2),
               "incidents": len(result.incidents), "load": round(load, 1)}
        print(f"  {_label(row)}: {wall:.2f} s wall, {cpu:.2f} s CPU, "
              f"{row['incidents']} incidents", flush=True)
        rows.append(row)
        del article, result
    return rows


def _label(row: dict[str, Any]) -> str:
    return f"{row['mb']} MB" + (", one line" if row["one_line"] else "")


def run_cli(feed: Path, concurrency: int, work: Path) -> dict[str, Any]:
    db = work / f"baseline-c{concurrency}.db"
    for leftover in (db, db.with_suffix(".db-wal"), db.with_suffix(".db-shm")):
        leftover.unlink(missing_ok=True)
    load = os.getloadavg()[0]
    began = time.perf_counter()
    child = subprocess.Popen([EXTRACTOR, "extract", str(feed), "--model", "baseline", "--db",
                              str(db), "--concurrency", str(concurrency), "-q"],
                             stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, cwd=ROOT)
    assert child.stderr is not None
    stderr = child.stderr.read()
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - began
    child.returncode = os.waitstatus_to_exitcode(status)
    if child.returncode != 0:
        raise RuntimeError(f"extract -c {concurrency} failed: {stderr.decode()[-2000:]}")
    return {"concurrency": concurrency, "wall_s": round(wall, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "load_before": round(load, 1), "load_after": round(os.getloadavg()[0], 1)}


def time_throughput(n: int, levels: list[int]) -> list[dict[str, Any]]:
    OUT.mkdir(exist_ok=True)
    feed = generate.write(OUT / f"articles-{n}.jsonl", n)
    rows = []
    for concurrency in levels:
        row = run_cli(feed, concurrency, OUT)
        row["articles_per_s"] = round(n / row["wall_s"], 1)
        row["cpu_ms_per_article"] = round(row["cpu_s"] * 1000 / n, 2)
        row["cores_used"] = round(row["cpu_s"] / row["wall_s"], 2)  # what the machine gave
        rows.append(row)
        print(f"  -c {concurrency}: {row['wall_s']} s, {row['articles_per_s']} articles/s, "
              f"load {row['load_before']} -> {row['load_after']}", flush=True)
    single = rows[0]["articles_per_s"]
    for row in rows:
        row["speedup"] = round(row["articles_per_s"] / single, 2)
    return rows


def report(sizes: list[dict[str, Any]], throughput: list[dict[str, Any]], n: int) -> str:
    lines = []
    if sizes:
        lines += ["| article | wall | CPU | CPU per MB | incidents | load |",
                  "|---|---|---|---|---|---|"]
        lines += [f"| {_label(r)} | {r['wall_s']} s | {r['cpu_s']} s | {r['cpu_s_per_mb']} s "
                  f"| {r['incidents']} | {r['load']} |" for r in sizes]
    if throughput:
        lines += ["", f"{n:,} articles through `extractor extract --model baseline`:", "",
                  "| concurrency | processes | wall | articles/s | speed-up | CPU per article "
                  "| cores used | load before → after |", "|---|---|---|---|---|---|---|---|"]
        for r in throughput:
            processes = "1" if r["concurrency"] == 1 else f"1 + {min(r['concurrency'], cores())}"
            lines.append(f"| {r['concurrency']} | {processes} | {r['wall_s']} s "
                         f"| {r['articles_per_s']} | {r['speedup']}× "
                         f"| {r['cpu_ms_per_article']} ms | {r['cores_used']} "
                         f"| {r['load_before']} → "
                         f"{r['load_after']} |")
    return "\n".join(lines)


def cores() -> int:
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:
        return os.cpu_count() or 1


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default="0.4,2,20", help="article sizes in MB [0.4,2,20]")
    parser.add_argument("--one-line-sizes", default="2",
                        help="sizes in MB of articles written as one line [2]")
    parser.add_argument("--n", type=int, default=3000, help="articles for throughput [3000]")
    parser.add_argument("--concurrency", default="1,2,8",
                        help="levels of --concurrency to run; the first is the reference [1,2,8]")
    parser.add_argument("--skip-sizes", action="store_true")
    parser.add_argument("--skip-throughput", action="store_true")
    args = parser.parse_args(argv)
    print(f"{platform.processor() or platform.machine()}, {cores()} cores, "
          f"Python {platform.python_version()}", flush=True)
    sizes = [] if args.skip_sizes else time_sizes(
        [(float(s), False) for s in args.sizes.split(",") if s]
        + [(float(s), True) for s in args.one_line_sizes.split(",") if s])
    throughput = [] if args.skip_throughput else time_throughput(
        args.n, [int(c) for c in args.concurrency.split(",")])
    OUT.mkdir(exist_ok=True)
    stamp = time.strftime("%Y%m%d-%H%M%S")
    results = {"cores": cores(), "python": platform.python_version(), "sizes": sizes,
               "throughput": throughput, "n": args.n}
    (OUT / f"baseline-{stamp}.json").write_text(json.dumps(results, indent=2), encoding="utf-8")
    print()
    print(report(sizes, throughput, args.n))


if __name__ == "__main__":
    main()
