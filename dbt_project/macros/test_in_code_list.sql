{#- A relationships test whose parent rows are filtered: every value of the column is a code of a code-list
    seed that satisfies ``to_where`` (the facts' admin_level is one of the reporting levels of admin_levels). -#}
{% test in_code_list(model, column_name, to, field, to_where) %}
select {{ column_name }} as code
from {{ model }}
where {{ column_name }} is not null
    and {{ column_name }} not in (select {{ field }} from {{ to }} where {{ to_where }})
{% endtest %}
