{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='unit_key',
        on_schema_change='fail',
        post_hook=[
            "{{ delete_rows_of_superseded_reports(ref('int_reports__versioned')) }}",
            "{{ delete_rejected_figures(ref('int_figures__corrected')) }}"
        ]
    )
}}
-- depends_on: {{ ref('int_reports__versioned') }}
-- depends_on: {{ ref('int_figures__corrected') }}

with scorecards as (
    select * from {{ ref('int_figures__scorecards') }}
    {% if is_incremental() %}
        where unit_key in ({{ units_with_new_reports(ref('int_reports__versioned'), source('audit', 'figure_reviews')) }})
    {% endif %}
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
        reviewed_at
    from scorecards
)

select * from final
