{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='unit_key',
        on_schema_change='fail',
    )
}}
-- Every version of every report, with its validity window: what replaced what, when and why (a later
-- report date, a later submission, or the same report received again in another file).
with versions as (
    select * from {{ ref('int_reports__versioned') }}
    {% if is_incremental() %}
        where unit_key in ({{ units_with_new_reports(ref('int_reports__versioned')) }})
    {% endif %}
),

final as (
    select
        report_id,
        unit_key,
        source_file,
        content_sha256,
        source_kind,
        file_format,
        report_date,
        period_start,
        period_end,
        province_name,
        district_name,
        admin_unit_code,
        admin_level,
        admin_unit_key,
        current_province_name,
        place_method,
        place_candidates,
        landed_at,
        ingested_at,
        valid_from,
        valid_to,
        is_current,
        version_date,
        superseded_by,
        superseded_reason,
        duplicate_of
    from versions
)

select * from final
