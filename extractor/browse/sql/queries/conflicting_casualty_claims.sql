-- title: Conflicting casualty claims
-- description: Incidents where different sources give different figures for the same kind of
--   casualty and the same victims.
-- requires: incidents, casualties
with claims as (
  select
    incident_id,
    kind,
    coalesce(victims_actor_id, lower(victims), '') as victims_key,
    victims,
    coalesce(source, '(the article)') as source,
    count_text,
    count_min,
    count_max
  from casualties
)
select
  claims.incident_id,
  incidents.date_start,
  incidents.place,
  claims.kind,
  max(claims.victims) as victims,
  count(*) as claims,
  group_concat(claims.source || ': ' || claims.count_text, ' | ') as figures,
  min(claims.count_min) as lowest,
  max(coalesce(claims.count_max, claims.count_min)) as highest,
  incidents.evidence_status,
  incidents.summary,
  incidents.model
from claims
join incidents on incidents.id = claims.incident_id
where exists (
  select 1 from claims as other
  where other.incident_id = claims.incident_id
    and other.kind = claims.kind
    and other.victims_key = claims.victims_key
    and other.source != claims.source
    and (other.count_min is not claims.count_min or other.count_max is not claims.count_max)
)
group by claims.incident_id, claims.kind, claims.victims_key
order by incidents.date_start desc, claims.incident_id
