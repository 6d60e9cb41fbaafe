-- title: Review queue
-- description: Incidents no analyst has reviewed yet (serve --review), article by article;
--   each evidence status links to the incident's page, where it is accepted, rejected or
--   corrected. An article is exported as gold (`extractor gold export`) once every incident
--   of its extraction has a review.
-- requires: incidents, articles, reviews
select
  articles.title as article_title,
  incidents.position + 1 as incident_number,
  incidents.date_start,
  incidents.event_type,
  incidents.sub_event_type,
  incidents.place,
  incidents.country,
  incidents.summary,
  incidents.evidence_status,
  incidents.id as incident_id,
  incidents.model
from incidents
join articles on articles.id = incidents.article_id
where not exists (select 1 from reviews where reviews.incident_id = incidents.id)
order by articles.title, incidents.extraction_id, incidents.position
