-- Funding figures of current reports, with the rate computed from allocation and disbursement
-- of the same unit, programme, capital source and period (start and year) where both are stated.
with joined as (
    select * from {{ ref('int_figures__of_current_reports') }}
    where kind = 'funding'
),

totals as (
    select
        unit_key,
        programme_code,
        capital_source,
        period_start_filled,
        extract(year from period_end_filled) as period_year,
        sum(case when measure = 'allocated' then amount_vnd end) as allocated_vnd,
        sum(case when measure = 'disbursed' then amount_vnd end) as disbursed_vnd
    from joined
    where per_unit is null and parent_figure_id is null and amount_vnd is not null
    group by 1, 2, 3, 4, 5
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
        on
            joined.unit_key = totals.unit_key
            and joined.programme_code = totals.programme_code
            and joined.capital_source = totals.capital_source
            and joined.period_start_filled = totals.period_start_filled
            and extract(year from joined.period_end_filled) = totals.period_year
            and joined.per_unit is null
            and joined.parent_figure_id is null
            and joined.measure in ('allocated', 'disbursed')
)

select * from final
