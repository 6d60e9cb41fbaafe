-- title: Events on the map
-- description: One row per real-world event that has a point: the incidents of one or more
--   articles grouped as one event (docs/events.md), with how many incidents and articles
--   report it, its reconciled date window and place, its conservative fatality figure, and
--   the point of its most precisely located report, which puts it on the map.
-- requires: events
select
  id as event_id,
  reports as incidents,
  articles,
  date_start as first_date,
  date_end as last_date,
  trim(coalesce(place || ', ', '') || coalesce(admin1 || ', ', '') || coalesce(country, ''),
       ', ') as places,
  event_type,
  sub_event_type,
  fatalities,
  latitude,
  longitude,
  geo_precision_code
from events
where latitude is not null and longitude is not null
order by date_start is null, date_start, number
