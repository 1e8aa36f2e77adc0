-- A check of fct_programme_funding (expectations/suites.py): one row per group of allocations and
-- disbursements (macros/funding_pairs.sql, the rule int_figures__funding computes rates by) with both, the
-- disbursed amount against the allocated one.
with funding as (
    select * from {{ ref('fct_programme_funding') }}
),

pairs as (
    {{ funding_pair_groups('funding', 'period_start', 'period_end', with_figures=true) }}
),

final as (
    select
        cast(disbursed_vnd - allocated_vnd as double precision) as excess_vnd,
        cast(allocated_vnd as double precision) as allocated_vnd,
        cast(disbursed_vnd as double precision) as disbursed_vnd,
        figure_ids,
        unit_keys
    from pairs
    where allocated_vnd is not null and disbursed_vnd is not null
)

select * from final
