-- A check of fct_programme_funding (expectations/suites.py): one row per disbursement with a stated and a
-- computed rate (computed_rate_pct, int_figures__funding). Its figures: the disbursement, then the
-- allocations (not norms) of the same report, programme and capital source, in the order the report states
-- them.
with funding as (
    select * from {{ ref('fct_programme_funding') }}
),

disbursements as (
    select * from funding
    where measure = 'disbursed' and reported_rate_pct is not null and computed_rate_pct is not null
),

members as (
    select
        figure_id as check_key,
        0 as list_order,
        figure_id,
        unit_key
    from disbursements
    union all
    select
        disbursements.figure_id as check_key,
        row_number() over (
            partition by disbursements.figure_id
            order by allocations.char_start, allocations.figure_id
        ) as list_order,
        allocations.figure_id,
        allocations.unit_key
    from disbursements
    inner join funding as allocations
        on
            disbursements.report_id = allocations.report_id
            and disbursements.programme_code = allocations.programme_code
            and disbursements.capital_source = allocations.capital_source
    where allocations.measure = 'allocated' and allocations.per_unit is null
),

lists as (
    {{ figure_lists('members') }}
),

final as (
    select
        abs(disbursements.reported_rate_pct - disbursements.computed_rate_pct) as rate_gap_pct_points,
        disbursements.reported_rate_pct,
        disbursements.computed_rate_pct,
        lists.figure_ids,
        lists.unit_keys
    from disbursements
    inner join lists on disbursements.figure_id = lists.check_key
)

select * from final
