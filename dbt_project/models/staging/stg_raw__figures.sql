with source as (
    select * from {{ source('raw', 'figures') }}
),

renamed as (
    select
        figure_id,
        report_id,
        kind,
        rule,
        source_quote,
        char_start,
        char_end,
        sentence,
        qualifier,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        programme_code,
        programme_text,
        capital_source,
        measure,
        cast(amount_vnd as bigint) as amount_vnd,
        cast(rate_pct as double precision) as rate_pct,
        per_unit,
        parent_figure_id,
        indicator_code,
        indicator_name,
        unit,
        cast(target_value as double precision) as target_value,
        cast(actual_value as double precision) as actual_value,
        cast(attainment_pct as double precision) as attainment_pct,
        cast(exceed_pct as double precision) as exceed_pct,
        cast(change_value as double precision) as change_value,
        indicators_total,
        indicators_met_or_exceeded,
        indicators_exceeded
    from source
)

select * from renamed
