-- For every district of the provinces that report here, and every month of the calendar:
-- did a report covering that month arrive, when, and was it on time?
with periods as (
    select * from {{ ref('dim_period') }}
),

reports as (
    select * from {{ ref('int_reports__versioned') }}
    where admin_unit_code is not null
),

districts as (
    select
        d.district_code,
        d.district_name,
        d.province_code,
        p.province_name
    from {{ ref('admin_districts_pre2025') }} as d
    inner join {{ ref('admin_provinces_pre2025') }} as p on d.province_code = p.province_code
    where d.province_code in (select distinct reports.province_code from reports)
),

expected as (
    select
        districts.*,
        periods.month_start,
        periods.month_end
    from districts
    cross join periods
    where periods.month_start < date '2025-07-01'
),

received as (
    select
        expected.district_code,
        expected.month_start,
        min(reports.landed_at) as first_received_at,
        count(distinct reports.report_id) as reports_received
    from expected
    inner join reports
        on
            expected.district_code = reports.admin_unit_code
            and coalesce(reports.period_end, reports.report_date) between expected.month_start and expected.month_end
    group by 1, 2
),

final as (
    select
        expected.district_code as admin_unit_code,
        expected.district_name,
        expected.province_code,
        expected.province_name,
        expected.month_start as period_start,
        expected.month_end as period_end,
        coalesce(received.reports_received, 0) > 0 as has_reported,
        coalesce(received.reports_received, 0) as reports_received,
        received.first_received_at,
        case
            when received.first_received_at is null then null
            else received.first_received_at <= expected.month_end + {{ var('report_due_days') }} + 1
        end as is_on_time
    from expected
    left join received
        on
            expected.district_code = received.district_code
            and expected.month_start = received.month_start
)

select * from final
