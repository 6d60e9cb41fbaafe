"""Intake benchmark: peak memory and speed of reading input, without extraction.

Each case reads its input with ``read_articles`` in a child process, which is measured from
outside (peak RSS and CPU time from ``os.wait4``), so the figures are the reader's own and not
the benchmark's. Inputs are generated into ``bench/out/intake/`` (git-ignored) once.

    .venv/bin/python bench/intake.py             # every case; results-intake.json in bench/out
    .venv/bin/python bench/intake.py --case huge-line-default
"""

from __future__ import annotations

import argparse
import csv
import json
import os
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "bench" / "out" / "intake"
MB = 1024 * 1024
SENTENCE = ("Rebels ambushed a convoy of soldiers near Kidal on Saturday, killing at least "
            "15 of them, local officials told reporters on Monday. ")

# The child: read everything, count, report. Its memory is what is measured.
CHILD = """
import json, sys, time
from extractor.intake.articles import IntakeConfig, SourcedArticle, read_articles
limit = int(sys.argv[2])
started = time.perf_counter()
articles = problems = chars = 0
for item in read_articles([sys.argv[1]], IntakeConfig(max_item_bytes=limit)):
    if isinstance(item, SourcedArticle):
        articles += 1
        chars += len(item.article.text)
    else:
        problems += 1
print(json.dumps({"articles": articles, "problems": problems, "chars": chars,
                  "read_s": time.perf_counter() - started}))
"""
FLOOR = "import extractor.intake.articles"  # what every case imports before reading


def huge_line(path: Path, size: int) -> Path:
    """One JSONL line of ``size`` bytes of article text."""
    if not path.exists():
        with path.open("wb") as handle:
            handle.write(b'{"title": "One huge line", "text": "')
            written = 0
            chunk = SENTENCE.encode() * 1000
            while written < size:
                handle.write(chunk[: size - written])
                written += min(len(chunk), size - written)
            handle.write(b'"}\n')
    return path


def many_lines(path: Path, n: int) -> Path:
    """``n`` JSONL articles of ~4,000 characters."""
    if not path.exists():
        with path.open("w", encoding="utf-8") as handle:
            for i in range(n):
                text = f"Report {i}. " + SENTENCE * 30
                handle.write(json.dumps({"title": f"Article {i}", "published": "2025-03-18",
                                         "text": text}) + "\n")
    return path


def many_rows(path: Path, n: int) -> Path:
    if not path.exists():
        with path.open("w", encoding="utf-8", newline="") as handle:
            writer = csv.writer(handle)
            writer.writerow(["title", "published", "text"])
            for i in range(n):
                writer.writerow([f"Article {i}", "2025-03-18", f"Report {i}.\n" + SENTENCE * 30])
    return path


def feed(path: Path, n: int) -> Path:
    if not path.exists():
        items = "".join(
            f"<item><title>Article {i}</title><link>https://example.org/{i}</link>"
            f"<pubDate>Tue, 18 Mar 2025 09:00:00 GMT</pubDate><description><![CDATA[<p>Report "
            f"{i}.</p><p>{SENTENCE * 30}</p>]]></description></item>\n" for i in range(n))
        path.write_text('<?xml version="1.0" encoding="utf-8"?>\n<rss version="2.0"><channel>'
                        f"<title>Bench</title>\n{items}</channel></rss>\n", encoding="utf-8")
    return path


def page(path: Path, size: int) -> Path:
    """One web page of ``size`` bytes of distinct paragraphs (trafilatura drops repeats)."""
    if not path.exists():
        parts, written, i = [], 0, 0
        while written < size:
            para = (f"<p>Paragraph {i}: rebels ambushed a convoy near Kidal on Saturday, killing "
                    f"{i % 97} soldiers, officials said in statement {i * 7919 % 100003}.</p>\n")
            parts.append(para)
            written, i = written + len(para), i + 1
        path.write_text("<html><head><title>Big page</title></head><body><article>"
                        + "".join(parts) + "</article></body></html>\n", encoding="utf-8")
    return path


def cases() -> dict[str, tuple[Path | None, int]]:
    OUT.mkdir(parents=True, exist_ok=True)
    line = huge_line(OUT / "huge-50mb.jsonl", 50 * MB)
    return {
        "floor (imports only)": (None, 0),
        "huge-line-default": (line, 16 * MB),  # refused: over the default 16 MB item limit
        "huge-line-raised": (line, 64 * MB),  # read: the limit raised past the line
        "jsonl-20k": (many_lines(OUT / "20k.jsonl", 20_000), 16 * MB),
        "csv-20k": (many_rows(OUT / "20k.csv", 20_000), 16 * MB),
        "rss-2k": (feed(OUT / "2k.rss", 2_000), 16 * MB),
        "html-8mb": (page(OUT / "page-8mb.html", 8 * MB), 16 * MB),
    }


def measure(path: Path | None, limit: int) -> dict[str, object]:
    code = FLOOR if path is None else CHILD
    args = [sys.executable, "-c", code] + ([str(path), str(limit)] if path else [])
    started = time.perf_counter()
    child = subprocess.Popen(args, cwd=ROOT, stdout=subprocess.PIPE, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - started
    out = child.stdout.read().decode() if child.stdout else ""
    err = child.stderr.read().decode() if child.stderr else ""
    if os.waitstatus_to_exitcode(status) != 0:
        raise SystemExit(f"child failed: {err}")
    result: dict[str, object] = json.loads(out) if out.strip() else {}
    result.update({
        "input_mb": round(path.stat().st_size / MB, 1) if path else 0,
        "limit_mb": round(limit / MB, 1),
        "peak_rss_mb": round(usage.ru_maxrss / 1024, 1),
        "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
        "wall_s": round(wall, 2),
        "load": round(os.getloadavg()[0], 1),
    })
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--case", action="append", help="run only this case (repeatable)")
    chosen = parser.parse_args().case
    results = {}
    for name, (path, limit) in cases().items():
        if chosen and name not in chosen:
            continue
        results[name] = measure(path, limit)
        print(f"{name:22} {json.dumps(results[name])}", flush=True)
    (OUT.parent / "results-intake.json").write_text(json.dumps(results, indent=2) + "\n")


if __name__ == "__main__":
    main()
