{{ config(materialized='view') }}
-- One row per reporting unit and period (the year of each current report's end, the month of each
-- monthly report, and every period signed off): its approval status. A view, so that a sign-off shows
-- at once, before the next build.
-- none: never signed off; checked: the unit's officer checked these figures; approved: the province
-- approved them; reopened: the figures changed (a resubmission, a correction) since the latest sign-off.
with figures as (
    select * from {{ ref('int_unit_periods__figures') }}
),

approvals as (
    select * from {{ source('audit', 'approvals') }}
),

candidate_periods as (
    select
        unit_key,
        unit_name,
        province_name,
        period_year as period
    from figures
    union all
    select
        unit_key,
        unit_name,
        province_name,
        period_month as period
    from figures
    where is_monthly_report
    union all
    select
        unit_key,
        unit_name,
        province_name,
        period
    from approvals
),

periods as (
    select
        unit_key,
        period,
        max(unit_name) as unit_name,
        max(province_name) as province_name
    from candidate_periods
    group by unit_key, period
),

hashed as (
    select
        periods.unit_key,
        periods.period,
        count(figures.figure_id) as figures_count,
        md5(coalesce(string_agg(
            figures.figure_key || '=' || figures.figure_value, ';'
            order by figures.figure_key, figures.figure_value
        ), '')) as figures_hash
    from periods
    left join figures
        on
            periods.unit_key = figures.unit_key
            and (periods.period = figures.period_year or periods.period = figures.period_month)
    group by periods.unit_key, periods.period
),

ranked as (
    select
        approvals.*,
        row_number() over (
            partition by approvals.unit_key, approvals.period order by approvals.approved_at desc
        ) as sign_off_rank,
        row_number() over (
            partition by approvals.unit_key, approvals.period, approvals.level order by approvals.approved_at desc
        ) as level_rank
    from approvals
),

final as (
    select
        periods.unit_key,
        cast(periods.unit_name as varchar) as unit_name,
        cast(periods.province_name as varchar) as province_name,
        cast(periods.period as varchar) as period,
        cast(case
            when last_sign_off.approval_id is null then 'none'
            when last_sign_off.figures_hash <> hashed.figures_hash then 'reopened'
            when last_sign_off.level = 'approve' then 'approved'
            else 'checked'
        end as varchar) as approval_status,
        last_check.approved_by as checked_by,
        last_check.approved_at as checked_at,
        last_approval.approved_by,
        last_approval.approved_at,
        last_sign_off.figures_hash as signed_off_hash,
        hashed.figures_hash,
        hashed.figures_count
    from periods
    inner join hashed on periods.unit_key = hashed.unit_key and periods.period = hashed.period
    left join ranked as last_sign_off
        on
            periods.unit_key = last_sign_off.unit_key and periods.period = last_sign_off.period
            and last_sign_off.sign_off_rank = 1
    left join ranked as last_check
        on
            periods.unit_key = last_check.unit_key and periods.period = last_check.period
            and last_check.level = 'check' and last_check.level_rank = 1
    left join ranked as last_approval
        on
            periods.unit_key = last_approval.unit_key and periods.period = last_approval.period
            and last_approval.level = 'approve' and last_approval.level_rank = 1
)

select * from final
