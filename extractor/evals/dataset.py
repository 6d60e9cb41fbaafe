"""Gold data: hand-labelled articles, read and checked by one piece of code.

A gold file is a ``.json`` file holding one record, pretty-printed (how the committed gold set
is kept: one article per file, so a reviewer reads and edits one article's labels), or a
``.jsonl`` file with one record per line (the codebook's JSON Lines). A record is a
:class:`~extractor.evals.gold_rules.LabelledRecord`: the codebook's GoldRecord, whose incidents
may carry an ``event`` key.

``check_gold`` reads files and folders (recursively, ``*.json`` and ``*.jsonl`` in path order)
and returns every problem with its file, line and field path; ``load_gold`` runs the same check
and raises :class:`GoldError` when anything is wrong. ``extractor eval`` loads gold with
``load_gold`` and ``extractor gold check`` prints ``check_gold``'s problems, so what the checker
accepts is exactly what the evaluation scores.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from .gold_rules import Finding, LabelledRecord, payload_findings, record_findings
from .jsonpaths import Loc, format_path, line_of, value_lines

__all__ = ["SUFFIXES", "GoldError", "GoldProblem", "GoldSet", "check_gold", "gold_files",
           "load_gold"]

SUFFIXES = (".json", ".jsonl")
# Fields whose rule the gold layer checks itself, with a precise path, before the schema: the
# schema's own error for the same rule names only the enclosing object and is dropped.
_PRECHECKED = frozenset({"published", "date_start", "date_end", "sub_event_type", "count_max"})


@dataclass(frozen=True)
class GoldProblem:
    """One thing wrong with gold data: where (file, line, field path) and what."""

    file: Path
    line: int | None
    path: str  # e.g. incidents[2].evidence[0]; "" for the file or record as a whole
    message: str

    def __str__(self) -> str:
        where = f"{self.file}:{self.line}" if self.line is not None else str(self.file)
        return f"{where}: {self.path}: {self.message}" if self.path else \
            f"{where}: {self.message}"


class GoldError(Exception):
    """Gold data that cannot be used: every problem, one line each."""

    def __init__(self, problems: Sequence[GoldProblem]) -> None:
        self.problems = list(problems)
        super().__init__("\n".join(str(problem) for problem in self.problems))


@dataclass
class GoldSet:
    """The gold records of one evaluation, with where they came from."""

    records: list[LabelledRecord]
    files: list[Path]
    origins: dict[str, str]  # article id -> "file" or "file:line"
    sha256: str  # of the files' names and bytes, in path order: identifies the gold set
    label: str  # the path(s) the set was read from, as given

    @property
    def incident_count(self) -> int:
        return sum(len(record.incidents) for record in self.records)


def gold_files(path: Path) -> list[Path]:
    """The gold files at ``path``: the file itself, or a folder's ``*.json`` and ``*.jsonl``
    files at any depth (hidden ones left out), in path order."""
    if path.is_dir():
        files = sorted(
            (p for p in path.rglob("*") if p.suffix in SUFFIXES and p.is_file()
             and not any(part.startswith(".") for part in p.relative_to(path).parts)),
            key=lambda p: p.relative_to(path).as_posix(),
        )
        if not files:
            raise GoldError([GoldProblem(path, None, "", "no *.json or *.jsonl gold files in "
                                                         "this folder")])
        return files
    if not path.exists():
        raise GoldError([GoldProblem(path, None, "", "no such file or folder")])
    if path.suffix not in SUFFIXES:
        raise GoldError([GoldProblem(path, None, "", "not a gold file: expected a .json file "
                                                     "(one record) or .jsonl (one per line)")])
    return [path]


def _schema_message(item: ErrorDetails) -> str:
    kind = item["type"]
    if kind == "missing":
        return "required field is missing"
    if kind == "extra_forbidden":
        return "unknown field: not part of the gold format"
    message = item["msg"].removeprefix("Value error, ")
    value = item.get("input")
    if isinstance(value, str | int | float | bool) or value is None:
        message += f" (got {value!r})"
    return message


def _schema_findings(error: ValidationError, earlier: list[Finding]) -> list[Finding]:
    """The schema's errors as findings, less those a gold rule already reported precisely."""
    reported = {loc for loc, _ in earlier}
    findings: list[Finding] = []
    for item in error.errors():
        loc: Loc = tuple(item["loc"])
        if loc in reported:
            continue
        if item["type"] == "value_error" and any(
                (*loc, name) in reported for name in _PRECHECKED):
            continue  # a model-level rule (dates, sub-type, counts) already named its field
        findings.append((loc, _schema_message(item)))
    return findings


