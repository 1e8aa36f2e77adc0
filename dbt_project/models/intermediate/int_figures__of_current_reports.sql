-- Every figure of a current report (the latest version of a resubmitted one), reviews applied and
-- rejected figures left out, with the report's place and dates, and the figure's period falling back
-- on its report's.
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
        reports.unit_key,
        reports.ingested_at,
        reports.source_file,
        reports.source_kind,
        reports.report_date,
        reports.province_name,
        reports.district_name,
        reports.admin_unit_code,
        reports.admin_level,
        reports.admin_unit_key,
        reports.current_province_name,
        reports.current_province_code,
        coalesce(figures.period_start, reports.period_start) as period_start_filled,
        coalesce(figures.period_end, reports.period_end) as period_end_filled
    from figures
    inner join reports on figures.report_id = reports.report_id
)

select * from final
