with scorecards as (
    select * from {{ ref('int_figures__scorecards') }}
),

final as (
    select
        figure_id,
        report_id,
        source_file,
        province_name,
        district_name,
        admin_unit_code,
        current_province_name,
        period_start_filled as period_start,
        period_end_filled as period_end,
        indicators_total,
        indicators_met_or_exceeded,
        indicators_exceeded,
        source_kind,
        source_quote,
        char_start,
        char_end
    from scorecards
)

select * from final
