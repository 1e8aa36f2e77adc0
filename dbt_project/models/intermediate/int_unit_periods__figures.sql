-- The figures a sign-off covers: every figure of the current reports of a reporting unit, with the
-- year and month its report's period ends in (a unit-period is signed off as 2019, or as 2019-09 for a
-- monthly report), whether its report is a monthly one, a key
-- saying which figure it is (what, for which programme or indicator and period) and its value.
-- fct_unit_approvals hashes them; provreport approve keeps them to list what changed figure by figure.
-- A figure belongs to the unit the facts place it in: one whose place a reviewer corrected counts in
-- the unit it joined, not its report's (both units' sign-offs see the change).
with reports as (
    select * from {{ ref('fct_report_versions') }}
    where is_current
),

figures as (
    select
        figure_id,
        report_id,
        unit_key,
        district_name,
        province_name,
        source_quote,
        'funding|' || coalesce(programme_code, '') || '|' || coalesce(capital_source, '') || '|'
        || coalesce(measure, '') || '|' || coalesce(per_unit, '') || '|' || coalesce(cast(period_start as varchar), '')
        || '..' || coalesce(cast(period_end as varchar), '') as figure_key,
        coalesce({{ number_text('amount_vnd') }}, '') || '|' || coalesce({{ number_text('reported_rate_pct') }}, '')
            as figure_value
    from {{ ref('fct_programme_funding') }}
    union all
    select
        figure_id,
        report_id,
        unit_key,
        district_name,
        province_name,
        source_quote,
        'indicator|' || coalesce(indicator_code, '') || '|' || coalesce(indicator_name, '') || '|'
        || coalesce(unit, '') || '|' || coalesce(cast(period_start as varchar), '') || '..'
        || coalesce(cast(period_end as varchar), '') as figure_key,
        coalesce({{ number_text('target_value') }}, '') || '|' || coalesce({{ number_text('actual_value') }}, '') || '|'
        || coalesce({{ number_text('attainment_pct') }}, '') as figure_value
    from {{ ref('fct_indicator_attainment') }}
    union all
    select
        figure_id,
        report_id,
        unit_key,
        district_name,
        province_name,
        source_quote,
        'scorecard|' || coalesce(cast(period_start as varchar), '') || '..'
        || coalesce(cast(period_end as varchar), '') as figure_key,
        coalesce(cast(indicators_met_or_exceeded as varchar), '') || '/'
        || coalesce(cast(indicators_total as varchar), '') || '|'
        || coalesce(cast(indicators_exceeded as varchar), '') as figure_value
    from {{ ref('fct_district_scorecard') }}
),

final as (
    select
        figures.unit_key,
        figures.district_name as unit_name,
        figures.province_name,
        substring(cast(reports.period_end as varchar), 1, 4) as period_year,
        substring(cast(reports.period_end as varchar), 1, 7) as period_month,
        -- a monthly report (its period within one month) is also signed off for its month
        coalesce(
            substring(cast(reports.period_start as varchar), 1, 7)
            = substring(cast(reports.period_end as varchar), 1, 7),
            false
        ) as is_monthly_report,
        figures.figure_id,
        figures.report_id,
        figures.figure_key,
        figures.figure_value,
        figures.source_quote
    from figures
    inner join reports on figures.report_id = reports.report_id
)

select * from final
