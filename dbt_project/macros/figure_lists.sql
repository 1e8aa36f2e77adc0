{#- The figures of a check's row, as JSON text that reads the same from DuckDB and PostgreSQL: Great
    Expectations names a failing row's figures by them, and validation narrows an incremental run to the
    rows with a figure of its units by the units' keys. -#}

{#- A text as a JSON string (figure ids and unit keys are ASCII; a quote or a backslash is escaped). -#}
{% macro json_string(expression) -%}
    '"' || replace(replace({{ expression }}, '\', '\\'), '"', '\"') || '"'
{%- endmacro %}

{#- A list of one figure id or unit key (an empty list for a null). -#}
{% macro json_list_of_one(expression) -%}
    coalesce('[' || {{ json_string(expression) }} || ']', '[]')
{%- endmacro %}

{#- One row per check_key of ``members`` (a CTE of check_key, list_order, figure_id, unit_key: the figures of
    each row): figure_ids in the order of list_order then figure_id (the stated figure first), unit_keys the
    distinct keys of their units in text order. -#}
{% macro figure_lists(members) -%}
    select
        check_key,
        '[' || string_agg({{ json_string('figure_id') }}, ', ' order by list_order, figure_id) || ']' as figure_ids,
        '[' || string_agg(
            distinct {{ json_string('unit_key') }}, ', ' order by {{ json_string('unit_key') }}
        ) || ']' as unit_keys
    from {{ members }}
    where figure_id is not null
    group by check_key
{%- endmacro %}
