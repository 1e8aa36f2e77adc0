{#-
    Incremental facts are rebuilt one reporting unit at a time. A unit is the district the report
    resolved to, or the report itself when its place is unknown (unit_key). Everything a new report
    can change lies within its unit: which version of a report is current, the rate computed from
    allocation and disbursement, the components of a total. So the rows of the units that received
    a report since the model was last built are deleted and rebuilt (delete+insert on unit_key),
    and rebuilding them gives exactly what a full refresh would.
-#}

{#- The units with a report ingested after the newest one this model already holds, and (when the model
    carries reviews) the units of figures reviewed after the newest review it holds: a correction,
    confirmation or rejection rebuilds its unit like a new report. A correction of a figure's place
    moves it between units: the unit of its report and every unit a review of it ever named are rebuilt,
    so the figure leaves the unit it was in and joins the new one. -#}
{% macro units_with_new_reports(reports_relation, reviews_relation=none) -%}
    select distinct new_reports.unit_key
    from {{ reports_relation }} as new_reports
    where new_reports.ingested_at > (
        select coalesce(max(built.ingested_at), cast('1900-01-01' as timestamp)) from {{ this }} as built
    )
    {%- if reviews_relation is not none %}
    union
    select distinct reviewed_reports.unit_key
    from {{ reviews_relation }} as new_reviews
    inner join {{ reports_relation }} as reviewed_reports on new_reviews.report_id = reviewed_reports.report_id
    where new_reviews.reviewed_at > (
        select coalesce(max(built.reviewed_at), cast('1900-01-01' as timestamp)) from {{ this }} as built
    )
    union
    select distinct placed.corrected_admin_unit_code
    from {{ reviews_relation }} as new_reviews
    inner join {{ reviews_relation }} as placed
        on
            new_reviews.report_id = placed.report_id and new_reviews.kind = placed.kind
            and new_reviews.char_start = placed.char_start and new_reviews.char_end = placed.char_end
    where
        placed.corrected_admin_unit_code is not null
        and new_reviews.reviewed_at > (
            select coalesce(max(built.reviewed_at), cast('1900-01-01' as timestamp)) from {{ this }} as built
        )
    {%- endif %}
{%- endmacro %}

{#- The filter of a fact in models/marts/unit_facts (whose config dbt_project.yml gives once): on an
    incremental build, only the units with a new report or a new review. The refs are taken outside the
    condition so that dbt records them as the model's dependencies when it parses it (the post-hooks
    read int_figures__corrected). -#}
{% macro only_units_to_rebuild() -%}
    {%- set reports = ref('int_reports__versioned') -%}
    {%- set corrected = ref('int_figures__corrected') -%}
    {%- if is_incremental() %}
        where unit_key in ({{ units_with_new_reports(reports, source('audit', 'figure_reviews')) }})
    {%- endif %}
{%- endmacro %}

{#- The facts' rows of the figures a reviewer rejected or moved (post-hook): a rejected figure leaves the
    facts, and a moved one leaves the unit it was in, even when it was its unit's last one of this kind
    (delete+insert replaces only the units the new rows carry, and a unit left without a row of this kind
    sends none). One statement for both rules: each evaluation of the reviewed figures (int_figures__corrected,
    every figure with its latest review) costs DuckDB about as much to plan as to run, and the post-hooks
    run on every incremental build of each fact.
    Rejected: the figure's latest review rejects it. Moved: a correction placed the figure in a unit
    (corrected_admin_unit_code) other than the row's. figure_id is unique in int_figures__corrected (one
    row per extracted figure, a test of stg_raw__figures) and a fact's unit_key is never null, so this
    deletes the rows that `figure_id in (moved) and figure_id || '|' || unit_key not in (moved pairs)`
    deleted, without building a string per row of the fact and of the moved figures. -#}
{% macro delete_rows_of_reviewed_figures(figures_relation) -%}
    delete from {{ this }} as built
    using {{ figures_relation }} as reviewed
    where
        built.figure_id = reviewed.figure_id
        and (
            reviewed.review_status = 'rejected'
            or (reviewed.corrected_admin_unit_code is not null and reviewed.corrected_admin_unit_code <> built.unit_key)
        )
{%- endmacro %}

{#- A unit whose new version carries no figure of this kind sends no row to delete+insert: the rows
    of its superseded reports are removed here (post-hook). -#}
{% macro delete_rows_of_superseded_reports(reports_relation) -%}
    delete from {{ this }}
    where report_id not in (select current_reports.report_id from {{ reports_relation }} as current_reports
                            where current_reports.is_current)
{%- endmacro %}
