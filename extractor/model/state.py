"""The state of one article's extraction (shared by the send function and the validators), and
the endpoint that failure messages name.

instructor calls our send function once per ask and runs the response model's validators
between asks; both see the extraction they belong to through :data:`current` (a context
variable, so concurrent articles never mix). The article text does not go through
instructor's ``context=``: that argument also renders every message as a Jinja template
(``instructor.patch``'s templating), and an article containing ``{{`` would break the request
or be evaluated.
"""

from __future__ import annotations

import contextvars
from collections import Counter
from dataclasses import dataclass, field

from extractor.backend import ModelCall
from extractor.config import redact_secrets

# Longest error message kept: a validation report of many errors stays whole in the database
# (the console shows a one-line summary of it).
ERROR_CHARS = 20_000


@dataclass(frozen=True)
class Endpoint:
    """What a message about a failure names: the endpoint, model, mode and limits."""

    base_url: str
    model: str
    mode: str
    timeout: float
    max_input_tokens: int
    secrets: tuple[str, ...] = ()  # the API key and any credential in the base URL

    def redact(self, text: str) -> str:
        """``text`` without credentials (config.redact_secrets), bounded; line breaks kept."""
        return redact_secrets(text, self.secrets)[:ERROR_CHARS]


@dataclass
class Extraction:
    """One article's extraction: its text, the asks allowed, and every request made."""

    text: str
    max_asks: int
    calls: list[ModelCall] = field(default_factory=list)
    asks: int = 0
    messages_logged: int = 0
    # What the response model dropped from an answer, by ask: "incidents[].title" -> count.
    dropped: dict[int, Counter[str]] = field(default_factory=dict)

    @property
    def last_ask(self) -> bool:
        return self.asks >= self.max_asks

    def note_dropped(self, what: str, count: int = 1) -> None:
        self.dropped.setdefault(self.asks, Counter())[what] += count


current: contextvars.ContextVar[Extraction | None] = contextvars.ContextVar(
    "extractor_model_extraction", default=None)
