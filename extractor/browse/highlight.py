"""An article's text as HTML with its evidence spans wrapped in ``<mark>``.

Spans come from the stored offsets (``evidence.start``/``end``), never from searching the text
again, so the page shows exactly what alignment found. Overlapping spans are split into
segments, each marked with every quote that covers it. All text is HTML-escaped.
"""

from __future__ import annotations

from dataclasses import dataclass
from itertools import pairwise

from markupsafe import Markup, escape


@dataclass(frozen=True)
class Span:
    number: int  # 1-based, as listed on the page
    start: int
    end: int
    alignment: str  # exact or fuzzy
    score: float | None = None


def valid_span(start: int | None, end: int | None, length: int) -> bool:
    """Whether stored offsets point inside a text of ``length`` characters."""
    return start is not None and end is not None and 0 <= start < end <= length


def highlight(text: str, spans: list[Span]) -> Markup:
    """``text`` escaped, with each span's characters inside ``<mark>``; an anchor
    ``evidence-N`` where span N starts."""
    spans = [s for s in spans if valid_span(s.start, s.end, len(text))]
    if not spans:
        return escape(text)
    cuts = sorted({0, len(text), *(s.start for s in spans), *(s.end for s in spans)})
    parts: list[str] = []
    for left, right in pairwise(cuts):
        for span in spans:
            if span.start == left:
                parts.append(f'<span class="evidence-anchor" id="evidence-{span.number}"></span>')
        covering = [s for s in spans if s.start <= left and right <= s.end]
        piece = escape(text[left:right])
        if not covering:
            parts.append(piece)
            continue
        kinds = sorted({s.alignment for s in covering})
        if len(covering) > 1:
            kinds.append("overlap")
        numbers = " ".join(str(s.number) for s in covering)
        title = "; ".join(_describe(s) for s in covering)
        parts.append(
            f'<mark class="evidence {" ".join(kinds)}" data-evidence="{numbers}" '
            f'title="{escape(title)}">{piece}</mark>'
        )
    return Markup("".join(parts))


def _describe(span: Span) -> str:
    if span.alignment == "fuzzy" and span.score is not None:
        return f"evidence {span.number}: fuzzy match, score {span.score:g}"
    return f"evidence {span.number}: {span.alignment} match"
