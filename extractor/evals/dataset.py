"""Gold data: hand-labelled articles read from JSON Lines files.

A gold file holds one :class:`~extractor.schemas.GoldRecord` per line (the codebook's "Gold
data" section). ``load_gold`` takes a file or a folder of ``*.jsonl`` files and fails with a
:class:`GoldError` that names the file and line of the first bad record, so a typo in a gold
file is found where it is, not as a scoring oddity later.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from pydantic import ValidationError

from extractor.schemas import GoldRecord

__all__ = ["GoldError", "GoldSet", "gold_files", "load_gold"]


class GoldError(Exception):
    """A gold file cannot be read or a line is not a valid GoldRecord; names file:line."""


@dataclass
class GoldSet:
    """The gold records of one evaluation, with where they came from."""

    records: list[GoldRecord]
    files: list[Path]
    origins: dict[str, str]  # article id -> "file:line"
    sha256: str  # of the files' bytes, in path order: identifies the gold set for comparisons

    @property
    def label(self) -> str:
        """A readable name for the set: the file, or the folder holding the files."""
        if len(self.files) == 1:
            return str(self.files[0])
        return str(self.files[0].parent) if self.files else ""


def gold_files(path: Path) -> list[Path]:
    """The gold files at ``path``: the file itself, or a folder's ``*.jsonl`` in name order."""
    if path.is_dir():
        files = sorted(p for p in path.glob("*.jsonl") if p.is_file())
        if not files:
            raise GoldError(f"{path}: no *.jsonl gold files in this folder")
        return files
    if not path.exists():
        raise GoldError(f"{path}: no such file or folder")
    return [path]


def _format_validation(error: ValidationError) -> str:
    parts = []
    for item in error.errors()[:3]:
        where = ".".join(str(p) for p in item["loc"]) or "record"
        parts.append(f"{where}: {item['msg']}")
    more = error.error_count() - len(parts)
    return "; ".join(parts) + (f" (and {more} more)" if more > 0 else "")


def load_gold(path: Path | str) -> GoldSet:
    """Read every gold record under ``path``; raise GoldError naming file:line on the first bad
    line or on an article id given twice."""
    path = Path(path)
    records: list[GoldRecord] = []
    origins: dict[str, str] = {}
    digest = hashlib.sha256()
    files = gold_files(path)
    for file in files:
        try:
            data = file.read_bytes()
            text = data.decode("utf-8")
        except (OSError, UnicodeDecodeError) as error:
            raise GoldError(f"{file}: cannot read gold file: {error}") from error
        digest.update(file.name.encode("utf-8") + b"\0" + data + b"\0")
        for number, line in enumerate(text.splitlines(), start=1):
            if not line.strip():
                continue
            where = f"{file}:{number}"
            try:
                payload = json.loads(line)
            except json.JSONDecodeError as error:
                raise GoldError(f"{where}: not valid JSON: {error.msg} (column {error.colno})") \
                    from error
            try:
                record = GoldRecord.model_validate(payload)
            except ValidationError as error:
                raise GoldError(f"{where}: not a valid gold record: "
                                f"{_format_validation(error)}") from error
            if record.article.id in origins:
                raise GoldError(f"{where}: article id {record.article.id} is already used at "
                                f"{origins[record.article.id]}")
            origins[record.article.id] = where
            records.append(record)
    if not records:
        raise GoldError(f"{path}: no gold records")
    return GoldSet(records=records, files=files, origins=origins,
                   sha256=digest.hexdigest()[:16])
