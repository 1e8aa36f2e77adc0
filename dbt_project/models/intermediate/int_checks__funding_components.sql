-- A check of fct_programme_funding (expectations/suites.py): one row per stated total (not null, not zero)
-- with components, the sum of its components' amounts against it. Its figures: the total, then the
-- components by id.
with funding as (
    select * from {{ ref('fct_programme_funding') }}
),

parts as (
    select
        parent_figure_id,
        sum(amount_vnd) as parts_sum
    from funding
    where parent_figure_id is not null and amount_vnd is not null
    group by parent_figure_id
),

totals as (
    select
        totals.figure_id,
        totals.unit_key,
        cast(totals.amount_vnd as double precision) as stated_total,
        cast(parts.parts_sum as double precision) as parts_sum
    from funding as totals
    inner join parts on totals.figure_id = parts.parent_figure_id
    where totals.amount_vnd is not null and totals.amount_vnd <> 0
),

members as (
    select
        figure_id as check_key,
        0 as list_order,
        figure_id,
        unit_key
    from totals
    union all
    select
        funding.parent_figure_id as check_key,
        1 as list_order,
        funding.figure_id,
        funding.unit_key
    from funding
    inner join totals on funding.parent_figure_id = totals.figure_id
    where funding.amount_vnd is not null
),

lists as (
    {{ figure_lists('members') }}
),

final as (
    select
        abs(totals.parts_sum - totals.stated_total) / totals.stated_total as relative_gap,
        totals.stated_total,
        totals.parts_sum,
        lists.figure_ids,
        lists.unit_keys
    from totals
    inner join lists on totals.figure_id = lists.check_key
)

select * from final
