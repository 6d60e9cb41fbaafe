-- One row per incident: its actors by role (canonical names), place, fatalities, evidence
-- status, coordinates for the map, and the article's title. The row number comes last: it
-- only serves full-text search (Datasette's fts_pk).
select
  incidents.id,
  incidents.date_start,
  incidents.event_type,
  incidents.sub_event_type,
  incidents.summary,
  (
    select group_concat(name, ', ') from (
      select actors.name from incident_actors
      join actors on actors.id = incident_actors.actor_id
      where incident_actors.incident_id = incidents.id and incident_actors.role = 'perpetrator'
      order by actors.name
    )
  ) as perpetrators,
  (
    select group_concat(name, ', ') from (
      select actors.name from incident_actors
      join actors on actors.id = incident_actors.actor_id
      where incident_actors.incident_id = incidents.id and incident_actors.role = 'target'
      order by actors.name
    )
  ) as targets,
  (
    select group_concat(name, ', ') from (
      select actors.name from incident_actors
      join actors on actors.id = incident_actors.actor_id
      where incident_actors.incident_id = incidents.id and incident_actors.role = 'claimed_by'
      order by actors.name
    )
  ) as claimed_by,
  incidents.place,
  incidents.admin1,
  incidents.country,
  incidents.fatalities,
  incidents.evidence_status,
  incidents.is_background,
  incidents.latitude,
  incidents.longitude,
  incidents.geo_precision_code,
  incidents.article_id,
  articles.title as article_title,
  incidents.model,
  incidents.run_id,
  incidents.rowid as incident_rowid
from incidents
left join articles on articles.id = incidents.article_id
