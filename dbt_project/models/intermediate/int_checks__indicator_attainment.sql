-- A check of fct_indicator_attainment (expectations/suites.py): one row per figure with a stated and a
-- computed attainment (computed_attainment_pct, int_figures__indicators), the gap between them.
with indicators as (
    select * from {{ ref('fct_indicator_attainment') }}
),

final as (
    select
        abs(attainment_pct - computed_attainment_pct) as gap_pct_points,
        attainment_pct,
        computed_attainment_pct,
        {{ json_list_of_one('figure_id') }} as figure_ids,
        {{ json_list_of_one('unit_key') }} as unit_keys
    from indicators
    where attainment_pct is not null and computed_attainment_pct is not null
)

select * from final
