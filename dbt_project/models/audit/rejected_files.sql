-- One row per refused file or refused row of a submission: what, why, when.
-- Append-only: refusals are never revised, so only those detected since the last build are added.
{{ config(materialized='incremental', incremental_strategy='append', on_schema_change='fail') }}

with rejections as (
    select * from {{ ref('stg_raw__rejections') }}
    {% if is_incremental() %}
        where detected_at > (
            select coalesce(max(built.detected_at), cast('1900-01-01' as timestamp)) from {{ this }} as built
        )
    {% endif %}
),

final as (
    select
        source_file,
        source_path,
        content_sha256,
        reason,
        detail,
        row_number_in_file,
        column_name,
        detected_at,
        run_id
    from rejections
)

select * from final
