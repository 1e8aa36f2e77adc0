-- A district may send the same period again (a correction). The latest version of a report for
-- the same unit, period and kind is current; earlier versions stay with their validity window.
-- Narrative reports are versions of one another only under the same title: a work-session
-- conclusion and a conference report on the same district and year are two reports, not two versions.
with reports as (
    select * from {{ ref('stg_raw__reports') }}
),

ranked as (
    select
        reports.*,
        row_number() over version_window as version_rank,
        lag(reports.ingested_at) over version_window as superseded_at
    from reports
    window version_window as (
        partition by
            coalesce(reports.admin_unit_code, reports.report_id),
            coalesce(reports.period_start, reports.report_date),
            coalesce(reports.period_end, reports.report_date), reports.source_kind,
            case
                when reports.source_kind = 'narrative' then coalesce(lower(reports.title), reports.report_id) else
                    ''
            end
        order by reports.ingested_at desc, reports.report_id desc
    )
),

placed as (
    select
        ranked.*,
        -- rows ingested before the level was recorded are all districts
        case when ranked.admin_unit_code is not null then coalesce(ranked.admin_level, 'district') end as unit_level
    from ranked
),

final as (
    select
        report_id,
        coalesce(admin_unit_code, report_id) as unit_key,
        source_file,
        content_sha256,
        source_kind,
        file_format,
        title,
        report_date,
        period_start,
        period_end,
        province_name,
        province_code,
        district_name,
        admin_unit_code,
        -- typed varchar as the marts' contracts say: PostgreSQL types text built in SQL as text, and an
        -- incremental build would take text for a change of type
        cast(unit_level as varchar) as admin_level,
        {{ admin_unit_key('unit_level', 'admin_unit_code', "unit_level = 'commune'") }} as admin_unit_key,
        current_province_name,
        current_province_code,
        place_method,
        place_candidates,
        landed_at,
        ingested_at,
        ingested_at as valid_from,
        superseded_at as valid_to,
        version_rank = 1 as is_current
    from placed
)

select * from final
