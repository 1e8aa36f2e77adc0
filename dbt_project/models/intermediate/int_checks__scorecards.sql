-- A check of fct_district_scorecard (expectations/suites.py): one row per scorecard, its met count against
-- its total and its exceeded count against its met count.
with scorecards as (
    select * from {{ ref('fct_district_scorecard') }}
),

final as (
    select
        indicators_met_or_exceeded - indicators_total as met_minus_total,
        indicators_exceeded - indicators_met_or_exceeded as exceeded_minus_met,
        indicators_met_or_exceeded,
        indicators_total,
        indicators_exceeded,
        {{ json_list_of_one('figure_id') }} as figure_ids,
        {{ json_list_of_one('unit_key') }} as unit_keys
    from scorecards
)

select * from final
