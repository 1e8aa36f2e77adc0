-- One row per refused file or refused row of a submission: what, why, when.
with rejections as (
    select * from {{ ref('stg_raw__rejections') }}
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
