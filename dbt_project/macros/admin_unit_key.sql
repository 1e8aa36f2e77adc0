{% macro admin_unit_key(level, code, is_post_reform) %}
    {#- A unit's key in dim_admin_unit: level:code:pre2025|post2025. Codes were reused across the
        1 July 2025 reform, so the code alone names two units. Typed varchar as the marts' contracts
        say (PostgreSQL types text built in SQL as text). -#}
    cast(
        {{ level }} || ':' || {{ code }} || ':' || case when {{ is_post_reform }} then 'post2025' else 'pre2025' end
        as varchar
    )
{%- endmacro %}