@dataclass
class _Checker:
    records: list[LabelledRecord] = field(default_factory=list)
    origins: dict[str, str] = field(default_factory=dict)
    problems: list[GoldProblem] = field(default_factory=list)

    def file(self, file: Path) -> bytes:
        """Check every record of ``file``; its bytes, for the gold set's hash."""
        try:
            data = file.read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            self.problems.append(GoldProblem(file, None, "", f"cannot read gold file: {error}"))
            return b""
        if file.suffix == ".jsonl":
            for number, line in enumerate(text.splitlines(), start=1):
                if line.strip():
                    self.record(file, line, number, one_line=True)
        elif text.strip():
            self.record(file, text, 1, one_line=False)
        else:
            self.problems.append(GoldProblem(file, None, "", "the gold file is empty"))
        return data

    def record(self, file: Path, text: str, first_line: int, one_line: bool) -> None:
        try:
            payload: Any = json.loads(text)
        except json.JSONDecodeError as error:
            self.problems.append(GoldProblem(file, first_line + error.lineno - 1, "",
                                             f"not valid JSON: {error.msg} "
                                             f"(column {error.colno})"))
            return
        if not isinstance(payload, dict):
            self.problems.append(GoldProblem(file, first_line, "", "a gold record is a JSON "
                                             f"object, not {type(payload).__name__}"))
            return
        findings = payload_findings(payload)
        record: LabelledRecord | None = None
        try:
            record = LabelledRecord.model_validate(payload)
        except ValidationError as error:
            findings += _schema_findings(error, findings)
        origin = f"{file}:{first_line}" if one_line else str(file)
        if record is not None:
            findings += record_findings(record)
            earlier = self.origins.setdefault(record.article.id, origin)
            if earlier != origin:
                findings.append((("article", "id"), f"article id '{record.article.id}' is "
                                                    f"already used at {earlier}"))
            elif not findings:
                self.records.append(record)
        if not findings:
            return
        lines = {} if one_line else value_lines(text)
        located = [GoldProblem(file, first_line if one_line else line_of(lines, loc),
                               format_path(loc), message) for loc, message in findings]
        self.problems += sorted(located, key=lambda p: p.line or 0)


def check_gold(paths: Sequence[Path | str]) -> tuple[GoldSet, list[GoldProblem]]:
    """Read and check the gold data at ``paths``: the valid records and every problem."""
    checker = _Checker()
    digest = hashlib.sha256()
    all_files: list[Path] = []
    for given in paths:
        root = Path(given)
        try:
            files = gold_files(root)
        except GoldError as error:
            checker.problems += error.problems
            continue
        all_files += files
        for file in files:
            data = checker.file(file)
            name = file.relative_to(root).as_posix() if root.is_dir() else file.name
            digest.update(name.encode("utf-8") + b"\0" + data + b"\0")
    if not checker.records and not checker.problems:
        checker.problems.append(GoldProblem(Path(paths[0]) if paths else Path("."), None, "",
                                            "no gold records"))
    goldset = GoldSet(records=checker.records, files=all_files, origins=checker.origins,
                      sha256=digest.hexdigest()[:16],
                      label=", ".join(str(path) for path in paths))
    return goldset, checker.problems


def load_gold(path: Path | str) -> GoldSet:
    """Every gold record under ``path``; GoldError listing every problem (file:line: field:
    what) when anything is wrong."""
    goldset, problems = check_gold([path])
    if problems:
        raise GoldError(problems)
    return goldset
