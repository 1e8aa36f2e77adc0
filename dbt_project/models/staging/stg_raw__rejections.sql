with source as (
    select * from {{ source('raw', 'rejections') }}
),

renamed as (
    select
        source_file,
        source_path,
        content_sha256,
        reason,
        detail,
        row_number as row_number_in_file,
        column_name,
        cast(detected_at as timestamp) as detected_at,
        run_id
    from source
)

select * from renamed
