-- Every code list of the project in one table, for BI tools (a code's Vietnamese and English label) and
-- for the marts' tests (in_code_list): the code-list seeds of dbt_project/seeds/reference, one row per
-- code. A dimension is rebuilt on every run, so the facts' tests against it run on every run too (a
-- test on a seed is left out of a run that does not reload the seeds).
{%- set lists = [
    ('capital_sources', 'capital_source'), ('measures', 'measure'), ('units', 'unit'),
    ('attainment_statuses', 'status'), ('source_kinds', 'source_kind'), ('admin_levels', 'admin_level'),
    ('approval_statuses', 'approval_status'), ('supersede_reasons', 'superseded_reason')] %}

with final as (
    {%- for seed, code in lists %}
        select
            '{{ seed }}' as code_list,
            cast({{ code }} as varchar) as code,
            cast(label_vi as varchar) as label_vi,
            cast(label_en as varchar) as label_en,
            cast(description as varchar) as description,
            {% if seed == 'admin_levels' %}cast(is_reporting_level as boolean){% else %}cast(null as boolean){% endif %}
                as is_reporting_level
        from {{ ref(seed) }}
        {% if not loop.last %}union all{% endif %}
    {%- endfor %}
)

select * from final
