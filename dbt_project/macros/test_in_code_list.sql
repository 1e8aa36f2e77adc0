{#- Every value of the column is a code of the code list ``code_list`` (a code-list seed, read through
    dim_code_list, which every run rebuilds); ``reporting_only``: only the levels that report (the facts'
    admin_level is a district or a commune, never a province). -#}
{% test in_code_list(model, column_name, code_list, reporting_only=false) %}
select {{ column_name }} as code
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} not in (
        select code from {{ ref('dim_code_list') }}
        where code_list = '{{ code_list }}'{% if reporting_only %} and is_reporting_level{% endif %}
    )
{% endtest %}
