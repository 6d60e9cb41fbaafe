-- title: Articles whose scores changed between two eval runs
-- description: Per gold article and field, the score in eval run A and in eval run B, largest
--   drops first. Leave run_a and run_b empty for the latest two runs.
-- requires: eval_runs, eval_articles, eval_article_scores
with picked as (
  select
    cast(coalesce(nullif(:run_a, ''),
                  (select id from eval_runs order by id desc limit 1 offset 1)) as integer) as a,
    cast(coalesce(nullif(:run_b, ''),
                  (select id from eval_runs order by id desc limit 1)) as integer) as b
)
select
  a.article_id,
  (select title from eval_articles
   where eval_articles.eval_run_id = picked.b and eval_articles.article_id = a.article_id)
    as title,
  a.field,
  a.score as score_a,
  b.score as score_b,
  round(coalesce(b.score, 0) - coalesce(a.score, 0), 4) as change,
  a.explanation as explanation_a,
  b.explanation as explanation_b
from picked
join eval_article_scores as a on a.eval_run_id = picked.a
join eval_article_scores as b
  on b.eval_run_id = picked.b and b.article_id = a.article_id and b.field = a.field
where a.score is not b.score
order by change, a.article_id, a.field
