"""The world gazetteer: build time, index size, open time, lookup speed, memory, accuracy.

    .venv/bin/python bench/geocoding.py

Builds the index in a fresh temporary cache folder (what the first run on a new machine
pays), then measures a run that opens the built index, as every later run does.
"""

from __future__ import annotations

import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]

PROBE = """
import resource, sys, time
from pathlib import Path
started = time.perf_counter()
from extractor.evals.geocoding import load_places, score_places, share_right
from extractor.resolve.gazetteer import Gazetteer
from extractor.resolve.world import WorldIndex
gazetteer = Gazetteer.load(world=WorldIndex(Path(sys.argv[1])))
scores = score_places(load_places(Path(sys.argv[2])), gazetteer)
first = time.perf_counter() - started
import sqlite3
names = [row[0] for row in sqlite3.connect(gazetteer.world.path).execute(
    "select name from places where id % 37 = 0 limit 5000")]
began = time.perf_counter()
for name in names:  # 5,000 distinct names: each one query past the in-memory cache
    gazetteer.world.candidates(name)
per_lookup = (time.perf_counter() - began) / len(names)
rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
print(f"{first:.2f} {per_lookup * 1e6:.0f} {rss:.0f} {share_right(scores):.3f} {len(scores)}")
"""


def main() -> None:
    with tempfile.TemporaryDirectory() as cache:
        started = time.perf_counter()
        build = subprocess.run(
            [sys.executable, "-c", "import sys; from pathlib import Path; "
             "from extractor.resolve.world import WorldIndex; "
             "WorldIndex(Path(sys.argv[1])).candidates('Goma')", cache],
            check=True, capture_output=True, text=True)
        built = time.perf_counter() - started
        del build
        size = sum(p.stat().st_size for p in Path(cache).iterdir()) / 1e6
        places = REPO / "evals" / "geocoding" / "places.csv"
        out = subprocess.run([sys.executable, "-c", PROBE, cache, str(places)], check=True,
                             capture_output=True, text=True).stdout.split()
        peak_build = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
    first, per_lookup, rss, share, count = out
    print(f"index build (first run, includes Python start-up): {built:.1f} s, "
          f"peak {peak_build:.0f} MB, index {size:.1f} MB")
    print(f"later run: import + open + {count} reference places resolved: {first} s; "
          f"peak RSS {rss} MB; one uncached lookup {per_lookup} us")
    print(f"reference places within 25 km: {float(share):.1%} of {count}")


if __name__ == "__main__":
    main()
