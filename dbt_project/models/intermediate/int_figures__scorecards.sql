with final as (
    select * from {{ ref('int_figures__of_current_reports') }}
    where kind = 'scorecard'
)

select * from final
