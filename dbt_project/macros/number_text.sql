{#- A number as text that reads the same on every engine (DuckDB writes a double 46 as "46.0",
    PostgreSQL as "46"): fixed to six decimals first. The sign-off hash compares figures by this
    text, so a sign-off recorded on one engine holds on the other. -#}
{% macro number_text(expression) -%}
    cast(cast({{ expression }} as decimal(38, 6)) as varchar)
{%- endmacro %}
