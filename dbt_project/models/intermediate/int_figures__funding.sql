-- Funding figures of current reports, with the rate computed from allocation and disbursement
-- of the same unit, programme, capital source and period (start and year) where both are stated
-- (the pairing rule: macros/funding_pairs.sql).
with joined as (
    select * from {{ ref('int_figures__of_current_reports') }}
    where kind = 'funding'
),

totals as (
    {{ funding_pair_groups('joined', 'period_start_filled', 'period_end_filled') }}
),

final as (
    select
        joined.*,
        case
            when totals.allocated_vnd > 0 and totals.disbursed_vnd is not null
                then cast(round(cast(
                    100 * cast(totals.disbursed_vnd as double precision)
                    / cast(totals.allocated_vnd as double precision)
                    as numeric(38, 10)
                ), 2) as numeric(18, 2))
        end as computed_rate_pct
    from joined
    left join totals
        on {{ in_funding_pair_group('joined', 'totals', 'period_start_filled', 'period_end_filled') }}
)

select * from final
