with scorecards as (
    select * from {{ ref('int_figures__scorecards') }}
    {{ only_units_to_rebuild() }}
),

final as (
    select
        figure_id,
        report_id,
        unit_key,
        source_file,
        province_name,
        district_name,
        admin_unit_code,
        admin_level,
        admin_unit_key,
        current_province_name,
        period_start_filled as period_start,
        period_end_filled as period_end,
        indicators_total,
        indicators_met_or_exceeded,
        indicators_exceeded,
        source_kind,
        source_quote,
        char_start,
        char_end,
        ingested_at,
        is_corrected,
        review_status,
        reviewed_at,
        original_unit_key,
        original_admin_unit_code,
        original_district_name,
        original_province_name
    from scorecards
)

select * from final
-- rows in the order each report states them: a reader, an export and a scorer see figures as the text does
order by report_id, char_start
