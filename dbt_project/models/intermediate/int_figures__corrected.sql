-- Every extracted figure with the latest review a person recorded for it applied (provreport correct,
-- confirm, reject). Reviews live in audit.figure_reviews and never edit schema raw: a figure is matched
-- by its report and its place in the text, so a rerun or a re-extraction of the same file keeps it.
-- A correction row holds the figure's complete corrected values (null: not corrected); the latest
-- correction applies unless a later rejection removes the figure (a later confirmation keeps it).
-- A corrected place (corrected_*: the reporting unit the gazetteer resolved) moves the figure to
-- that unit; int_figures__of_current_reports puts it in place of the report's.
with figures as (
    select * from {{ ref('stg_raw__figures') }}
),

reviews as (
    select * from {{ source('audit', 'figure_reviews') }}
),

ranked as (
    select
        reviews.*,
        row_number() over (
            partition by reviews.report_id, reviews.kind, reviews.char_start, reviews.char_end
            order by reviews.reviewed_at desc, reviews.review_id desc
        ) as review_rank,
        row_number() over (
            partition by
                reviews.report_id, reviews.kind, reviews.char_start, reviews.char_end, reviews.action = 'correct'
            order by reviews.reviewed_at desc, reviews.review_id desc
        ) as action_rank
    from reviews
),

latest as (
    select
        report_id,
        kind,
        char_start,
        char_end,
        action,
        reviewed_at
    from ranked
    where review_rank = 1
),

corrections as (
    select * from ranked
    where action = 'correct' and action_rank = 1
),

final as (
    select
        figures.figure_id,
        figures.report_id,
        figures.kind,
        figures.rule,
        figures.source_quote,
        figures.char_start,
        figures.char_end,
        figures.sentence,
        figures.qualifier,
        coalesce(corrections.period_start, figures.period_start) as period_start,
        coalesce(corrections.period_end, figures.period_end) as period_end,
        coalesce(corrections.programme_code, figures.programme_code) as programme_code,
        figures.programme_text,
        coalesce(corrections.capital_source, figures.capital_source) as capital_source,
        coalesce(corrections.measure, figures.measure) as measure,
        coalesce(corrections.amount_vnd, figures.amount_vnd) as amount_vnd,
        figures.rate_pct,
        figures.per_unit,
        figures.parent_figure_id,
        figures.indicator_code,
        figures.indicator_name,
        figures.unit,
        case
            when corrections.value_number is not null and corrections.role = 'target' then corrections.value_number
            else figures.target_value
        end as target_value,
        case
            when corrections.value_number is not null and coalesce(corrections.role, 'actual') = 'actual'
                then corrections.value_number
            else figures.actual_value
        end as actual_value,
        figures.attainment_pct,
        figures.exceed_pct,
        figures.change_value,
        figures.indicators_total,
        figures.indicators_met_or_exceeded,
        figures.indicators_exceeded,
        corrections.review_id is not null as is_corrected,
        -- typed varchar as the marts' contracts say (PostgreSQL types a case of literals as text, and an
        -- incremental build would take text for a change of type)
        cast(case latest.action
            when 'correct' then 'corrected' when 'confirm' then 'confirmed' when 'reject' then 'rejected'
        end as varchar) as review_status,
        latest.reviewed_at,
        figures.amount_vnd as original_amount_vnd,
        figures.measure as original_measure,
        figures.actual_value as original_actual_value,
        figures.target_value as original_target_value,
        corrections.corrected_admin_unit_code,
        corrections.corrected_admin_level,
        corrections.corrected_district_name,
        corrections.corrected_province_name,
        corrections.corrected_province_code,
        corrections.corrected_current_province_name,
        corrections.corrected_current_province_code
    from figures
    left join latest
        on
            figures.report_id = latest.report_id and figures.kind = latest.kind
            and figures.char_start = latest.char_start and figures.char_end = latest.char_end
    left join corrections
        on
            figures.report_id = corrections.report_id and figures.kind = corrections.kind
            and figures.char_start = corrections.char_start and figures.char_end = corrections.char_end
)

select * from final
