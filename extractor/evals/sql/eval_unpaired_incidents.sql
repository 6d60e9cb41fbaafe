-- title: Missed and spurious incidents of an eval run
-- description: Gold incidents no prediction matched (missed) and predictions matching no gold
--   incident (spurious), with the reason. Leave run empty for the latest run.
-- requires: eval_runs, eval_pairs
select
  eval_pairs.status,
  eval_pairs.article_id,
  eval_pairs.gold_summary,
  eval_pairs.pred_summary,
  eval_pairs.similarity,
  eval_pairs.reason,
  eval_pairs.eval_run_id
from eval_pairs
where eval_pairs.eval_run_id = cast(coalesce(nullif(:run, ''),
                                             (select max(id) from eval_runs)) as integer)
  and eval_pairs.status != 'paired'
order by eval_pairs.status, eval_pairs.article_id
