-- title: Incidents with quotes not found in their article
-- description: Incidents whose evidence_status is not verified: some or all of the quotes the
--   model gave were not found in the article text (or it gave none). Follow evidence_status to
--   see which. A found quote only shows the article says it; it is not a check of the facts.
-- requires: incidents, evidence, articles
select
  incidents.id as incident_id,
  incidents.evidence_status,
  count(evidence.id) as quotes,
  coalesce(sum(evidence.alignment = 'unaligned'), 0) as not_found,
  coalesce(sum(evidence.alignment = 'fuzzy'), 0) as fuzzy,
  incidents.date_start,
  incidents.summary,
  articles.title as article_title,
  incidents.model
from incidents
left join evidence on evidence.incident_id = incidents.id
left join articles on articles.id = incidents.article_id
where coalesce(incidents.evidence_status, '') != 'verified'
group by incidents.id
order by not_found desc, incidents.date_start desc
