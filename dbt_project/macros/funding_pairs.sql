{#- The pairing rule of allocation and disbursement, in one place: the totals (not norms, not components) of
    one unit, programme, capital source, period start and year of the period's end, their amounts summed per
    measure. int_figures__funding computes the disbursement rate of each figure of a group from it;
    int_checks__funding_pairs checks that a group's disbursement does not exceed its allocation. ``relation``
    has unit_key, programme_code, capital_source, measure, amount_vnd, per_unit, parent_figure_id and the
    two period columns named. -#}
{% macro is_pair_figure(relation) -%}
    {{ relation }}.per_unit is null
    and {{ relation }}.parent_figure_id is null
    and {{ relation }}.measure in ('allocated', 'disbursed')
{%- endmacro %}

{#- One row per group with an amount (null keys make a group of their own); ``with_figures``: also the
    group's figures, allocations then disbursements, each in the order the reports state them, and its unit's
    key (figure_lists.sql). -#}
{% macro funding_pair_groups(relation, period_start, period_end, with_figures=false) -%}
    select
        pair_amounts.unit_key,
        pair_amounts.programme_code,
        pair_amounts.capital_source,
        pair_amounts.{{ period_start }} as period_start,
        extract(year from pair_amounts.{{ period_end }}) as period_year,
        sum(case when pair_amounts.measure = 'allocated' then pair_amounts.amount_vnd end) as allocated_vnd,
        sum(case when pair_amounts.measure = 'disbursed' then pair_amounts.amount_vnd end) as disbursed_vnd
        {%- if with_figures %},
        '[' || string_agg(
            {{ json_string('pair_amounts.figure_id') }}, ', '
            order by
                case when pair_amounts.measure = 'allocated' then 0 else 1 end,
                pair_amounts.report_id, pair_amounts.char_start, pair_amounts.figure_id
        ) || ']' as figure_ids,
        {{ json_list_of_one('pair_amounts.unit_key') }} as unit_keys
        {%- endif %}
    from {{ relation }} as pair_amounts
    where {{ is_pair_figure('pair_amounts') }} and pair_amounts.amount_vnd is not null
    group by 1, 2, 3, 4, 5
{%- endmacro %}

{#- Whether a figure of ``relation`` takes its rate from the group of ``groups`` (funding_pair_groups); a null
    key matches nothing. -#}
{% macro in_funding_pair_group(relation, groups, period_start, period_end) -%}
    {{ relation }}.unit_key = {{ groups }}.unit_key
    and {{ relation }}.programme_code = {{ groups }}.programme_code
    and {{ relation }}.capital_source = {{ groups }}.capital_source
    and {{ relation }}.{{ period_start }} = {{ groups }}.period_start
    and extract(year from {{ relation }}.{{ period_end }}) = {{ groups }}.period_year
    and {{ is_pair_figure(relation) }}
{%- endmacro %}
