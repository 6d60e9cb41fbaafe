"""Articles read back from the database, for ``extractor extract --from-db``.

The stored text is the text the model saw, so a re-run with another model, prompt or settings
needs no source files. The cache still applies: an article already extracted under the same
configuration is skipped.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from typing import Any

import click
from sqlite_utils import Database

from extractor.intake.articles import SourcedArticle
from extractor.schemas import Article
from extractor.store.database import open_db
from extractor.vocabulary import ExtractionStatus


@dataclass(frozen=True)
class StoredSelection:
    """Which stored articles to extract again."""

    since: date | None = None  # published on or after this day
    article_ids: tuple[str, ...] = ()
    failed: bool = False  # only articles whose extractions all failed


def _query(selection: StoredSelection) -> tuple[str, list[Any]]:
    clauses: list[str] = []
    params: list[Any] = []
    if selection.since:
        clauses.append("published >= ?")
        params.append(selection.since.isoformat())
    if selection.article_ids:
        clauses.append(f"id in ({','.join('?' * len(selection.article_ids))})")
        params.extend(selection.article_ids)
    if selection.failed:
        clauses.append("exists (select 1 from extractions x where x.article_id = articles.id "
                       "and x.status = ?) and not exists (select 1 from extractions x where "
                       "x.article_id = articles.id and x.status = ?)")
        params.extend([ExtractionStatus.FAILED.value, ExtractionStatus.OK.value])
    where = (" where " + " and ".join(clauses)) if clauses else ""
    return ("select id, title, url, published, source, text from articles"
            f"{where} order by added_at, id"), params


def stored_articles(db: Database, selection: StoredSelection) -> Iterator[SourcedArticle]:
    """The selected stored articles, one at a time, in the order they were added."""
    sql, params = _query(selection)
    for article_id, title, url, published, source, text in db.execute(sql, params):
        article = Article(id=article_id, title=title, url=url,
                          published=date.fromisoformat(published) if published else None,
                          source=source, text=text)
        yield SourcedArticle(article=article, origin=f"db:{article_id}")


def missing_ids(db: Database, article_ids: tuple[str, ...]) -> list[str]:
    """Of ``article_ids``, those the database does not hold."""
    known = {row[0] for row in db.execute(
        f"select id from articles where id in ({','.join('?' * len(article_ids))})",
        list(article_ids))} if article_ids else set()
    return [article_id for article_id in article_ids if article_id not in known]


def stored_options(func: Callable[..., Any]) -> Callable[..., Any]:
    """The options of ``extract`` that re-run stored articles instead of reading files."""
    options = [
        click.option("--from-db", "from_db", is_flag=True,
                     help="Extract the articles stored in the database again (with another "
                          "model, prompt or settings) instead of reading PATHS."),
        click.option("--since", "stored_since", type=click.DateTime(["%Y-%m-%d"]),
                     default=None,
                     help="With --from-db: only articles published on or after this day."),
        click.option("--article", "stored_articles", multiple=True,
                     help="With --from-db: only this article id (repeatable)."),
        click.option("--failed", "stored_failed", is_flag=True,
                     help="With --from-db: only articles whose every extraction failed."),
    ]
    for option in reversed(options):
        func = option(func)
    return func


def stored_selection(paths: tuple[Path, ...], flags: dict[str, Any]) -> StoredSelection | None:
    """The stored articles ``extract`` takes, or None when it reads PATHS; pops its flags."""
    from_db = bool(flags.pop("from_db", False))
    since = flags.pop("stored_since", None)
    article_ids = tuple(flags.pop("stored_articles", ()) or ())
    failed = bool(flags.pop("stored_failed", False))
    if not from_db:
        if since or article_ids or failed:
            raise click.UsageError("--since, --article and --failed select stored articles: "
                                   "use them with --from-db.")
        if not paths:
            raise click.UsageError("Give PATHS to read, or --from-db to extract the stored "
                                   "articles again.")
        return None
    if paths:
        raise click.UsageError("Give PATHS or --from-db, not both.")
    return StoredSelection(since=since.date() if since else None, article_ids=article_ids,
                           failed=failed)


def open_stored(path: Path, selection: StoredSelection) -> Database:
    """A read connection on an existing database; unknown --article ids are an error."""
    if not path.is_file():
        raise click.ClickException(f"No database at {path}: --from-db re-runs the articles "
                                   "of an existing database.")
    db = open_db(path)
    missing = missing_ids(db, selection.article_ids)
    if missing:
        db.close()
        raise click.ClickException(f"No article {', '.join(missing)} in {path}.")
    return db
