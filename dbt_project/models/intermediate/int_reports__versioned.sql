-- Which version of a report is current is decided by what the report says, never by its file name or
-- the order files were listed in: the report's own date first (a report without one is dated by its
-- arrival), then when the pipeline received it (landed_at), then its content hash.
-- A district may send the same period again (a correction): the latest version of a report for the
-- same unit, period and kind is current; earlier versions stay with their validity window.
-- Narrative reports are versions of one another only under the same title (whitespace folded: a title
-- wrapped onto two lines is the same title): a work-session conclusion and a conference report on the
-- same district and year are two reports, not two versions.
-- The same report sent twice (as .docx and as .pdf or .txt, or wrapped differently) is one report: same
-- unit, date, period, kind and figures. The first received is kept; the others are listed as its
-- duplicates (duplicate_of) and never current.
-- Every decision above is made among the reports of one unit (unit_key: versions and duplicates are
-- partitioned by it), so the table is rebuilt one unit at a time, as the facts are: an incremental build
-- reads the reports of the units that received one since the last build, and their figures, and
-- replaces those units' rows. Built once per run, it spares its readers (the facts, their post-hooks,
-- the versions, completeness) from fingerprinting every report's figures again, each of them, as the
-- view did (0.1 s each at 10 000 reports).
{{
    config(
        materialized='incremental',
        incremental_strategy='delete+insert',
        unique_key='unit_key',
        on_schema_change='fail',
    )
}}

with reports as (
    select * from {{ ref('stg_raw__reports') }}
    {% if is_incremental() %}
        where coalesce(admin_unit_code, report_id) in (
            select coalesce(new_reports.admin_unit_code, new_reports.report_id)
            from {{ ref('stg_raw__reports') }} as new_reports
            where new_reports.ingested_at > (
                select coalesce(max(built.ingested_at), cast('1900-01-01' as timestamp)) from {{ this }} as built
            )
        )
    {% endif %}
),

figures as (
    select * from {{ ref('stg_raw__figures') }}
    {% if is_incremental() %}
        where report_id in (select reports.report_id from reports)
    {% endif %}
),

-- what a report states, independent of its format, line wrap and character offsets
figure_lines as (
    select
        figures.report_id,
        concat_ws(
            '|',
            figures.kind,
            coalesce(figures.programme_code, ''),
            coalesce(figures.capital_source, ''),
            coalesce(figures.measure, ''),
            coalesce(cast(figures.amount_vnd as varchar), ''),
            coalesce(cast(figures.rate_pct as varchar), ''),
            coalesce(figures.per_unit, ''),
            coalesce(figures.indicator_code, ''),
            coalesce(figures.unit, ''),
            coalesce(cast(figures.target_value as varchar), ''),
            coalesce(cast(figures.actual_value as varchar), ''),
            coalesce(cast(figures.indicators_total as varchar), ''),
            coalesce(cast(figures.indicators_met_or_exceeded as varchar), ''),
            coalesce(cast(figures.period_start as varchar), ''),
            coalesce(cast(figures.period_end as varchar), '')
        ) as figure_line
    from figures
),

figure_fingerprints as (
    select
        report_id,
        count(*) as figure_count,
        md5(string_agg(figure_line, '#' order by figure_line)) as figures_md5
    from figure_lines
    group by report_id
),

keyed as (
    select
        reports.*,
        coalesce(reports.admin_unit_code, reports.report_id) as version_unit,
        -- a report that states no date of its own is dated by its arrival
        coalesce(
            reports.report_date, cast(reports.landed_at as date), cast(reports.ingested_at as date)
        ) as version_date,
        coalesce(reports.landed_at, reports.ingested_at) as received_at,
        case
            when reports.source_kind = 'narrative'
                then coalesce(trim(regexp_replace(lower(reports.title), '\s+', ' ', 'g')), reports.report_id)
            else ''
        end as title_key,
        coalesce(figure_fingerprints.figure_count, 0) as figure_count,
        coalesce(figure_fingerprints.figures_md5, '') as figures_md5
    from reports
    left join figure_fingerprints on reports.report_id = figure_fingerprints.report_id
),

-- one report in several files: same unit, date, period, kind and figures (and, when it states no
-- figure, the same title)
deduplicated as (
    select
        keyed.*,
        first_value(keyed.report_id) over same_report as first_of_same_report
    from keyed
    window same_report as (
        partition by
            keyed.version_unit, keyed.report_date, keyed.period_start, keyed.period_end, keyed.source_kind,
            keyed.figures_md5,
            case when keyed.figure_count = 0 then keyed.title_key else '' end
        order by keyed.received_at asc, keyed.ingested_at asc, keyed.content_sha256 asc, keyed.report_id asc
        rows between unbounded preceding and unbounded following
    )
),

distinct_reports as (
    select * from deduplicated
    where report_id = first_of_same_report
),

ranked as (
    select
        distinct_reports.*,
        row_number() over version_window as version_rank,
        first_value(distinct_reports.report_id) over version_window as current_report_id,
        lag(distinct_reports.report_id) over version_window as next_report_id,
        lag(distinct_reports.version_date) over version_window as next_version_date,
        lag(distinct_reports.received_at) over version_window as next_received_at,
        lag(distinct_reports.ingested_at) over version_window as next_ingested_at
    from distinct_reports
    window version_window as (
        partition by
            distinct_reports.version_unit,
            coalesce(distinct_reports.period_start, distinct_reports.report_date),
            coalesce(distinct_reports.period_end, distinct_reports.report_date),
            distinct_reports.source_kind,
            distinct_reports.title_key
        order by
            distinct_reports.version_date desc,
            distinct_reports.received_at desc,
            distinct_reports.content_sha256 desc,
            distinct_reports.report_id desc
    )
),

versioned as (
    select
        deduplicated.*,
        ranked.version_rank,
        ranked.current_report_id,
        ranked.next_report_id,
        -- a version stops being in force when the one ranked above it arrives (at once, when that one
        -- had arrived first); the current one has no end
        case
            when ranked.version_rank > 1 then greatest(ranked.next_ingested_at, deduplicated.ingested_at)
        end as superseded_at,
        case
            when deduplicated.report_id <> deduplicated.first_of_same_report then 'duplicate'
            when ranked.version_rank = 1 then null
            when ranked.next_version_date > deduplicated.version_date then 'later_report_date'
            when ranked.next_received_at > deduplicated.received_at then 'later_submission'
            else 'content_hash_order'
        end as superseded_reason
    from deduplicated
    left join ranked on deduplicated.report_id = ranked.report_id
),

placed as (
    select
        versioned.*,
        -- rows ingested before the level was recorded are all districts
        case
            when versioned.admin_unit_code is not null then coalesce(versioned.admin_level, 'district')
        end as unit_level
    from versioned
),

final as (
    select
        report_id,
        version_unit as unit_key,
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
        case when report_id <> first_of_same_report then ingested_at else superseded_at end as valid_to,
        coalesce(version_rank = 1 and report_id = first_of_same_report, false) as is_current,
        cast(version_date as date) as version_date,
        cast(figures_md5 as varchar) as figures_md5,
        cast(case when report_id <> first_of_same_report then first_of_same_report end as varchar) as duplicate_of,
        cast(
            case
                when report_id <> first_of_same_report then first_of_same_report
                when version_rank > 1 then next_report_id
            end as varchar
        ) as superseded_by,
        cast(superseded_reason as varchar) as superseded_reason
    from placed
)

select * from final
