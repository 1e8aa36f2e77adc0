{% macro provinces_declared() %}
    {#- The provinces (of the new map) this warehouse consolidates, as declared: var
        reporting_provinces, else the environment variable PROVREPORT_PROVINCES; codes or names,
        comma-separated ("44, Vĩnh Long"). An empty list: none declared. -#}
    {%- set raw = var('reporting_provinces', env_var('PROVREPORT_PROVINCES', '')) | string -%}
    {%- set declared = [] -%}
    {%- for item in raw.split(',') -%}
        {%- if item.strip() -%}{%- do declared.append(item.strip()) -%}{%- endif -%}
    {%- endfor -%}
    {{- return(declared) -}}
{% endmacro %}

{% macro province_is_declared(alias, declared) %}
    {#- A province row (of admin_provinces_post2025) is declared by its code or its name. -#}
    {%- set quoted = [] -%}
    {%- for item in declared -%}{%- do quoted.append("'" ~ item | replace("'", "''") ~ "'") -%}{%- endfor -%}
    ({{ alias }}.province_code in ({{ quoted | join(', ') }}) or {{ alias }}.province_name in ({{ quoted | join(', ') }}))
{% endmacro %}
