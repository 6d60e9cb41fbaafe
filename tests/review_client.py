"""A logged-in reviewer's HTTP client for a Datasette in review mode, shared by the review
tests: it keeps cookies (the signed ``ds_actor`` and Datasette's CSRF cookie) and posts the
evidence page's forms with the page's own ``csrftoken``."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import httpx

from extractor.browse import create_datasette, prepare, with_review
from extractor.browse.review import LOGIN_PATH, login_token

REVIEWER = "analyst"
_CSRF = re.compile(r'name="csrftoken" value="([^"]+)"')


class ReviewClient:
    def __init__(self, db: Path, review: bool = True):
        metadata = prepare(db)
        if review:
            metadata = with_review(metadata, db, REVIEWER)
        self.datasette = create_datasette(db, metadata)
        self.client: httpx.AsyncClient | None = None

    async def __aenter__(self) -> ReviewClient:
        await self.datasette.invoke_startup()
        self.client = httpx.AsyncClient(transport=httpx.ASGITransport(app=self.datasette.app()),
                                        base_url="http://127.0.0.1")
        return self

    async def __aexit__(self, *_: Any) -> None:
        assert self.client is not None
        await self.client.aclose()

    @property
    def http(self) -> httpx.AsyncClient:
        assert self.client is not None
        return self.client

    async def login(self, token: str | None = None) -> httpx.Response:
        token = token if token is not None else login_token(self.datasette, REVIEWER)
        return await self.http.get(LOGIN_PATH, params={"token": token})

    async def page(self, incident_id: str) -> str:
        response = await self.http.get(f"/-/incident/{incident_id}")
        assert response.status_code == 200, response.text
        return response.text

    async def csrf_token(self, incident_id: str) -> str:
        """The CSRF token of the incident page's review forms."""
        match = _CSRF.search(await self.page(incident_id))
        assert match, "the page has no review form"
        return match[1]

    async def post(self, path: str, incident_id: str, form: dict[str, str]) -> httpx.Response:
        """Post ``form`` from the incident's page, with the page's CSRF token."""
        token = await self.csrf_token(incident_id)
        return await self.http.post(path, data={"csrftoken": token, **form})
