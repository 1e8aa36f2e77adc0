-- Calendar months covering every report's period.
with bounds as (
    select
        min(coalesce(period_start, report_date)) as first_day,
        max(coalesce(period_end, report_date)) as last_day
    from {{ ref('stg_raw__reports') }}
),

months as (
    select cast(series.gs as date) as month_start
    from bounds,
        generate_series(
            cast(date_trunc('month', coalesce(bounds.first_day, current_date)) as timestamp),
            cast(date_trunc('month', coalesce(bounds.last_day, current_date)) as timestamp),
            interval '1 month'
        ) as series (gs)
),

final as (
    select
        month_start,
        cast(month_start + interval '1 month' - interval '1 day' as date) as month_end,
        cast(extract(year from month_start) as integer) as year_number,
        cast(extract(quarter from month_start) as integer) as quarter_number,
        cast(extract(month from month_start) as integer) as month_number
    from months
)

select * from final
