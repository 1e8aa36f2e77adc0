with indicators as (
    select * from {{ ref('int_figures__indicators') }}
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
        coalesce(indicator_code, 'UNMAPPED') as indicator_code,
        indicator_name,
        unit,
        higher_is_better,
        target_value,
        actual_value,
        attainment_pct,
        cast(computed_attainment_pct as double precision) as computed_attainment_pct,
        exceed_pct,
        change_value,
        cast(status as varchar) as status,  -- PostgreSQL types a CASE of literals as text
        period_start_filled as period_start,
        period_end_filled as period_end,
        qualifier,
        source_kind,
        rule,
        source_quote,
        sentence,
        char_start,
        char_end,
        report_date,
        ingested_at,
        is_corrected,
        review_status,
        reviewed_at,
        original_actual_value,
        original_target_value,
        original_unit_key,
        original_admin_unit_code,
        original_district_name,
        original_province_name
    from indicators
)

select * from final
-- rows in the order each report states them: a reader, an export and a scorer see figures as the text does
order by report_id, char_start
