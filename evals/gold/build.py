"""Build the gold JSONL files from their readable Python source.

    .venv/bin/python evals/gold/build.py          # rewrite seeds.jsonl and hard_cases.jsonl
    .venv/bin/python evals/gold/build.py --check  # fail if the committed JSONL differs

The labels live in ``gold_seeds.py`` and ``gold_hard_cases.py`` beside this file. Every record is
validated as ``GoldRecord`` here, its id is computed with ``article_id_for``, and every evidence
quote is checked to be a verbatim substring of the article text before anything is written.
"""

from __future__ import annotations

import json
import sys
from pathlib import Path

HERE = Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from extractor.schemas import GoldRecord, article_id_for  # noqa: E402

SEEDS_DIR = Path("/work/shared/seeds")


# -- small constructors, so the source reads like a coding sheet ------------------------------

def actor(name, actor_type, aliases=(), country=None, affiliation=None):
    return {"name": name, "aliases": list(aliases), "actor_type": actor_type,
            "country": country, "affiliation": affiliation}


def cas(kind, count_text, count_min, count_max, victims=None, source=None):
    return {"kind": kind, "count_text": count_text, "count_min": count_min,
            "count_max": count_max, "victims": victims, "source": source}


def incident(summary, event_type, sub_event_type, *, date_text=None, date_start=None,
             date_end=None, place=None, admin1=None, country=None, geo_precision="place",
             perpetrators=(), targets=(), claimed_by=(), casualties=(), weapons=(), sources=(),
             is_background=False, evidence=()):
    return {
        "summary": summary, "event_type": event_type, "sub_event_type": sub_event_type,
        "date_text": date_text, "date_start": date_start,
        "date_end": date_end if date_end is not None else date_start,
        "place": place, "admin1": admin1, "country": country, "geo_precision": geo_precision,
        "perpetrators": list(perpetrators), "targets": list(targets),
        "claimed_by": list(claimed_by), "casualties": list(casualties),
        "weapons": list(weapons), "sources": list(sources), "is_background": is_background,
        "evidence": list(evidence),
    }


def record(*, text, title=None, url=None, published=None, source=None, incidents=(),
           actors=(), tests=()):
    return {
        "article": {"id": article_id_for(text), "title": title, "url": url,
                    "published": published, "source": source, "text": text},
        "incidents": list(incidents), "actors": list(actors), "tests": list(tests),
    }


def verbatim(text: str, loose: str) -> str:
    """The passage of ``text`` that ``loose`` spells with plain spaces where the text may have
    no-break spaces (seed 000 is full of them): evidence stays character-for-character exact."""
    import re

    pattern = r"[ \u00a0]".join(re.escape(part) for part in loose.split(" "))
    found = re.search(pattern, text)
    if not found:
        raise SystemExit(f"evidence not found in text: {loose!r}")
    return found.group(0)


def seed_text(name: str) -> str:
    """A seed article exactly as the file holds it (a single final newline dropped, if any)."""
    text = (SEEDS_DIR / name).read_text(encoding="utf-8")
    return text[:-1] if text.endswith("\n") else text


# -- build --------------------------------------------------------------------------------------

def _checked(records: list[dict]) -> list[str]:
    lines = []
    for rec in records:
        gold = GoldRecord.model_validate(rec)
        text = gold.article.text
        assert gold.article.id == article_id_for(text)
        for number, inc in enumerate(gold.incidents, start=1):
            for quote in inc.evidence:
                if quote not in text:
                    raise SystemExit(
                        f"{gold.article.id} incident {number}: evidence not in text: {quote!r}")
        lines.append(json.dumps(gold.model_dump(mode="json"), ensure_ascii=False))
    return lines


def outputs() -> dict[Path, str]:
    import gold_hard_cases
    import gold_seeds

    return {
        HERE / "seeds.jsonl": "\n".join(_checked(gold_seeds.RECORDS)) + "\n",
        HERE / "hard_cases.jsonl": "\n".join(_checked(gold_hard_cases.RECORDS)) + "\n",
    }


def main(argv: list[str]) -> int:
    check = "--check" in argv
    stale = []
    for path, content in outputs().items():
        if check:
            if not path.exists() or path.read_text(encoding="utf-8") != content:
                stale.append(path.name)
        else:
            path.write_text(content, encoding="utf-8")
            print(f"wrote {path} ({content.count(chr(10))} records)")
    if stale:
        print("out of date: " + ", ".join(stale) + " (run evals/gold/build.py)")
        return 1
    return 0


if __name__ == "__main__":
    raise SystemExit(main(sys.argv[1:]))
