with source as (
    select * from {{ source('raw', 'reports') }}
),

renamed as (
    select
        report_id,
        source_file,
        source_path,
        content_sha256,
        source_kind,
        file_format,
        title,
        cast(report_date as date) as report_date,
        cast(period_start as date) as period_start,
        cast(period_end as date) as period_end,
        province_name,
        province_code,
        district_name,
        admin_unit_code,
        admin_level,
        current_province_name,
        current_province_code,
        place_method,
        place_candidates,
        char_count,
        cast(landed_at as timestamp) as landed_at,
        cast(ingested_at as timestamp) as ingested_at,
        run_id
    from source
)

select * from renamed
