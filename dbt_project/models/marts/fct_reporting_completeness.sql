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

crosswalk as (
    select * from {{ ref('admin_province_crosswalk_2025') }}
),

-- the provinces of the new map this warehouse consolidates
new_provinces as (
    {%- if declared %}
        select p.province_code from {{ ref('admin_provinces_post2025') }} as p
        where {{ province_is_declared('p', declared) }}
    {%- else %}
        select distinct reports.current_province_code as province_code from reports
    {%- endif %}
),

districts as (
    select
        'district' as admin_level,
        d.district_code as admin_unit_code,
        d.district_name as unit_name,
        d.province_code,
        p.province_name,
        crosswalk.new_province_code as current_province_code,
        crosswalk.new_province_name as current_province_name
    from {{ ref('admin_districts_pre2025') }} as d
    inner join {{ ref('admin_provinces_pre2025') }} as p on d.province_code = p.province_code
    left join crosswalk on d.province_code = crosswalk.old_province_code
    where
        {%- if declared %}
            crosswalk.new_province_code in (select new_provinces.province_code from new_provinces)
        {%- else %}
            d.province_code in (
                select reports.province_code from reports
                where reports.admin_level = 'district'
            )
        {%- endif %}
),

communes as (
    select
        'commune' as admin_level,
        cm.commune_code as admin_unit_code,
        cm.commune_name as unit_name,
        cm.province_code,
        p.province_name,
        cm.province_code as current_province_code,
        p.province_name as current_province_name
    from {{ ref('admin_communes_post2025') }} as cm
    inner join {{ ref('admin_provinces_post2025') }} as p on cm.province_code = p.province_code
    where cm.province_code in (select new_provinces.province_code from new_provinces)
),

expected as (
    select
        districts.*,
        periods.month_start,
        periods.month_end
    from districts
    cross join periods
    where periods.month_start < date '2025-07-01'
    union all
    select
        communes.*,
        periods.month_start,
        periods.month_end
    from communes
    cross join periods
    where periods.month_start >= date '2025-07-01'
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
        expected.admin_level || ':' || expected.admin_unit_code || ':'
        || case when expected.admin_level = 'commune' then 'post2025' else 'pre2025' end as admin_unit_key,
        expected.unit_name as district_name,
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
