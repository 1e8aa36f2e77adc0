-- Indicator observations of current reports, with attainment computed from target and actual and
-- a status that respects the indicator's direction (a poverty rate below plan is met).
with figures as (
    select * from {{ ref('stg_raw__figures') }}
    where kind = 'indicator'
),

reports as (
    select * from {{ ref('int_reports__versioned') }}
    where is_current
),

indicators as (
    select * from {{ ref('indicators') }}
),

joined as (
    select
        figures.*,
        reports.source_file,
        reports.source_kind,
        reports.report_date,
        reports.province_name,
        reports.district_name,
        reports.admin_unit_code,
        reports.current_province_name,
        coalesce(figures.period_start, reports.period_start) as period_start_filled,
        coalesce(figures.period_end, reports.period_end) as period_end_filled,
        coalesce(indicators.higher_is_better, true) as higher_is_better
    from figures
    inner join reports on figures.report_id = reports.report_id
    left join indicators on figures.indicator_code = indicators.indicator_code
),

final as (
    select
        joined.*,
        case
            when joined.target_value is not null and joined.actual_value is not null and joined.target_value <> 0
                then round(cast(100.0 * joined.actual_value / joined.target_value as numeric), 2)
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
