"""Datasette plugin of the project: the review pages of ``serve --review``.

Routes and state live in :mod:`extractor.browse.review`; this file only hooks them in.
Without review mode the routes answer 403 and nothing is opened for writing.
"""

from __future__ import annotations

from typing import Any

from datasette import hookimpl

from extractor.browse.review import ROUTES, start


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return list(ROUTES)


@hookimpl
def startup(datasette: Any) -> None:
    start(datasette)
