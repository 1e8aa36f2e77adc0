-- Every province declared in reporting_provinces / PROVREPORT_PROVINCES is a province of the new
-- map (by code or name): a misspelt one would silently expect no unit at all.
-- It depends on the seed it checks against even when nothing is declared, so Dagster loads it as
-- that seed's asset check (a test with no parent is logged as an observation, with a warning).
-- depends_on: {{ ref('admin_provinces_post2025') }}
{%- set declared = provinces_declared() %}
{%- if declared %}
    with declared as (
        {%- for item in declared %}
            select '{{ item | replace("'", "''") }}' as declared_province
            {%- if not loop.last %} union all{% endif %}
        {%- endfor %}
    )

    select declared.declared_province
    from declared
    where not exists (
        select 1 from {{ ref('admin_provinces_post2025') }} as p
        where p.province_code = declared.declared_province or p.province_name = declared.declared_province
    )
{%- else %}
    select cast(null as varchar) as declared_province
    where false
{%- endif %}
