with funding as (
    select * from {{ ref('int_figures__funding') }}
    {{ only_units_to_rebuild() }}
),

programmes as (
    select * from {{ ref('dim_programme') }}
),

final as (
    select
        funding.figure_id,
        funding.report_id,
        funding.unit_key,
        funding.source_file,
        funding.province_name,
        funding.district_name,
        funding.admin_unit_code,
        funding.admin_level,
        funding.admin_unit_key,
        funding.current_province_name,
        funding.current_province_code,
        funding.programme_code,
        -- typed as the contract says: PostgreSQL reads a seed's text as text, and an incremental
        -- build would take text for a change of type
        cast(programmes.programme_name as varchar) as programme_name,
        funding.programme_text,
        funding.capital_source,
        funding.measure,
        funding.amount_vnd,
        funding.rate_pct as reported_rate_pct,
        cast(funding.computed_rate_pct as double precision) as computed_rate_pct,
        funding.period_start_filled as period_start,
        funding.period_end_filled as period_end,
        funding.parent_figure_id,
        funding.per_unit,
        funding.qualifier,
        funding.source_kind,
        funding.rule,
        funding.source_quote,
        funding.sentence,
        funding.char_start,
        funding.char_end,
        funding.report_date,
        funding.ingested_at,
        funding.is_corrected,
        funding.review_status,
        funding.reviewed_at,
        funding.original_amount_vnd,
        funding.original_measure,
        funding.original_unit_key,
        funding.original_admin_unit_code,
        funding.original_district_name,
        funding.original_province_name
    from funding
    left join programmes on funding.programme_code = programmes.programme_code
)

select * from final
-- rows in the order each report states them: a reader, an export and a scorer see figures as the text does
order by report_id, char_start
