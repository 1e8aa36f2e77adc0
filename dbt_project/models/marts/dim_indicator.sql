with indicators as (
    select * from {{ ref('indicators') }}
),

catalogue as (
    select
        indicator_code,
        indicator_name_vi as indicator_name,
        indicator_name_en,
        unit,
        higher_is_better,
        min_value,
        max_value,
        category
    from indicators
),

unmapped as (
    select
        'UNMAPPED' as indicator_code,
        'Chỉ tiêu chưa có trong danh mục' as indicator_name,
        'Indicator not in the catalogue' as indicator_name_en,
        'other' as unit,
        true as higher_is_better,
        cast(null as double precision) as min_value,
        cast(null as double precision) as max_value,
        'unmapped' as category
),

final as (
    select * from catalogue
    union all
    select * from unmapped
)

select * from final
