-- A check of fct_programme_funding (expectations/suites.py): one row per figure with both period ends, its
-- period's length in days (negative when it ends before it starts).
with funding as (
    select * from {{ ref('fct_programme_funding') }}
),

final as (
    select
        cast(period_end - period_start as integer) as period_days,
        {{ json_list_of_one('figure_id') }} as figure_ids,
        {{ json_list_of_one('unit_key') }} as unit_keys
    from funding
    where period_start is not null and period_end is not null
)

select * from final
