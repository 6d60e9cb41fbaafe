"""The CI gate: floors (``--fail-under FIELD=VALUE``) and drops (``--max-drop FIELD=DELTA``).

Field names are those of :data:`~extractor.evals.scorers.FIELDS` (``incidents.f1``,
``actors.recall``, ``event_type``, ``admin1.raw`` ...); ``fields.`` in front is accepted, as in
the JSON report. A floor on a field that could not be scored is a breach: a gate should not
pass on nothing.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from .events import EVENT_FIELDS
from .metrics import Difference
from .scorers import FIELDS, Score

__all__ = ["GateResult", "check_gate", "field_name", "parse_rule"]


def field_name(name: str) -> str:
    """A known field's name, from what a user typed; ValueError naming the choices if none."""
    cleaned = name.strip()
    if cleaned.startswith("fields."):
        cleaned = cleaned[len("fields."):]
    if cleaned not in FIELDS and cleaned not in EVENT_FIELDS:
        raise ValueError(f"unknown field '{name}'; one of: "
                         f"{', '.join((*FIELDS, *EVENT_FIELDS))}")
    return cleaned


def parse_rule(text: str) -> tuple[str, float]:
    """'incidents.f1=0.5' -> ('incidents.f1', 0.5); ValueError saying what is wrong."""
    name, sep, value = text.partition("=")
    if not sep:
        raise ValueError(f"'{text}' is not FIELD=VALUE (e.g. incidents.f1=0.5)")
    try:
        number = float(value)
    except ValueError:
        raise ValueError(f"'{value}' in '{text}' is not a number") from None
    if not 0 <= number <= 1:
        raise ValueError(f"{number} in '{text}' is not between 0 and 1")
    return field_name(name), number


@dataclass
class GateResult:
    failures: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    checked: bool = False

    @property
    def passed(self) -> bool | None:
        """None when no rule was given."""
        return not self.failures if self.checked else None


def check_gate(
    totals: Mapping[str, Score],
    fail_under: Sequence[tuple[str, float]] = (),
    max_drop: Sequence[tuple[str, float]] = (),
    comparison: Mapping[str, Difference] | None = None,
) -> GateResult:
    """Every breached rule, as a sentence."""
    result = GateResult(checked=bool(fail_under or max_drop))
    for name, floor in fail_under:
        score = totals.get(name)  # events.* only exist for gold sets with 'event' keys
        value = score.value if score else None
        if value is None:
            why = score.explanation if score else "no gold incident carries an 'event' key"
            result.failures.append(f"{name} could not be scored ({why}); floor {floor:.3f}")
        elif value < floor:
            result.failures.append(f"{name} is {value:.3f}, below the floor {floor:.3f}")
    for name, allowed in max_drop:
        if comparison is None:
            result.notes.append(f"no comparison run: --max-drop {name} not checked")
            continue
        difference = comparison.get(name)
        if difference is None or difference.diff is None:
            result.notes.append(f"{name} not scored in both runs: --max-drop not checked")
            continue
        drop = -difference.diff
        if drop > allowed + 1e-12:
            result.failures.append(
                f"{name} dropped by {drop:.3f} ({difference.before:.3f} -> "
                f"{difference.after:.3f}), more than the allowed {allowed:.3f}")
    return result
