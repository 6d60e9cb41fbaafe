-- title: Events on the map
-- description: One row per real-world event (incidents of one or more articles grouped as
--   one event): how many incidents and articles report it, its dates and places, and the
--   highest fatality figure any of them gives (reports of one event are not added up), and
--   the coordinates of its most precisely located incident, which put it on the map.
-- requires: incidents, events
select
  incidents.event_id,
  count(*) as incidents,
  count(distinct incidents.article_id) as articles,
  min(incidents.date_start) as first_date,
  max(coalesce(incidents.date_end, incidents.date_start)) as last_date,
  group_concat(distinct incidents.place) as places,
  group_concat(distinct incidents.event_type) as event_types,
  max(incidents.fatalities) as highest_fatalities,
  located.latitude,
  located.longitude,
  located.geo_precision_code
from incidents
left join incidents as located on located.id = (
  select candidate.id from incidents as candidate
  where candidate.event_id = incidents.event_id and candidate.latitude is not null
  order by candidate.geo_precision_code, candidate.id limit 1)
where incidents.event_id is not null
group by incidents.event_id
order by first_date is null, first_date, incidents.event_id
