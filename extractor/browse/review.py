"""The review pages of ``serve --review``: login by token, and the forms' endpoints.

Review mode is switched on by ``serve --review`` through the metadata's plugin settings
(:data:`PLUGIN`: the reviewer's name). Then:

* ``GET /-/review/login?token=...`` checks the token ``serve`` printed (signed with this
  server's secret, so it is good for this run only) and sets Datasette's signed ``ds_actor``
  cookie for the reviewer;
* ``POST /-/review/incident/<id>`` stores an accept, reject or correction,
  ``POST /-/review/add/<id>`` a missed incident of the same extraction, and
  ``POST /-/review/withdraw/<review id>`` withdraws an added one; all need that cookie and
  Datasette's CSRF token (``csrftoken``, which the forms carry), and redirect back;
* every other request that could write is still answered 405 (``plugins/read_only.py``).

Reviews are written by a :class:`~extractor.review.writer.ReviewWriter` opened at startup,
the only connection of the server that may write, and only to the ``reviews`` table.
"""

from __future__ import annotations

import json
import weakref
from typing import Any
from urllib.parse import quote

from datasette.utils.asgi import Forbidden, NotFound, Response
from itsdangerous import BadSignature

from extractor.review.form import FormError, added, claim_rows, corrected
from extractor.review.table import ADDED_PREFIX, Action, added_id
from extractor.review.writer import Review, ReviewWriter
from extractor.schemas import (
    SUB_EVENT_TYPES,
    ActorType,
    CasualtyKind,
    EventType,
    ExtractionResult,
    GeoPrecision,
    Incident,
)

__all__ = ["LOGIN_PATH", "PLUGIN", "ROUTES", "login_token", "review_context",
           "review_enabled", "start"]

PLUGIN = "extractor-review"
LOGIN_PATH = "/-/review/login"
_TOKEN_NAMESPACE = "extractor-review-login"
_writers: weakref.WeakKeyDictionary[Any, ReviewWriter] = weakref.WeakKeyDictionary()


def settings(datasette: Any) -> dict[str, Any] | None:
    config = datasette.plugin_config(PLUGIN)
    return config if isinstance(config, dict) and config.get("reviewer") else None


def review_enabled(datasette: Any) -> bool:
    return settings(datasette) is not None


def login_token(datasette: Any, reviewer: str) -> str:
    """The token of ``serve``'s login URL: the reviewer's name signed with this server's
    secret (a new random one each time serve starts)."""
    return str(datasette.sign({"reviewer": reviewer}, _TOKEN_NAMESPACE))


def start(datasette: Any) -> None:
    """Open the review writer when review mode is on (Datasette's startup hook)."""
    if settings(datasette) is not None and datasette not in _writers:
        _writers[datasette] = ReviewWriter(datasette.get_database().path)


async def login(datasette: Any, request: Any) -> Response:
    try:
        payload = datasette.unsign(request.args.get("token", ""), _TOKEN_NAMESPACE)
    except BadSignature:  # Datasette's unsign is itsdangerous's
        raise Forbidden("This login token is not valid for this server: use the URL "
                        "`extractor serve --review` printed when it started.") from None
    response = Response.redirect(datasette.urls.path("/"))
    response.set_cookie("ds_actor", datasette.sign({"a": {"id": payload["reviewer"]}}, "actor"),
                        httponly=True, samesite="strict")
    return response


def _reviewer(datasette: Any, request: Any) -> tuple[str, ReviewWriter]:
    writer = _writers.get(datasette)
    if writer is None or settings(datasette) is None:
        raise Forbidden("Reviewing needs `extractor serve --review`.")
    actor = request.actor or {}
    if not actor.get("id"):
        raise Forbidden("Log in with the token URL `extractor serve --review` printed.")
    return str(actor["id"]), writer


async def _one(db: Any, sql: str, params: list[Any]) -> dict[str, Any] | None:
    rows = (await db.execute(sql, params)).rows
    return dict(rows[0]) if rows else None


async def _extracted(db: Any, incident_id: str) -> tuple[dict[str, Any], Incident, list[str]]:
    """An incident row, the incident as the model gave it, and its extraction's actor names."""
    row = await _one(db, "select id, article_id, extraction_id, position from incidents "
                         "where id = ?", [incident_id])
    if row is None:
        raise NotFound(f"No incident with id {incident_id}")
    extraction = await _one(db, "select result_json from extractions where id = ?",
                            [row["extraction_id"]])
    if extraction is None or not extraction["result_json"]:
        raise NotFound(f"The extraction of incident {incident_id} has no stored result")
    result = ExtractionResult.model_validate_json(extraction["result_json"])
    names = [n for actor in result.actors for n in (actor.name, *actor.aliases)]
    return row, result.incidents[row["position"]], names


async def _unknown_names(db: Any, incident: Incident, extracted_names: list[str]) -> str | None:
    """A one-line refusal when the incident names an actor the database does not know."""
    known = {n.casefold() for n in extracted_names}
    for name, aliases in (await db.execute("select name, aliases from actors")).rows:
        known |= {n.casefold() for n in (name, *json.loads(aliases or "[]"))}
    named = [*incident.perpetrators, *incident.targets, *incident.claimed_by,
             *(c.victims for c in incident.casualties if c.victims)]
    unknown = [n for n in named if n.casefold() not in known]
    if unknown:
        return (f"unknown actor {unknown[0]!r}: name actors as the article's extraction or the "
                "actors table does (the field suggests them)")
    return None


