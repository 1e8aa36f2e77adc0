-- A check of fct_indicator_attainment (expectations/suites.py): one row per stated actual and target value
-- whose unit is the catalogue's unit for its code (a null unit matches nothing), out_of_bounds 1 when it
-- lies below the catalogue's min_value or above its max_value (a null bound does not bind).
-- value is a keyword sqlfluff flags (noqa): it is the column name the suites read.
with indicators as (
    select * from {{ ref('fct_indicator_attainment') }}
),

catalogue as (
    select * from {{ ref('dim_indicator') }}
),

matched as (
    select
        indicators.figure_id,
        indicators.unit_key,
        indicators.actual_value,
        indicators.target_value,
        catalogue.min_value,
        catalogue.max_value
    from indicators
    inner join catalogue
        on indicators.indicator_code = catalogue.indicator_code and indicators.unit = catalogue.unit
),

stated_values as (
    select
        figure_id,
        unit_key,
        actual_value as value,  -- noqa: RF04
        min_value,
        max_value
    from matched
    where actual_value is not null
    union all
    select
        figure_id,
        unit_key,
        target_value as value,  -- noqa: RF04
        min_value,
        max_value
    from matched
    where target_value is not null
),

final as (
    select
        case
            when min_value is not null and value < min_value then 1
            when max_value is not null and value > max_value then 1
            else 0
        end as out_of_bounds,
        value,
        min_value,
        max_value,
        {{ json_list_of_one('figure_id') }} as figure_ids,
        {{ json_list_of_one('unit_key') }} as unit_keys
    from stated_values
)

select * from final
