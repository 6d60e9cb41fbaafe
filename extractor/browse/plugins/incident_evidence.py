"""Datasette plugin of the project: an incident's evidence highlighted inside its article.

* ``/-/incident/<id>`` shows the article text with every aligned quote in ``<mark>`` (from the
  stored offsets), and lists quotes that were not found in the article separately.
* ``evidence_status`` cells (incidents, the overview view, canned queries) link to that page;
  ``quote`` cells of the evidence table link to the quote's place in it.
* On table pages the long list of column descriptions is folded away (they stay in the column
  headers' menus and in the metadata).
* Canned queries over other layers' tables (evaluation) appear as soon as those tables exist.
* The overview's map pins incidents by how precisely their place is known, with events when
  the database has them (``extractor.browse.overview_map``).
* The home page leads to the overview map, events, runs, failed extractions and the review
  queue (``extractor.browse.front_door``; template ``index.html``).

Loaded by ``extractor serve`` through Datasette's ``plugins_dir``.
"""

from __future__ import annotations

import json
from typing import Any
from urllib.parse import quote

from datasette import hookimpl
from datasette.utils import tilde_encode
from datasette.utils.asgi import NotFound, Response
from markupsafe import Markup, escape

from extractor.browse.front_door import front_door
from extractor.browse.highlight import Span, highlight, valid_span
from extractor.browse.overview_map import MAP_TABLES, map_config, map_script
from extractor.browse.queries import available_queries
from extractor.browse.review import review_context

ROUTE = r"^/-/incident/(?P<incident_id>[^/]+)$"
INCIDENT_TABLES = ("incidents", "incident_overview")


def incident_path(datasette: Any, incident_id: str, database: str | None = None) -> str:
    """Path of an incident's evidence page; names the database unless it is the default."""
    path = str(datasette.urls.path(f"/-/incident/{quote(str(incident_id), safe='')}"))
    if database and database != datasette.get_database().name:
        path += f"?db={quote(database, safe='')}"
    return path


@hookimpl
def register_routes() -> list[tuple[str, Any]]:
    return [(ROUTE, incident_page)]


def _raw(row: Any, key: str) -> Any:
    """A row's value; table pages give foreign keys as {"value": ..., "label": ...}."""
    value = row[key]
    return value["value"] if isinstance(value, dict) else value


@hookimpl
def render_cell(row: Any, value: Any, column: str, table: str | None, database: str,
                datasette: Any) -> Markup | None:
    keys = row.keys() if hasattr(row, "keys") else ()
    if column == "evidence_status":
        if table in INCIDENT_TABLES and "id" in keys:
            incident_id = _raw(row, "id")
        elif "incident_id" in keys:
            incident_id = _raw(row, "incident_id")
        else:
            return None
        if incident_id is None:
            return None
        href = incident_path(datasette, incident_id, database)
        label = escape(value if value is not None else "no status")
        return Markup(
            f'<a class="evidence-link" href="{escape(href)}" '
            f'title="Whether the quotes were found in the article text (not a check of the '
            f'facts): show them highlighted in the article">{label} &rarr; evidence</a>'
        )
    if table == "evidence" and column == "quote" and "incident_id" in keys and value:
        position = _raw(row, "position") if "position" in keys else None
        number = position + 1 if position is not None else None
        href = incident_path(datasette, _raw(row, "incident_id"), database)
        anchor = f"#evidence-{number}" if number else ""
        return Markup(f'{escape(value)} <a href="{escape(href + anchor)}" '
                      f'title="Show this quote in the article">[in article]</a>')
    return None


# Datasette 0.65 lists every column description above the table; with descriptions this long
# (the schema's), that pushes the rows off the screen. Fold the list into a <details>.
FOLD_COLUMN_DESCRIPTIONS = """
(() => {
  const list = document.querySelector("dl.column-descriptions");
  if (!list || list.closest("details")) return;
  const details = document.createElement("details");
  details.className = "column-descriptions-toggle";
  const summary = document.createElement("summary");
  summary.textContent = "What the columns mean (" + list.querySelectorAll("dt").length + ")";
  list.parentNode.insertBefore(details, list);
  details.append(summary, list);
})();
"""


@hookimpl
def extra_body_script(view_name: str, table: str | None, database: str | None,
                      datasette: Any) -> Any:
    if view_name != "table":
        return ""
    if table not in MAP_TABLES or database is None:
        return FOLD_COLUMN_DESCRIPTIONS

    async def inner() -> str:
        config = await map_config(datasette, database, incident_path(datasette, "ID", database))
        return FOLD_COLUMN_DESCRIPTIONS + map_script(config)

    return inner


@hookimpl
def extra_template_vars(view_name: str, datasette: Any) -> Any:
    if view_name != "index":
        return None

    async def inner() -> dict[str, Any]:
        return {"extractor_front_door": await front_door(datasette)}

    return inner


@hookimpl
def canned_queries(datasette: Any, database: str) -> Any:
    async def inner() -> dict[str, Any]:
        db = datasette.get_database(database)
        return available_queries(set(await db.table_names()))

    return inner


async def _rows(db: Any, sql: str, params: list[Any]) -> list[dict[str, Any]]:
    return [dict(row) for row in (await db.execute(sql, params)).rows]


async def incident_page(datasette: Any, request: Any) -> Response:
    incident_id = request.url_vars["incident_id"]
    try:
        db = datasette.get_database(request.args.get("db"))
    except KeyError:
        raise NotFound("No such database") from None
    incidents = await _rows(db, "select * from incidents where id = ?", [incident_id])
    if not incidents:
        raise NotFound(f"No incident with id {incident_id}")
    incident = incidents[0]
    articles = await _rows(db, "select * from articles where id = ?", [incident["article_id"]])
    article = articles[0] if articles else None
    text = article["text"] if article else ""
    evidence = await _rows(
        db, "select * from evidence where incident_id = ? order by position", [incident_id])
    found, not_found = [], []
    for number, item in enumerate(evidence, start=1):
        item["number"] = number
        if item["alignment"] != "unaligned" and valid_span(item["start"], item["end"],
                                                           len(text)):
            found.append(item)
        else:
            not_found.append(item)
    spans = [Span(i["number"], i["start"], i["end"], i["alignment"], i["score"]) for i in found]
    actors = await _rows(
        db,
        """select incident_actors.role, incident_actors.name_as_written, actors.id, actors.name
           from incident_actors join actors on actors.id = incident_actors.actor_id
           where incident_actors.incident_id = ? order by incident_actors.role, actors.name""",
        [incident_id],
    )
    for actor in actors:
        actor["url"] = datasette.urls.row(db.name, "actors", tilde_encode(actor["id"]))
    casualties = await _rows(
        db, "select * from casualties where incident_id = ? order by position", [incident_id])
    context = {
        "database": db.name,
        "incident": incident,
        "article": article,
        "article_html": highlight(text, spans),
        "found": found,
        "not_found": not_found,
        "actors_by_role": {
            role: [a for a in actors if a["role"] == role]
            for role in ("perpetrator", "target", "claimed_by")
        },
        "casualties": casualties,
        "weapons": json.loads(incident["weapons"] or "[]"),
        "sources": json.loads(incident["sources"] or "[]"),
        "incident_url": datasette.urls.row(db.name, "incidents", tilde_encode(incident_id)),
        "article_url": datasette.urls.row(db.name, "articles", tilde_encode(article["id"]))
        if article else None,
        **await review_context(datasette, request, db, incident_id),
    }
    html = await datasette.render_template(
        "extractor_incident.html", context, request=request, view_name="incident")
    return Response.html(html)