def _back(datasette: Any, incident_id: str, message: str | None = None) -> Response:
    path = datasette.urls.path(f"/-/incident/{quote(incident_id, safe='')}")
    if message:
        path += "?review_error=" + quote(message, safe="")
    return Response.redirect(f"{path}#review")


async def review_incident(datasette: Any, request: Any) -> Response:
    reviewer, writer = _reviewer(datasette, request)
    incident_id = request.url_vars["incident_id"]
    db = datasette.get_database()
    row, extracted, names = await _extracted(db, incident_id)
    form = dict(await request.post_vars())
    try:
        action = Action(form.get("action", ""))
    except ValueError:
        return _back(datasette, incident_id, "choose accept, reject or correct")
    patch = before = None
    if action == Action.correct:
        try:
            patch, before = corrected(form, extracted)
        except FormError as error:
            return _back(datasette, incident_id, str(error))
        problem = await _unknown_names(db, Incident.model_validate({
            **extracted.model_dump(mode="json"), **patch}), names)
        if problem:
            return _back(datasette, incident_id, problem)
        if not patch:
            action, patch, before = Action.accept, None, None  # nothing changed
    elif action == Action.add:
        return _back(datasette, incident_id, "add a missed incident with its own form")
    writer.add(Review(action, row["article_id"], reviewer, incident_id, row["extraction_id"],
                      patch, before, (form.get("note") or "").strip() or None))
    return _back(datasette, incident_id)


async def add_incident(datasette: Any, request: Any) -> Response:
    reviewer, writer = _reviewer(datasette, request)
    incident_id = request.url_vars["incident_id"]
    db = datasette.get_database()
    row, _, names = await _extracted(db, incident_id)
    article = await _one(db, "select text from articles where id = ?", [row["article_id"]])
    form = dict(await request.post_vars())
    try:
        incident = added(form, article["text"] if article else "")
    except FormError as error:
        return _back(datasette, incident_id, f"missed incident not added: {error}")
    problem = await _unknown_names(db, incident, names)
    if problem:
        return _back(datasette, incident_id, f"missed incident not added: {problem}")
    writer.add(Review(Action.add, row["article_id"], reviewer, None, row["extraction_id"],
                      incident.model_dump(mode="json"), None,
                      (form.get("note") or "").strip() or None))
    return _back(datasette, incident_id)


async def withdraw_added(datasette: Any, request: Any) -> Response:
    """Withdraw an incident added by review (a reject of it), from the page it was added on."""
    reviewer, writer = _reviewer(datasette, request)
    review_id = int(request.url_vars["review_id"])
    db = datasette.get_database()
    form = dict(await request.post_vars())
    back = form.get("back", "")
    adding = await _one(db, "select article_id, extraction_id from reviews where id = ? and "
                            "action = ?", [review_id, Action.add.value])
    if adding is None:
        raise NotFound(f"No incident added by review {review_id}")
    writer.add(Review(Action.reject, adding["article_id"], reviewer, added_id(review_id),
                      adding["extraction_id"], None, None, "withdrawn"))
    return _back(datasette, back) if back else Response.redirect(datasette.urls.path("/"))


ROUTES = [
    (r"^/-/review/login$", login),
    (r"^/-/review/incident/(?P<incident_id>[^/]+)$", review_incident),
    (r"^/-/review/add/(?P<incident_id>[^/]+)$", add_incident),
    (r"^/-/review/withdraw/(?P<review_id>\d+)$", withdraw_added),
]


async def review_context(datasette: Any, request: Any, db: Any,
                         incident_id: str) -> dict[str, Any]:
    """What the evidence page's review forms show; empty outside review mode."""
    if not review_enabled(datasette):
        return {}
    _, extracted, names = await _extracted(db, incident_id)
    history = [dict(r) for r in (await db.execute(
        "select id, action, patch, before, note, reviewer, reviewed_at from reviews "
        "where incident_id = ? order by id desc", [incident_id])).rows]
    for item in history:
        item["changes"] = [(key, json.loads(item["before"])[key], value)
                           for key, value in json.loads(item["patch"] or "{}").items()]
    added_rows = [dict(r) for r in (await db.execute(
        """select id, patch, reviewer, reviewed_at from reviews as adding
           where action = :add
             and extraction_id = (select extraction_id from incidents where id = :incident)
             and coalesce((select action from reviews where incident_id = :prefix || adding.id
                           order by id desc limit 1), '') != :reject
           order by id""", {"add": Action.add.value, "reject": Action.reject.value,
                            "incident": incident_id, "prefix": ADDED_PREFIX})).rows]
    known = [row[0] for row in (await db.execute("select name from actors order by name")).rows]
    return {"review": {
        "actor": (request.actor or {}).get("id"),
        "error": request.args.get("review_error"),
        "incident": extracted.model_dump(mode="json"),
        "claims": claim_rows(extracted.casualties),
        "history": history,
        "latest": history[0] if history else None,
        "added": [{**r, "incident": json.loads(r["patch"])} for r in added_rows],
        "action_url": datasette.urls.path(f"/-/review/incident/{quote(incident_id, safe='')}"),
        "add_url": datasette.urls.path(f"/-/review/add/{quote(incident_id, safe='')}"),
        "withdraw_url": datasette.urls.path("/-/review/withdraw/"),
        "incident_id": incident_id,
        "event_types": [e.value for e in EventType],
        "sub_event_types": {e.value: [s.value for s in subs]
                            for e, subs in SUB_EVENT_TYPES.items()},
        "geo_precisions": [g.value for g in GeoPrecision],
        "casualty_kinds": [k.value for k in CasualtyKind],
        "actor_types": [t.value for t in ActorType],
        "actor_names": sorted(set(names) | set(known)),
    }}
