"""Benchmark: grouping and exporting 100,000 incidents (time and peak memory per command).

Builds a database of N synthetic incidents directly in SQL (articles of two incidents each,
a third of the events told again by another outlet), then runs, each as its own child process
measured with ``os.wait4``: ``extractor events group`` and ``extractor export`` in every format,
for events and for incidents. Results go to ``bench/out/export-N.json``; figures to RESULTS.md.

    .venv/bin/python bench/export.py            # N = 100,000
    .venv/bin/python bench/export.py --n 10000
"""

from __future__ import annotations

import argparse
import json
import os
import random
import subprocess
import sys
import time
from datetime import date, timedelta
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from extractor.store.database import open_db  # noqa: E402

OUT = ROOT / "bench" / "out"
PLACES = [  # name, admin1, latitude, longitude
    ("Moura", "Mopti", 14.0, -4.5), ("Boni", "Mopti", 15.07, -2.23),
    ("Hombori", "Mopti", 15.285, -1.7), ("Bandiagara", "Mopti", 14.35, -3.61),
    ("Kidal", "Kidal", 18.4411, 1.4078), ("Tessit", "Gao", 15.013, 0.286),
    ("Ménaka", "Ménaka", 15.918, 2.402), ("Tinzaouaten", "Kidal", 19.956, 2.968),
]
TYPES = [("battles", "armed_clash"), ("violence_against_civilians", "attack"),
         ("explosions_remote_violence", "remote_explosive_landmine_ied"),
         ("explosions_remote_violence", "air_drone_strike")]
ACTORS = [("malian-armed-forces", "Malian Armed Forces", "state_forces"),
          ("wagner-group", "Wagner Group", "external_forces"),
          ("jnim", "Jama'at Nasr al-Islam wal Muslimin", "rebel_group"),
          ("issp", "Islamic State Sahel Province", "rebel_group"),
          ("civilians", "civilians", "civilians")]
OUTLETS = ["AFP", "Reuters", "RFI", "AP", "Studio Tamani"]


def build(path: Path, n: int, seed: int = 7) -> None:
    """A database of ``n`` incidents: events told once or twice, two incidents per article."""
    rng = random.Random(seed)
    path.unlink(missing_ok=True)
    db = open_db(path)
    conn = db.conn
    conn.execute("BEGIN")
    conn.execute("insert into runs (id, command, model, status, started_at) values "
                 "(1, 'bench', 'baseline', 'completed', '2026-01-01T00:00:00+00:00')")
    conn.executemany("insert into actors (id, name, aliases, actor_type, in_registry) "
                     "values (?, ?, '[]', ?, 1)", ACTORS)
    start = date(2022, 1, 1)
    events = []
    for number in range(n):  # more events than needed; each told once or twice
        place = PLACES[number % len(PLACES)]
        kind = TYPES[rng.randrange(len(TYPES))]
        day = start + timedelta(days=rng.randrange(3 * 365))
        sides = rng.sample(ACTORS[:4], 2)
        events.append((place, kind, day, sides, rng.randrange(0, 40)))
    made = 0
    article = 0
    pending: list[tuple[Any, ...]] = []
    while made < n:
        pending.append(events[article])
        if rng.random() < 0.33:  # the same event from another outlet
            pending.append(events[article])
        article += 1
        while len(pending) >= 2 and made < n:
            _article(conn, f"a{article:08d}-{made}", pending[:2], rng)
            made += 2
            del pending[:2]
    conn.execute("COMMIT")
    db.close()


