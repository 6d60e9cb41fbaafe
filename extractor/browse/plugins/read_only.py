"""Datasette plugin of the project: the server only reads.

Every request with a method that could write (POST, PUT, PATCH, DELETE, ...) is answered
``405 Method Not Allowed`` with one line of text, before Datasette sees it: Datasette 0.65
answers a POST to a table with a 500 and a traceback. The one exception is ``serve --review``:
its review forms post to ``/-/review/`` (Datasette's CSRF check and the reviewer's login still
apply there, and what they write goes to the reviews table only).
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from datasette import hookimpl

from extractor.browse.review import review_enabled

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

READ_METHODS = ("GET", "HEAD", "OPTIONS")
REFUSAL = b"This server is read-only: it answers GET and HEAD requests only.\n"
REVIEW_PREFIX = "/-/review/"


def refuse_writes(app: App, allow_reviews: bool = False) -> App:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if (scope["type"] != "http" or scope.get("method", "GET") in READ_METHODS
                or (allow_reviews and scope.get("method") == "POST"
                    and str(scope.get("path", "")).startswith(REVIEW_PREFIX))):
            await app(scope, receive, send)
            return
        await send({"type": "http.response.start", "status": 405, "headers": [
            (b"content-type", b"text/plain; charset=utf-8"),
            (b"allow", ", ".join(READ_METHODS).encode()),
            (b"content-length", str(len(REFUSAL)).encode()),
        ]})
        await send({"type": "http.response.body", "body": REFUSAL})

    return wrapped


@hookimpl
def asgi_wrapper(datasette: Any) -> Callable[[App], App]:
    allow_reviews = review_enabled(datasette)
    return lambda app: refuse_writes(app, allow_reviews)
