"""Prompt templates: loaded by name from the ``prompts`` package, rendered per article.

A prompt named ``extract`` is the files ``extract.system.md``, ``extract.user.md`` and,
optionally, ``extract.examples.jsonl`` (few-shot examples as data: one JSON object per line with
``article`` and ``result``) and ``extract.prompt.toml`` (settings of the prompt: ``schema =
"bare"`` sends the schema without its descriptions, for a prompt that states the field rules
itself; see :mod:`extractor.schemas.sent`). Templates use :class:`string.Template`
placeholders (``$title``); a placeholder without a value is an error, never an empty string.
The prompt's version is a hash over all of its files, stored with every extraction and part
of the cache key.
"""

from __future__ import annotations

import hashlib
import json
import re
import string
import tomllib
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Any

from extractor.schemas import Article, ExtractionResult

SYSTEM_SUFFIX = ".system.md"
USER_SUFFIX = ".user.md"
EXAMPLES_SUFFIX = ".examples.jsonl"
SETTINGS_SUFFIX = ".prompt.toml"
SCHEMA_FORMS = ("full", "bare")  # the schema with its descriptions, or without
UNKNOWN = "unknown"
USER_VARIABLES = ("title", "source", "url", "published", "text")

# A delimiter look-alike in article data: a tag whose name holds "article" (<article>,
# </article>, <article_metadata>, <example_article>), in any case, with any spacing, with
# invisible characters between its letters, with full-width or angle-quote brackets or as an
# HTML entity, closed or not. It is rewritten with round brackets, so the data can never close
# (or open) a block of the prompt; the words stay readable.
_OPENERS = r"(?:[<\uff1c\u2039\u3008\u27e8\u2329\ufe64]|&lt;?|&#0*60;?|&#x0*3c;?)"
_CLOSERS = "[>\uff1e\u203a\u3009\u27e9\u232a\ufe65]"
_GAP = r"[\s\u00ad\u180e\u200b-\u200f\u2028-\u202f\u2060-\u2064\ufeff]*"
_DELIMITER = re.compile(
    rf"(?P<open>{_OPENERS}){_GAP}(?P<slash>[/\\\u2044\u2215\uff0f]?){_GAP}"
    rf"(?P<name>[\w-]*?{_GAP.join('article')}[\w-]*)"
    rf"(?:(?P<rest>[^<>\n]{{0,200}}?)(?P<close>{_CLOSERS}|&gt;?|&#0*62;?|&#x0*3e;?))?",
    re.IGNORECASE)


class PromptError(Exception):
    """A prompt cannot be loaded or rendered; the message says which file and why."""


@dataclass(frozen=True)
class Example:
    """One few-shot example: an article and the result expected for it."""

    article: Article
    result: ExtractionResult
    note: str | None = None


@dataclass(frozen=True)
class Prompt:
    """A named prompt: its templates, its examples and its content hash (the version)."""

    name: str
    system_template: str
    user_template: str
    examples: tuple[Example, ...] = ()
    hash: str = ""
    files: tuple[str, ...] = field(default=())
    schema_form: str = "full"  # one of SCHEMA_FORMS

    @property
    def bare_schema(self) -> bool:
        return self.schema_form == "bare"

    def system_message(self) -> str:
        """The system message: rules, then the worked examples."""
        return _substitute(self.system_template, {"examples": self._render_examples()},
                           f"{self.name}{SYSTEM_SUFFIX}")

    def user_message(self, article: Article) -> str:
        """The user message for one article: title, publication date, then the text as data."""
        return _substitute(self.user_template, article_variables(article),
                           f"{self.name}{USER_SUFFIX}")

    def messages(self, article: Article, system: str | None = None) -> list[dict[str, str]]:
        """Chat messages for one article; pass ``system`` to reuse a rendered system message."""
        return [
            {"role": "system", "content": system if system is not None else self.system_message()},
            {"role": "user", "content": self.user_message(article)},
        ]

    def _render_examples(self) -> str:
        blocks = []
        for number, example in enumerate(self.examples, start=1):
            variables = article_variables(example.article)
            output = example.result.model_dump_json(indent=None, exclude_none=False)
            lines = [f"## Example {number}", "",
                     f"Title: {variables['title']}", f"Source: {variables['source']}",
                     f"URL: {variables['url']}", f"Published: {variables['published']}", "",
                     "<example_article>", variables["text"], "</example_article>", "",
                     "Expected result:", output]
            if example.note:
                lines += ["", f"Why: {example.note}"]
            blocks.append("\n".join(lines))
        return "\n\n".join(blocks) if blocks else "(none)"


def article_variables(article: Article) -> dict[str, str]:
    """The template variables of an article, safe to place in the prompt's data blocks.

    Metadata fields become one line each (every line break or run of spaces one space), and
    in every field, text included, a delimiter look-alike is neutralised
    (:func:`neutralise_delimiters`).
    """
    return {
        "title": _one_line(article.title) or "(no title)",
        "source": _one_line(article.source) or UNKNOWN,
        "url": _one_line(article.url) or UNKNOWN,
        "published": article.published.isoformat() if article.published else UNKNOWN,
        "text": neutralise_delimiters(article.text),
    }


def neutralise_delimiters(text: str) -> str:
    """``text`` with every look-alike of the prompt's block tags rewritten with round
    brackets: ``</article>`` becomes ``(/article)``, ``< ARTICLE >`` becomes ``( ARTICLE )``."""
    if "article" not in text.lower() and not _maybe_hidden(text):
        return text
    return _DELIMITER.sub(_bracketed, text)


