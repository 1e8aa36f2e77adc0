-- A check of fct_indicator_attainment (expectations/suites.py): one row per indicator figure, its code.
with indicators as (
    select * from {{ ref('fct_indicator_attainment') }}
),

final as (
    select
        indicator_code,
        {{ json_list_of_one('figure_id') }} as figure_ids,
        {{ json_list_of_one('unit_key') }} as unit_keys
    from indicators
)

select * from final
