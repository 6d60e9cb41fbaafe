-- title: Two eval runs side by side
-- description: Every field's score in eval run A and eval run B, and the change from A to B.
--   Leave run_a and run_b empty for the latest two runs.
-- requires: eval_runs, eval_scores
with picked as (
  select
    cast(coalesce(nullif(:run_a, ''),
                  (select id from eval_runs order by id desc limit 1 offset 1)) as integer) as a,
    cast(coalesce(nullif(:run_b, ''),
                  (select id from eval_runs order by id desc limit 1)) as integer) as b
),
fields as (
  select distinct field from eval_scores, picked
  where eval_scores.eval_run_id in (picked.a, picked.b)
)
select
  fields.field,
  picked.a as run_a,
  a.score as score_a,
  picked.b as run_b,
  b.score as score_b,
  round(b.score - a.score, 4) as change,
  case when a.field is not null then printf('%g / %g', a.numerator, a.denominator) end
    as counts_a,
  case when b.field is not null then printf('%g / %g', b.numerator, b.denominator) end
    as counts_b,
  (select model || ' ' || prompt_hash from eval_runs where id = picked.a) as model_prompt_a,
  (select model || ' ' || prompt_hash from eval_runs where id = picked.b) as model_prompt_b
from fields
join picked
left join eval_scores as a on a.eval_run_id = picked.a and a.field = fields.field
left join eval_scores as b on b.eval_run_id = picked.b and b.field = fields.field
order by fields.field
