"""SQL views for browsing, kept in a migration set of their own ("extractor-browse").

They are created when ``extractor serve`` starts (``ensure_views``), never by the pipeline, so
the core schema does not depend on the browsing layer. Like every migration, an applied one is
never edited: to change a view, add a migration that drops and recreates it.
"""

from __future__ import annotations

from sqlite_utils import Database
from sqlite_utils.migrations import Migrations

from extractor.store.database import write_transaction
from extractor.store.migrations import migrations as core_migrations

migrations = Migrations("extractor-browse")



def _actor_list(role: str) -> str:
    """A correlated subquery: the names of an incident's actors in one role, comma separated."""
    return f"""(
    select group_concat(name, ', ') from (
      select actors.name from incident_actors
      join actors on actors.id = incident_actors.actor_id
      where incident_actors.incident_id = incidents.id and incident_actors.role = '{role}'
      order by actors.name
    )
  )"""


INCIDENT_OVERVIEW_V1 = f"""
select
  incidents.rowid as incident_rowid,
  incidents.id,
  incidents.date_start,
  incidents.event_type,
  incidents.sub_event_type,
  incidents.summary,
  {_actor_list("perpetrator")} as perpetrators,
  {_actor_list("target")} as targets,
  {_actor_list("claimed_by")} as claimed_by,
  incidents.place,
  incidents.admin1,
  incidents.country,
  incidents.fatalities,
  incidents.evidence_status,
  incidents.is_background,
  incidents.latitude,
  incidents.longitude,
  incidents.article_id,
  articles.title as article_title,
  incidents.model,
  incidents.run_id
from incidents
left join articles on articles.id = incidents.article_id
"""

INCIDENTS_BY_ACTOR = """
select
  incident_actors.incident_id,
  actors.name as actor,
  incident_actors.actor_id,
  incident_actors.role,
  incident_actors.name_as_written,
  actors.actor_type,
  incidents.date_start,
  incidents.event_type,
  incidents.sub_event_type,
  incidents.place,
  incidents.admin1,
  incidents.country,
  incidents.fatalities,
  incidents.evidence_status,
  incidents.is_background,
  incidents.model,
  incidents.summary
from incident_actors
join actors on actors.id = incident_actors.actor_id
join incidents on incidents.id = incident_actors.incident_id
"""


@migrations()
def m001_incident_views(db: Database) -> None:
    db.create_view("incident_overview", INCIDENT_OVERVIEW_V1, replace=True)
    db.create_view("incidents_by_actor", INCIDENTS_BY_ACTOR, replace=True)


# The row number only serves full-text search: last, out of the way.
INCIDENT_OVERVIEW = INCIDENT_OVERVIEW_V1.replace(
    "  incidents.rowid as incident_rowid,\n", ""
).replace(
    "  incidents.run_id\n", "  incidents.run_id,\n  incidents.rowid as incident_rowid\n"
)


@migrations()
def m002_overview_rowid_last(db: Database) -> None:
    db.create_view("incident_overview", INCIDENT_OVERVIEW, replace=True)


def ensure_views(db: Database) -> None:
    """Create (or bring up to date) the browsing views; the core tables first, as they rely on
    them."""
    with write_transaction(db):
        core_migrations.apply(db)
        migrations.apply(db)
