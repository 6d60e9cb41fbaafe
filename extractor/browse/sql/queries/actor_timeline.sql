-- title: An actor's incidents over time
-- description: Incidents naming an actor (canonical name, alias or id; part of a name is
--   enough), oldest first, each once with every role the actor had in it (an actor that
--   carried out an attack and claimed it shows "claimed_by, perpetrator").
-- requires: incidents, incident_actors, actors
with named as (
  select incident_actors.incident_id, actors.name, incident_actors.role
  from incident_actors
  join actors on actors.id = incident_actors.actor_id
  where :actor != ''
    and (actors.id = :actor
         or actors.name like '%' || :actor || '%'
         or actors.aliases like '%' || :actor || '%')
)
select
  incidents.date_start,
  substr(incidents.date_start, 1, 7) as month,
  (select group_concat(name, ', ') from (
     select distinct name from named where named.incident_id = incidents.id order by name)
  ) as actor,
  (select group_concat(role, ', ') from (
     select distinct role from named where named.incident_id = incidents.id order by role)
  ) as role,
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
from incidents
where incidents.id in (select incident_id from named)
order by incidents.date_start is null, incidents.date_start, incidents.id
