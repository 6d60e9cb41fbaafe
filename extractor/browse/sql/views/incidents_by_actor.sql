-- One row per actor of each incident, to facet incidents by actor and role.
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