def _article(conn: Any, article_id: str, items: list[tuple[Any, ...]],
             rng: random.Random) -> None:
    text = " ".join(f"Fighting was reported in {p[0]} on {d.isoformat()}." for p, _, d, _, _
                    in items) * 4
    conn.execute("insert into articles (id, title, source, text, char_count, published) "
                 "values (?, ?, ?, ?, ?, ?)",
                 [article_id, f"Report {article_id}", OUTLETS[rng.randrange(len(OUTLETS))],
                  text, len(text), items[0][2].isoformat()])
    key = f"x{article_id}"
    conn.execute("insert into extractions (id, article_id, run_id, model, prompt_hash, "
                 "schema_hash, params_hash, status, incident_count, updated_at) values "
                 "(?, ?, 1, 'baseline', 'p', 's', 'h', 'ok', ?, '2026-01-01T00:00:00+00:00')",
                 [key, article_id, len(items)])
    for position, (place, kind, day, sides, killed) in enumerate(items):
        incident_id = f"{key}-{position}"
        summary = (f"On {day.isoformat()}, {sides[0][1]} attacked {sides[1][1]} in {place[0]} "
                   f"(Mali): {killed} killed.")
        conn.execute(
            "insert into incidents (id, article_id, extraction_id, run_id, model, prompt_hash, "
            "schema_hash, position, summary, event_type, sub_event_type, date_text, "
            "date_start, date_end, date_precision, place, admin1, country, geo_precision, "
            "geo_precision_code, gazetteer_name, latitude, longitude, fatalities, weapons, "
            "sources, is_background, evidence_status) values (?, ?, ?, 1, 'baseline', 'p', "
            "'s', ?, ?, ?, ?, ?, ?, ?, 'day', ?, ?, 'Mali', 'place', 1, ?, ?, ?, ?, '[]', "
            "'[\"local officials\"]', 0, 'verified')",
            [incident_id, article_id, key, position, summary, kind[0], kind[1],
             day.isoformat(), day.isoformat(), day.isoformat(), place[0], place[1], place[0],
             place[2], place[3], killed])
        for role, actor in (("perpetrator", sides[0]), ("target", sides[1])):
            conn.execute("insert into incident_actors (incident_id, actor_id, role, "
                         "name_as_written, extraction_id) values (?, ?, ?, ?, ?)",
                         [incident_id, actor[0], role, actor[1], key])
        conn.execute("insert into casualties (id, incident_id, article_id, extraction_id, "
                     "run_id, model, position, kind, count_text, count_min, count_max, "
                     "victims_actor_id) values (?, ?, ?, ?, 1, 'baseline', 0, 'killed', ?, "
                     "?, ?, ?)", [f"{incident_id}-c0", incident_id, article_id, key,
                                  str(killed), killed, killed, sides[1][0]])
        conn.execute("insert into evidence (id, incident_id, article_id, extraction_id, "
                     "run_id, model, position, quote, start, end, alignment, score) values "
                     "(?, ?, ?, ?, 1, 'baseline', 0, ?, 0, ?, 'exact', 1.0)",
                     [f"{incident_id}-e0", incident_id, article_id, key, text[:60], 60])


def measure(command: list[str], log: Path) -> dict[str, Any]:
    """Wall time, CPU time and peak RSS of one child process."""
    started = time.perf_counter()
    with open(log, "w", encoding="utf-8") as handle:
        process = subprocess.Popen(command, stdout=handle, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
    if status != 0:
        raise SystemExit(f"{' '.join(command)} failed; see {log}")
    return {"wall_s": round(time.perf_counter() - started, 2),
            "cpu_s": round(usage.ru_utime + usage.ru_stime, 2),
            "peak_rss_mb": round(usage.ru_maxrss / 1024, 1)}


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=100_000, help="incidents")
    args = parser.parse_args(argv)
    OUT.mkdir(parents=True, exist_ok=True)
    db = OUT / f"export-{args.n}.db"
    started = time.perf_counter()
    build(db, args.n)
    results: dict[str, Any] = {"n": args.n, "build_s": round(time.perf_counter() - started, 1)}
    cli = [str(Path(sys.executable).parent / "extractor")]
    results["events group"] = measure([*cli, "events", "group", "--db", str(db)],
                                      OUT / "export-group.log")
    for fmt in ("acled", "geojson", "jsonl", "csv"):
        for what in ("--events", "--incidents"):
            target = OUT / f"export-{args.n}{what.replace('--', '-')}.{fmt}"
            results[f"{fmt} {what[2:]}"] = {
                **measure([*cli, "export", "--db", str(db), "--format", fmt, what, "-o",
                           str(target)], OUT / f"export-{fmt}.log"),
                "mb": round(target.stat().st_size / 1e6, 1),
                "records": _records(target, fmt),
            }
    results["events"] = _scalar(db, "select count(*) from events")
    results["db_mb"] = round(db.stat().st_size / 1e6, 1)
    (OUT / f"export-{args.n}.json").write_text(json.dumps(results, indent=2) + "\n")
    print(json.dumps(results, indent=2))


def _records(path: Path, fmt: str) -> int:
    with open(path, encoding="utf-8") as handle:
        lines = sum(1 for _ in handle)
    return {"acled": lines - 1, "csv": lines - 1, "jsonl": lines, "geojson": lines - 2}[fmt]


def _scalar(path: Path, sql: str) -> int:
    db = open_db(path)
    try:
        return int(db.execute(sql).fetchone()[0])
    finally:
        db.close()


if __name__ == "__main__":
    main()
