-- For every reporting unit of the provinces that report here, and every month of the calendar:
-- did a report covering that month arrive, when, and was it on time?
-- Until 30 June 2025 the reporting units are districts; from 1 July 2025 (Resolution
-- 202/2025/QH15) the district level is gone and communes report to the new provinces.
-- Which provinces: those declared (var reporting_provinces, or PROVREPORT_PROVINCES: new-map codes
-- or names, comma-separated), with the districts of every old province merged into them; when none
-- are declared, inferred: before the reform the old provinces one of whose districts reported,
-- after it the new provinces any report (of any year) lies in.
{%- set declared = provinces_declared() %}
with periods as (
    select * from {{ ref('dim_period') }}
),

reports as (
    select * from {{ ref('int_reports__versioned') }}
    where admin_unit_code is not null
),

-- the provinces of the new map this warehouse consolidates
new_provinces as (
    {%- if declared %}
        select p.province_code from {{ ref('dim_admin_unit') }} as p
        where p.admin_level = 'province' and p.valid_to is null and {{ province_is_declared('p', declared) }}
    {%- else %}
        select distinct reports.current_province_code as province_code from reports
    {%- endif %}
),

-- the districts of the old map (of the provinces whose districts reported here, or of the old
-- provinces merged into the declared ones) and the communes of the new map
units as (
    select units.*
    from {{ ref('dim_admin_unit') }} as units
    where
        (
            units.admin_level = 'district'
            {%- if declared %}
                and units.current_province_code in (select new_provinces.province_code from new_provinces)
            {%- else %}
                and units.province_code in (
                    select reports.province_code from reports
                    where reports.admin_level = 'district'
                )
            {%- endif %}
        )
        or (
            units.admin_level = 'commune'
            and units.province_code in (select new_provinces.province_code from new_provinces)
        )
),

-- each unit for every month it was valid in
expected as (
    select
        units.*,
        periods.month_start,
        periods.month_end
    from units
    inner join periods
        on
            periods.month_start <= coalesce(units.valid_to, periods.month_start)
            and periods.month_end >= coalesce(units.valid_from, periods.month_end)
),

received as (
    select
        expected.admin_level,
        expected.admin_unit_code,
        expected.month_start,
        min(reports.landed_at) as first_received_at,
        count(distinct reports.report_id) as reports_received
    from expected
    inner join reports
        on
            expected.admin_level = reports.admin_level
            and expected.admin_unit_code = reports.admin_unit_code
            and coalesce(reports.period_end, reports.report_date) between expected.month_start and expected.month_end
    group by 1, 2, 3
),

final as (
    select
        expected.admin_unit_code,
        expected.admin_level,
        expected.admin_unit_key,
        expected.admin_unit_name as district_name,
        expected.province_code,
        expected.province_name,
        expected.current_province_code,
        expected.current_province_name,
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
            expected.admin_level = received.admin_level
            and expected.admin_unit_code = received.admin_unit_code
            and expected.month_start = received.month_start
)

select * from final
