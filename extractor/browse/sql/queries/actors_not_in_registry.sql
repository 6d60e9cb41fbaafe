-- title: Actors not in the registry
-- description: Actors only seen in articles, with how many incidents name them: candidates
--   for the actor registry (or for aliases of a registered actor).
-- requires: actors, incident_actors
select
  actors.id,
  actors.name,
  actors.actor_type,
  actors.aliases,
  count(distinct incident_actors.incident_id) as incidents
from actors
left join incident_actors on incident_actors.actor_id = actors.id
where actors.in_registry = 0
group by actors.id
order by incidents desc, actors.name
