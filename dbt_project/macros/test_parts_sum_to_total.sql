{#- Components (rows pointing at a parent) add up to their stated total within a relative tolerance.
    Returns one row per total that does not reconcile, naming the parts. -#}
{% test parts_sum_to_total(model, column_name, parent_column, id_column, tolerance=0.00005) %}
with parts as (
    select {{ parent_column }} as parent_id, sum({{ column_name }}) as parts_sum, count(*) as parts_count
    from {{ model }}
    where {{ parent_column }} is not null
    group by {{ parent_column }}
)
select totals.{{ id_column }} as total_id, totals.{{ column_name }} as stated_total, parts.parts_sum, parts.parts_count
from {{ model }} as totals
inner join parts on parts.parent_id = totals.{{ id_column }}
where abs(parts.parts_sum - totals.{{ column_name }}) > {{ tolerance }} * abs(totals.{{ column_name }})
{% endtest %}
