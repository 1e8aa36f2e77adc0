-- Indicator observations of current reports, with attainment computed from target and actual and
-- a status that respects the indicator's direction (a poverty rate below plan is met).
with figures as (
    select * from {{ ref('int_figures__of_current_reports') }}
    where kind = 'indicator'
),

indicators as (
    select * from {{ ref('indicators') }}
),

joined as (
    select
        figures.*,
        coalesce(indicators.higher_is_better, true) as higher_is_better
    from figures
    left join indicators on figures.indicator_code = indicators.indicator_code
),

final as (
    select
        joined.*,
        case
            when joined.target_value is not null and joined.actual_value is not null and joined.target_value <> 0
                then cast(round(cast(
                    100 * cast(joined.actual_value as double precision) / cast(joined.target_value as double precision)
                    as numeric(38, 10)
                ), 2) as numeric(18, 2))
        end as computed_attainment_pct,
        case
            when joined.exceed_pct is not null and joined.exceed_pct > 0 then 'exceeded'
            when joined.exceed_pct is not null then 'met'
            when joined.target_value is not null and joined.actual_value is not null and joined.higher_is_better
                then case
                    when joined.actual_value > joined.target_value then 'exceeded'
                    when joined.actual_value = joined.target_value then 'met'
                    else 'not_met'
                end
            when joined.target_value is not null and joined.actual_value is not null
                then case when joined.actual_value <= joined.target_value then 'met' else 'not_met' end
            when joined.attainment_pct is not null and joined.attainment_pct > 100 then 'exceeded'
            when joined.attainment_pct is not null and joined.attainment_pct >= 100 then 'met'
            when joined.attainment_pct is not null then 'not_met'
            else 'unknown'
        end as status
    from joined
)

select * from final