def _maybe_hidden(text: str) -> bool:
    # "article" spelled with invisible characters between its letters, or in entity form.
    return not text.isascii() or "&" in text


def _bracketed(match: re.Match[str]) -> str:
    close = ")" if match.group("close") else ""
    return f"({match.group('slash')}{match.group('name')}{match.group('rest') or ''}{close}"


def _one_line(value: str | None) -> str:
    return neutralise_delimiters(" ".join(value.split())) if value else ""


def _substitute(template: str, variables: dict[str, str], where: str) -> str:
    try:
        return string.Template(template).substitute(variables)
    except KeyError as exc:
        raise PromptError(f"{where}: no value for template variable ${exc.args[0]}") from exc
    except ValueError as exc:
        raise PromptError(f"{where}: {exc} (write a literal dollar sign as $$)") from exc


def prompt_hash(files: dict[str, bytes]) -> str:
    """Version of a prompt: SHA-256 over its file names and contents, 12 hex digits."""
    digest = hashlib.sha256()
    for name in sorted(files):
        digest.update(name.encode("utf-8") + b"\0")
        digest.update(hashlib.sha256(files[name]).digest())
    return digest.hexdigest()[:12]


def _read_files(name: str, directory: Path | None) -> dict[str, bytes]:
    suffixes = (SYSTEM_SUFFIX, USER_SUFFIX, EXAMPLES_SUFFIX, SETTINGS_SUFFIX)
    files: dict[str, bytes] = {}
    if directory is not None:
        for suffix in suffixes:
            path = Path(directory) / f"{name}{suffix}"
            if path.is_file():
                files[path.name] = path.read_bytes()
        return files
    package = resources.files("extractor.prompts")
    for suffix in suffixes:
        resource = package / f"{name}{suffix}"
        if resource.is_file():
            files[f"{name}{suffix}"] = resource.read_bytes()
    return files


def _parse_examples(name: str, data: bytes) -> tuple[Example, ...]:
    examples = []
    for number, line in enumerate(data.decode("utf-8").splitlines(), start=1):
        if not line.strip():
            continue
        try:
            record: dict[str, Any] = json.loads(line)
            article = dict(record["article"])
            article.setdefault("id", f"example-{number}")
            examples.append(Example(
                article=Article.model_validate(article),
                result=ExtractionResult.model_validate(record["result"]),
                note=record.get("note"),
            ))
        except (ValueError, KeyError, TypeError) as exc:
            raise PromptError(f"{name}{EXAMPLES_SUFFIX} line {number}: {exc}") from exc
    return tuple(examples)


def _parse_settings(name: str, data: bytes | None) -> str:
    """The schema form a prompt's settings file asks for (``full`` without one)."""
    if data is None:
        return "full"
    where = f"{name}{SETTINGS_SUFFIX}"
    try:
        values = tomllib.loads(data.decode("utf-8"))
    except (UnicodeDecodeError, tomllib.TOMLDecodeError) as exc:
        raise PromptError(f"{where}: not valid TOML: {exc}") from exc
    unknown = set(values) - {"schema"}
    if unknown:
        raise PromptError(f"{where}: unknown setting(s) {', '.join(sorted(unknown))}; "
                          "known: schema")
    form = values.get("schema", "full")
    if form not in SCHEMA_FORMS:
        raise PromptError(f"{where}: schema must be one of {', '.join(SCHEMA_FORMS)}, "
                          f"not {form!r}")
    return str(form)


def load_prompt(name: str = "extract", directory: Path | str | None = None) -> Prompt:
    """Load the prompt ``name`` from ``directory``, or from the installed prompts package.

    A name with a folder in it (``my-prompts/extract``) loads from that folder: a prompt of
    one's own without touching the installed package.
    """
    if directory is None and ("/" in name or "\\" in name):
        directory, name = Path(name).parent, Path(name).name
    folder = Path(directory) if directory is not None else None
    files = _read_files(name, folder)
    where = str(folder) if folder is not None else "the extractor.prompts package"
    for suffix in (SYSTEM_SUFFIX, USER_SUFFIX):
        if f"{name}{suffix}" not in files:
            raise PromptError(f"prompt {name!r}: no {name}{suffix} in {where}")
    examples_data = files.get(f"{name}{EXAMPLES_SUFFIX}")
    prompt = Prompt(
        name=name,
        system_template=files[f"{name}{SYSTEM_SUFFIX}"].decode("utf-8"),
        user_template=files[f"{name}{USER_SUFFIX}"].decode("utf-8"),
        examples=_parse_examples(name, examples_data) if examples_data else (),
        hash=prompt_hash(files),
        files=tuple(sorted(files)),
        schema_form=_parse_settings(name, files.get(f"{name}{SETTINGS_SUFFIX}")),
    )
    # A template error shows at load time, not on the first article.
    prompt.system_message()
    unknown = set(string.Template(prompt.user_template).get_identifiers()) - set(USER_VARIABLES)
    if unknown:
        raise PromptError(f"{name}{USER_SUFFIX}: unknown template variable(s) "
                          f"{', '.join('$' + v for v in sorted(unknown))}; "
                          f"known: {', '.join('$' + v for v in USER_VARIABLES)}")
    return prompt
