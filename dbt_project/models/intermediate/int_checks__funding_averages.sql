-- A check of fct_programme_funding (expectations/suites.py): one row per norm stated as an average ("11.270
-- triệu đồng (trung bình 2.254 triệu đồng/xã)" with "05 xã": its sentence says one of the words of the var
-- average_words) whose sentence states exactly one total and exactly one count (not zero) in the indicator
-- unit of its per_unit (var per_unit_counts), the total over the count against it. Its figures: the norm,
-- the total, the count.
with funding as (
    select * from {{ ref('fct_programme_funding') }}
),

indicators as (
    select * from {{ ref('fct_indicator_attainment') }}
),

norms as (
    select
        figure_id,
        unit_key,
        report_id,
        sentence,
        cast(amount_vnd as double precision) as stated_average,
        case per_unit
            {%- for per_unit, unit in var('per_unit_counts').items() %}
                when '{{ per_unit }}' then '{{ unit }}'
            {%- endfor %}
        end as count_unit
    from funding
    where
        per_unit is not null and amount_vnd is not null
        and (
            {%- for word in var('average_words') %}
                {{ 'or ' if not loop.first }}lower(sentence) like '%{{ word }}%'
            {%- endfor %}
        )
),

-- the sentences that state an average
stated_sentences as (
    select distinct
        report_id,
        sentence
    from norms
),

totals as (
    select
        funding.report_id,
        funding.sentence,
        count(*) as totals,
        min(funding.figure_id) as figure_id,
        min(funding.unit_key) as unit_key,
        cast(min(funding.amount_vnd) as double precision) as total
    from funding
    inner join stated_sentences as stated
        on funding.report_id = stated.report_id and funding.sentence = stated.sentence
    where funding.per_unit is null and funding.amount_vnd is not null
    group by funding.report_id, funding.sentence
),

counts as (
    select
        indicators.report_id,
        indicators.sentence,
        indicators.unit,
        count(*) as counts,
        min(indicators.figure_id) as figure_id,
        min(indicators.unit_key) as unit_key,
        cast(min(indicators.actual_value) as double precision) as count_value
    from indicators
    inner join stated_sentences as stated
        on indicators.report_id = stated.report_id and indicators.sentence = stated.sentence
    where indicators.actual_value is not null
    group by indicators.report_id, indicators.sentence, indicators.unit
),

averages as (
    select
        norms.figure_id,
        norms.unit_key,
        norms.stated_average,
        totals.figure_id as total_figure_id,
        totals.unit_key as total_unit_key,
        totals.total,
        counts.figure_id as count_figure_id,
        counts.unit_key as count_unit_key,
        counts.count_value,
        totals.total / counts.count_value as computed_average
    from norms
    inner join totals on norms.report_id = totals.report_id and norms.sentence = totals.sentence
    inner join counts
        on
            norms.report_id = counts.report_id and norms.sentence = counts.sentence
            and norms.count_unit = counts.unit
    where totals.totals = 1 and counts.counts = 1 and counts.count_value <> 0
),

members as (
    select
        figure_id as check_key,
        0 as list_order,
        figure_id,
        unit_key
    from averages
    union all
    select
        figure_id as check_key,
        1 as list_order,
        total_figure_id as figure_id,
        total_unit_key as unit_key
    from averages
    union all
    select
        figure_id as check_key,
        2 as list_order,
        count_figure_id as figure_id,
        count_unit_key as unit_key
    from averages
),

lists as (
    {{ figure_lists('members') }}
),

final as (
    select
        -- a stated average of zero is infinitely far from any other (and no gap from a zero)
        case
            when averages.stated_average <> 0
                then abs(averages.computed_average - averages.stated_average) / averages.stated_average
            when averages.computed_average <> 0 then cast('Infinity' as double precision)
        end as relative_gap,
        averages.stated_average,
        averages.computed_average,
        averages.total,
        averages.count_value as count,
        lists.figure_ids,
        lists.unit_keys
    from averages
    inner join lists on averages.figure_id = lists.check_key
)

select * from final
