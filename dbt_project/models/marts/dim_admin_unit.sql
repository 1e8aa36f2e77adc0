-- Provinces and districts before the 1 July 2025 reform (with the districts merged away since
-- 2016), provinces and communes after it.
-- Codes were reused, so the key is code + validity (admin_unit_key), never the code alone.
with crosswalk as (
    select * from {{ ref('admin_province_crosswalk_2025') }}
),

pre_provinces as (
    select
        'province' as admin_level,
        p.province_code as admin_unit_code,
        p.province_name as admin_unit_name,
        p.province_type as unit_type,
        cast(null as varchar) as parent_code,
        p.province_code,
        p.province_name,
        p.valid_from,
        p.valid_to,
        c.new_province_code as current_province_code,
        c.new_province_name as current_province_name
    from {{ ref('admin_provinces_pre2025') }} as p
    left join crosswalk as c on p.province_code = c.old_province_code
),

pre_districts as (
    select
        'district' as admin_level,
        d.district_code as admin_unit_code,
        d.district_name as admin_unit_name,
        d.district_type as unit_type,
        d.province_code as parent_code,
        d.province_code,
        p.province_name,
        d.valid_from,
        d.valid_to,
        c.new_province_code as current_province_code,
        c.new_province_name as current_province_name
    from {{ ref('admin_districts_pre2025') }} as d
    inner join {{ ref('admin_provinces_pre2025') }} as p on d.province_code = p.province_code
    left join crosswalk as c on d.province_code = c.old_province_code
),

-- districts merged away between 2016 and the reform (admin_district_history): reports of their
-- time are placed in them, so they are units of the old map for the months they existed
gone_districts as (
    select
        'district' as admin_level,
        h.code as admin_unit_code,
        h.name as admin_unit_name,
        h.type as unit_type,
        h.province_code as parent_code,
        h.province_code,
        p.province_name,
        h.valid_from,
        h.valid_to,
        c.new_province_code as current_province_code,
        c.new_province_name as current_province_name
    from {{ ref('admin_district_history') }} as h
    inner join {{ ref('admin_provinces_pre2025') }} as p on h.province_code = p.province_code
    left join crosswalk as c on h.province_code = c.old_province_code
    where
        h.admin_level = 'district'
        and h.code not in (select d.district_code from {{ ref('admin_districts_pre2025') }} as d)
),

post_provinces as (
    select
        'province' as admin_level,
        province_code as admin_unit_code,
        province_name as admin_unit_name,
        province_type as unit_type,
        cast(null as varchar) as parent_code,
        province_code,
        province_name,
        valid_from,
        valid_to,
        province_code as current_province_code,
        province_name as current_province_name
    from {{ ref('admin_provinces_post2025') }}
),

post_communes as (
    select
        'commune' as admin_level,
        cm.commune_code as admin_unit_code,
        cm.commune_name as admin_unit_name,
        cm.commune_type as unit_type,
        cm.province_code as parent_code,
        cm.province_code,
        p.province_name,
        cm.valid_from,
        cm.valid_to,
        cm.province_code as current_province_code,
        p.province_name as current_province_name
    from {{ ref('admin_communes_post2025') }} as cm
    left join {{ ref('admin_provinces_post2025') }} as p on cm.province_code = p.province_code
),

unioned as (
    select * from pre_provinces
    union all
    select * from pre_districts
    union all
    select * from gone_districts
    union all
    select * from post_provinces
    union all
    select * from post_communes
),

final as (
    select
        {{ admin_unit_key('admin_level', 'admin_unit_code', 'valid_to is null') }} as admin_unit_key,
        admin_level,
        admin_unit_code,
        admin_unit_name,
        unit_type,
        parent_code,
        province_code,
        province_name,
        valid_from,
        valid_to,
        current_province_code,
        current_province_name
    from unioned
)

select * from final
