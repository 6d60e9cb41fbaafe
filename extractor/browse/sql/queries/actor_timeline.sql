-- title: An actor's incidents over time
-- description: Incidents naming an actor (canonical name, alias or id; part of a name is
--   enough), oldest first, with the actor's role in each.
-- requires: incidents, incident_actors, actors
select
  incidents.date_start,
  substr(incidents.date_start, 1, 7) as month,
  actors.name as actor,
  incident_actors.role,
  incidents.event_type,
  incidents.sub_event_type,
  incidents.place,
  incidents.admin1,
  incidents.country,
  incidents.fatalities,
  incidents.evidence_status,
  incidents.summary,
  incidents.id as incident_id,
  incidents.model
from incident_actors
join actors on actors.id = incident_actors.actor_id
join incidents on incidents.id = incident_actors.incident_id
where :actor != ''
  and (actors.id = :actor
       or actors.name like '%' || :actor || '%'
       or actors.aliases like '%' || :actor || '%')
order by incidents.date_start is null, incidents.date_start, incidents.id
