-- Every figure of a current report (the latest version of a resubmitted one), reviews applied and
-- rejected figures left out, with the report's place and dates, and the figure's period falling back
-- on its report's. A figure whose place a reviewer corrected carries the corrected reporting unit
-- (unit_key is its code) and its report's unit in original_*.
with figures as (
    select * from {{ ref('int_figures__corrected') }}
    where review_status is null or review_status <> 'rejected'
),

reports as (
    select * from {{ ref('int_reports__versioned') }}
    where is_current
),

final as (
    select
        figures.*,
        coalesce(figures.corrected_admin_unit_code, reports.unit_key) as unit_key,
        reports.ingested_at,
        reports.source_file,
        reports.source_kind,
        reports.report_date,
        case
            when figures.corrected_admin_unit_code is not null then figures.corrected_province_name
            else reports.province_name
        end as province_name,
        case
            when figures.corrected_admin_unit_code is not null then figures.corrected_district_name
            else reports.district_name
        end as district_name,
        coalesce(figures.corrected_admin_unit_code, reports.admin_unit_code) as admin_unit_code,
        case
            when figures.corrected_admin_unit_code is not null then figures.corrected_admin_level
            else reports.admin_level
        end as admin_level,
        case
            when figures.corrected_admin_unit_code is not null
                then {{ admin_unit_key(
                    'figures.corrected_admin_level', 'figures.corrected_admin_unit_code',
                    "figures.corrected_admin_level = 'commune'"
                ) }}
            else reports.admin_unit_key
        end as admin_unit_key,
        case
            when figures.corrected_admin_unit_code is not null then figures.corrected_current_province_name
            else reports.current_province_name
        end as current_province_name,
        case
            when figures.corrected_admin_unit_code is not null then figures.corrected_current_province_code
            else reports.current_province_code
        end as current_province_code,
        reports.unit_key as original_unit_key,
        reports.admin_unit_code as original_admin_unit_code,
        reports.district_name as original_district_name,
        reports.province_name as original_province_name,
        coalesce(figures.period_start, reports.period_start) as period_start_filled,
        coalesce(figures.period_end, reports.period_end) as period_end_filled
    from figures
    inner join reports on figures.report_id = reports.report_id
)

select * from final
