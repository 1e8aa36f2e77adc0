-- One row per reporting unit of fct_reporting_completeness: how many months it was expected to report,
-- how many it reported and how many of those arrived on time, and which months are missing or late (their
-- first and last, and a compact list of runs: 2019-01..2019-09, 2019-11). Great Expectations checks this
-- model (expectations/suites.py), so a failing unit is one finding, not one per unit-month.
-- The differences are the shortfall: months reported - months expected, months on time - months reported,
-- and in percent of the months they fall short of.
with months as (
    select
        admin_unit_key,
        period_start,
        period_end,
        has_reported,
        is_on_time,
        cast(extract(year from period_start) as integer) * 12
        + cast(extract(month from period_start) as integer) as month_index
    from {{ ref('fct_reporting_completeness') }}
),

-- the months at fault: not reported, or reported late
faulty as (
    select
        admin_unit_key,
        'missing' as fault,
        period_start,
        period_end,
        month_index
    from months
    where not has_reported
    union all
    select
        admin_unit_key,
        'late' as fault,
        period_start,
        period_end,
        month_index
    from months
    where has_reported and not is_on_time
),

-- consecutive months at fault in one run (gaps and islands: a run keeps month_index - its rank)
runs as (
    select
        admin_unit_key,
        fault,
        min(period_start) as run_start,
        max(period_start) as run_last,
        max(period_end) as run_end
    from (
        select
            admin_unit_key,
            fault,
            period_start,
            period_end,
            month_index - row_number() over (
                partition by admin_unit_key, fault order by period_start
            ) as island
        from faulty
    ) as islands
    group by admin_unit_key, fault, island
),

numbered_runs as (
    select
        admin_unit_key,
        fault,
        run_start,
        run_end,
        left(cast(run_start as varchar), 7)
        || case when run_last > run_start then '..' || left(cast(run_last as varchar), 7) else '' end as run_text,
        row_number() over (partition by admin_unit_key, fault order by run_start) as run_number,
        count(*) over (partition by admin_unit_key, fault) as run_count
    from runs
),

-- per unit and fault: the first and last month, and the first 12 runs written out
faults as (
    select
        admin_unit_key,
        fault,
        min(run_start) as first_month,
        max(run_end) as last_month_end,
        string_agg(case when run_number <= 12 then run_text end, ', ' order by run_start)
        || case
            when max(run_count) > 12 then ' … (' || cast(max(run_count) - 12 as varchar) || ' more)' else ''
        end as month_list
    from numbered_runs
    group by admin_unit_key, fault
),

units as (
    select
        admin_unit_key,
        admin_unit_code,
        admin_level,
        district_name,
        province_name,
        current_province_name,
        min(period_start) as first_expected_month,
        max(period_end) as last_expected_month_end,
        -- integers on both engines (DuckDB sums to a 128-bit integer, read back as a decimal)
        cast(count(*) as integer) as months_expected,
        cast(sum(case when has_reported then 1 else 0 end) as integer) as months_reported,
        cast(sum(case when has_reported and is_on_time then 1 else 0 end) as integer) as months_on_time
    from {{ ref('fct_reporting_completeness') }}
    group by admin_unit_key, admin_unit_code, admin_level, district_name, province_name, current_province_name
),

final as (
    select
        units.admin_unit_key,
        units.admin_unit_code,
        units.admin_level,
        units.district_name,
        units.province_name,
        units.current_province_name,
        units.first_expected_month,
        units.last_expected_month_end,
        units.months_expected,
        units.months_reported,
        units.months_on_time,
        units.months_expected - units.months_reported as months_missing,
        units.months_reported - units.months_on_time as months_late,
        units.months_reported - units.months_expected as reported_minus_expected,
        100.0 * (units.months_reported - units.months_expected) / units.months_expected
            as reported_minus_expected_pct,
        units.months_on_time - units.months_reported as on_time_minus_reported,
        case
            when units.months_reported > 0
                then 100.0 * (units.months_on_time - units.months_reported) / units.months_reported
        end as on_time_minus_reported_pct,
        missing.first_month as first_missing_month,
        missing.last_month_end as last_missing_month_end,
        missing.month_list as missing_months,
        late.first_month as first_late_month,
        late.last_month_end as last_late_month_end,
        late.month_list as late_months,
        {{ var('report_due_days') }} as report_due_days
    from units
    left join faults as missing
        on units.admin_unit_key = missing.admin_unit_key and missing.fault = 'missing'
    left join faults as late
        on units.admin_unit_key = late.admin_unit_key and late.fault = 'late'
)

select * from final
