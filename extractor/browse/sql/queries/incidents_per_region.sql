-- title: Incidents per region
-- description: Incidents, fatalities and date range per country and first-level region, per
--   model.
-- requires: incidents
select
  coalesce(country, '(unknown)') as country,
  coalesce(admin1, '(unknown)') as admin1,
  model,
  count(*) as incidents,
  sum(not is_background) as reported,
  sum(fatalities) as fatalities,
  min(date_start) as first_date,
  max(date_end) as last_date
from incidents
group by country, admin1, model
order by incidents desc, country, admin1
