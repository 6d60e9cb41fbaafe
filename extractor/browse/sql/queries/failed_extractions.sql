-- title: Failed extractions
-- description: Articles whose extraction failed, with the kind of error and its message.
-- requires: extractions, articles
select
  extractions.id as extraction_id,
  extractions.updated_at,
  extractions.model,
  extractions.error_kind,
  extractions.error,
  extractions.attempts,
  extractions.article_id,
  articles.title as article_title,
  articles.origin,
  extractions.run_id
from extractions
left join articles on articles.id = extractions.article_id
where extractions.status = 'failed'
order by extractions.updated_at desc
