"""The evaluation report: one dict (printed as JSON with ``--json``) and its text rendering.

The text leads with what got worse against the comparison run, then gives the headline
scores, then the articles that went worst, with the reason each incident stayed unpaired and
the fields that missed.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from .evaluate import ArticleEval, Evaluation
from .events import EVENT_FIELDS
from .gate import GateResult
from .metrics import Difference
from .scorers import FIELDS, Score

__all__ = ["build_report", "render_text"]

WORST = 5
_SECTIONS = ("incidents", "actors")


def _score_dict(score: Score) -> dict[str, Any]:
    return {"score": score.value, "n": score.n, "numerator": score.numerator,
            "denominator": score.denominator, "explanation": score.explanation}


def _badness(article: ArticleEval) -> tuple[float, float]:
    f1 = article.scores["incidents.f1"].value
    fields = [s.value for name, s in article.scores.items()
              if not name.startswith(_SECTIONS) and s.value is not None]
    return (f1 if f1 is not None else 1.0, sum(fields) / len(fields) if fields else 1.0)


def _article_dict(article: ArticleEval) -> dict[str, Any]:
    pairs = []
    for pair in article.matching.pairs:
        gold = article.gold.incidents[pair.gold].incident if pair.gold is not None else None
        pred = article.pred.incidents[pair.pred].incident if pair.pred is not None else None
        pairs.append({"status": pair.status, "gold": pair.gold, "pred": pair.pred,
                      "similarity": round(pair.similarity, 4), "components": pair.components,
                      "reason": pair.reason,
                      "gold_summary": gold.summary if gold else None,
                      "pred_summary": pred.summary if pred else None})
    return {
        "id": article.article_id, "title": article.title, "status": article.status,
        "gold_incidents": len(article.gold.incidents),
        "pred_incidents": len(article.pred.incidents),
        "paired": len(article.matching.paired),
        "scores": {name: score.value for name, score in article.scores.items()},
        "misses": {name: score.explanation for name, score in article.scores.items()
                   if score.value is not None and score.value < 1},
        "pairs": pairs,
    }


def _difference_dict(difference: Difference) -> dict[str, Any]:
    return {"before": difference.before, "after": difference.after, "diff": difference.diff,
            "ci_low": difference.low, "ci_high": difference.high,
            "significant": difference.significant}


def build_report(evaluation: Evaluation, run: Mapping[str, Any],
                 against: Mapping[str, Any] | None = None,
                 differences: Mapping[str, Difference] | None = None,
                 gate: GateResult | None = None) -> dict[str, Any]:
    """The machine-readable report: run, incidents, actors, fields, comparison, articles."""
    totals = evaluation.totals
    report: dict[str, Any] = {"run": dict(run)}
    for section in _SECTIONS:
        report[section] = {name.split(".", 1)[1]: totals[name].value
                           for name in FIELDS if name.startswith(section + ".")}
    report["fields"] = {name: _score_dict(totals[name]) for name in FIELDS}
    report["events"] = {name.split(".", 1)[1]: _score_dict(totals[name])
                        for name in EVENT_FIELDS if name in totals}
    comparison = None
    if against is not None and differences is not None:
        worse = sorted((d for d in differences.values() if d.diff is not None and d.diff < 0),
                       key=lambda d: d.diff or 0)
        comparison = {
            "eval_run_id": against.get("id"), "model": against.get("model"),
            "prompt_hash": against.get("prompt_hash"),
            "schema_hash": against.get("schema_hash"),
            "articles": next(iter(differences.values())).articles if differences else 0,
            "fields": {name: _difference_dict(d) for name, d in differences.items()},
            "worse": [d.field for d in worse],
        }
    report["comparison"] = comparison
    report["gate"] = {"passed": gate.passed if gate else None,
                      "failures": gate.failures if gate else [],
                      "notes": gate.notes if gate else []}
    ranked = sorted(evaluation.articles, key=_badness)
    report["worst_articles"] = [a.article_id for a in ranked[:WORST] if _badness(a) < (1, 1)]
    report["articles"] = [_article_dict(a) for a in evaluation.articles]
    return report


# --- text ------------------------------------------------------------------------------------

def _fmt(value: float | None, signed: bool = False) -> str:
    if value is None:
        return "  n/a"
    return f"{value:+.3f}" if signed else f"{value:.3f}"


def _run_line(run: Mapping[str, Any]) -> str:
    line = (f"Eval run #{run.get('eval_run_id')}: {run.get('model')} "
            f"(prompt {run.get('prompt_hash')}, schema {run.get('schema_hash')}) on "
            f"{run.get('gold_path')} ({run.get('gold_articles')} articles, gold "
            f"{run.get('gold_hash')})")
    if run.get("extraction_run_id") is not None:
        line += f"; extraction run #{run['extraction_run_id']}"
    if run.get("rescored_eval_run_id") is not None:
        line += f"; re-scored predictions of eval run #{run['rescored_eval_run_id']}"
    return line


def _comparison_lines(report: Mapping[str, Any]) -> list[str]:
    comparison = report["comparison"]
    if comparison is None:
        return ["No earlier eval run to compare with (same gold hash); this run is the "
                "reference for the next."]
    head = (f"against eval run #{comparison['eval_run_id']} ({comparison['model']}, prompt "
            f"{comparison['prompt_hash']}), {comparison['articles']} articles in common; "
            f"95% paired bootstrap CI")
    fields = comparison["fields"]
    if not comparison["worse"]:
        lines = [f"Nothing got worse {head}."]
    else:
        lines = [f"WORSE {head}:", f"  {'field':<20} {'before':>7} {'after':>7} {'diff':>7}"
                                   f"   95% CI"]
        for name in comparison["worse"]:
            d = fields[name]
            mark = "  *" if d["significant"] else ""
            lines.append(f"  {name:<20} {_fmt(d['before']):>7} {_fmt(d['after']):>7} "
                         f"{_fmt(d['diff'], True):>7}   [{_fmt(d['ci_low'], True)}, "
                         f"{_fmt(d['ci_high'], True)}]{mark}")
        lines.append("  (* the interval excludes zero)")
    better = [n for n, d in fields.items() if d["diff"] is not None and d["diff"] > 0]
    if better:
        lines.append("Better: " + ", ".join(f"{n} {_fmt(fields[n]['diff'], True)}"
                                            for n in better))
    return lines


def _score_lines(report: Mapping[str, Any]) -> list[str]:
    diffs = report["comparison"]["fields"] if report["comparison"] else {}
    lines = [f"  {'field':<20} {'score':>6}  {'n':>5}  {'num/den':>13}  {'vs before':>9}"]
    for name, score in report["fields"].items():
        ratio = (f"{score['numerator']:g}/{score['denominator']:g}" if score["denominator"]
                 else "-")
        diff = diffs.get(name, {}).get("diff")
        lines.append(f"  {name:<20} {_fmt(score['score']):>6}  {score['n']:>5}  {ratio:>13}  "
                     f"{_fmt(diff, True) if diff is not None else '':>9}")
    return lines


def _article_lines(report: Mapping[str, Any]) -> list[str]:
    articles = {a["id"]: a for a in report["articles"]}
    lines = []
    for rank, article_id in enumerate(report["worst_articles"], start=1):
        a = articles[article_id]
        status = "" if a["status"] == "ok" else f" [{a['status'].upper()}: scored as empty]"
        lines.append(f"{rank}. {a['title'] or '(untitled)'} ({a['id']}){status}: "
                     f"{a['paired']} paired of {a['gold_incidents']} gold / "
                     f"{a['pred_incidents']} predicted")
        for pair in a["pairs"]:
            if pair["status"] == "paired":
                continue
            which = (f"gold #{pair['gold']}" if pair["status"] == "missed"
                     else f"pred #{pair['pred']}")
            summary = pair["gold_summary"] or pair["pred_summary"] or ""
            lines.append(f"   {pair['status']} {which} \"{summary[:80]}\": {pair['reason']}")
        for name, explanation in a["misses"].items():
            if not name.startswith(_SECTIONS):
                lines.append(f"   {name}: {explanation}")
    return lines or ["Every article scored 1.0 on every field it could be scored on."]


def _event_lines(report: Mapping[str, Any]) -> list[str]:
    """Same-event pairs across articles: the pipeline, then the grouper on gold incidents."""
    events = report.get("events") or {}
    if not any(score["score"] is not None for score in events.values()):
        return []
    lines = ["", "Events across articles (pairwise \"same event\"):"]
    for prefix, label in (("", "extracted incidents"), ("oracle.", "gold incidents")):
        parts = [f"{name} {_fmt(events[prefix + name]['score'])}"
                 for name in ("precision", "recall", "f1") if prefix + name in events]
        lines.append(f"  {label} grouped: " + ", ".join(parts))
    return lines


def render_text(report: Mapping[str, Any]) -> str:
    """The readable report: what got worse first, then the scores, then the worst articles."""
    run = report["run"]
    lines = [_run_line(run)]
    not_ok = [a for a in report["articles"] if a["status"] != "ok"]
    if not_ok:
        lines.append(f"{len(not_ok)} article(s) without a prediction, scored as empty: "
                     + ", ".join(f"{a['id']} ({a['status']})" for a in not_ok[:10]))
    lines += ["", *_comparison_lines(report), ""]
    lines.append(f"Scores (micro averages over {run.get('gold_articles')} articles; fields "
                 f"over paired incidents):")
    lines += _score_lines(report)
    lines += _event_lines(report)
    lines += ["", "Worst articles:", *_article_lines(report)]
    gate = report["gate"]
    if gate["passed"] is not None or gate["notes"]:
        lines.append("")
        lines += [f"Note: {note}" for note in gate["notes"]]
        if gate["passed"] is True:
            lines.append("Gate: passed.")
        elif gate["passed"] is False:
            lines.append("Gate: FAILED")
            lines += [f"  - {failure}" for failure in gate["failures"]]
    return "\n".join(lines) + "\n"
