{#- Every period of the calendar model has at least min_rows rows in the model (PUDL-style calendar check). -#}
{% test rows_per_period(model, column_name, calendar, calendar_column, min_rows=1) %}
select cal.{{ calendar_column }} as period, count(m.{{ column_name }}) as row_count
from {{ calendar }} as cal
left join {{ model }} as m on m.{{ column_name }} = cal.{{ calendar_column }}
group by cal.{{ calendar_column }}
having count(m.{{ column_name }}) < {{ min_rows }}
{% endtest %}
