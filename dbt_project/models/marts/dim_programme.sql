with programmes as (
    select * from {{ ref('programmes') }}
),

final as (
    select
        programme_code,
        programme_name_vi as programme_name,
        programme_name_en,
        phases,
        legal_bases,
        is_national_target_programme
    from programmes
)

select * from final
