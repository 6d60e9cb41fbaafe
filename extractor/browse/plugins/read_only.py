"""Datasette plugin of the project: the server only reads.

Every request with a method that could write (POST, PUT, PATCH, DELETE, ...) is answered
``405 Method Not Allowed`` with one line of text, before Datasette sees it: Datasette 0.65
answers a POST to a table with a 500 and a traceback, and no page of ours takes a form.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from datasette import hookimpl

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
App = Callable[[Scope, Receive, Send], Awaitable[None]]

READ_METHODS = ("GET", "HEAD", "OPTIONS")
REFUSAL = b"This server is read-only: it answers GET and HEAD requests only.\n"


def refuse_writes(app: App) -> App:
    async def wrapped(scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http" or scope.get("method", "GET") in READ_METHODS:
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
def asgi_wrapper() -> Callable[[App], App]:
    return refuse_writes
