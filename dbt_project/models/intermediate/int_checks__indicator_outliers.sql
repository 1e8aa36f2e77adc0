-- A check of fct_indicator_attainment (expectations/suites.py): one row per actual value of a mapped
-- indicator with a unit, its median-based modified z-score (Iglewicz & Hoaglin: 0.6745 |x - median| / MAD)
-- among the values of the same indicator and unit across every reporting unit; groups of fewer than
-- var outlier_min_values values are not judged, and a MAD of zero gives z = 0.
-- value is a keyword sqlfluff flags (noqa): it is the column name the suites read.
with indicators as (
    select * from {{ ref('fct_indicator_attainment') }}
),

judged_values as (
    select
        figure_id,
        unit_key,
        indicator_code,
        unit,
        cast(actual_value as double precision) as value  -- noqa: RF04
    from indicators
    where indicator_code <> 'UNMAPPED' and unit is not null and actual_value is not null
),

medians as (
    select
        indicator_code,
        unit,
        percentile_cont(0.5) within group (order by value) as median
    from judged_values
    group by indicator_code, unit
    having count(*) >= {{ var('outlier_min_values') }}
),

deviations as (
    select
        judged_values.*,
        medians.median,
        abs(judged_values.value - medians.median) as deviation
    from judged_values
    inner join medians on judged_values.indicator_code = medians.indicator_code and judged_values.unit = medians.unit
),

mads as (
    select
        indicator_code,
        unit,
        percentile_cont(0.5) within group (order by deviation) as mad
    from deviations
    group by indicator_code, unit
),

final as (
    select
        case when mads.mad = 0 then 0.0 else 0.6745 * deviations.deviation / mads.mad end as modified_z,
        deviations.value,
        deviations.median,
        {{ json_list_of_one('deviations.figure_id') }} as figure_ids,
        {{ json_list_of_one('deviations.unit_key') }} as unit_keys
    from deviations
    inner join mads on deviations.indicator_code = mads.indicator_code and deviations.unit = mads.unit
)

select * from final
