-- title: Incidents per month
-- description: Incidents and fatalities per month of date_start and model; background
--   incidents (recalled as context) counted apart.
-- requires: incidents
select
  coalesce(substr(date_start, 1, 7), '(no date)') as month,
  model,
  sum(not is_background) as reported,
  sum(is_background) as background,
  sum(case when is_background then 0 else fatalities end) as fatalities_reported
from incidents
group by month, model
order by month = '(no date)', month, model
