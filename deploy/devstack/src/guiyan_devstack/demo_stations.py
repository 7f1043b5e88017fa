"""The demo city's service stations (返乡创业服务站): city-level ones where many natives work,
and county-level ones a county runs, each with its head (a successful native there), founding
date and the staff responsible. Ids are fixed, so loading twice changes nothing."""

from __future__ import annotations

from typing import Any

from .demo_users import CITY_STAFF, COUNTY_STAFF, STATION_HEAD

# id, name, host city, province, head, founded (ISO)
CITY_LEVEL = [
    ("hangzhou", "杭州站", "杭州", "zhejiang", "张海峰", "2017-03-18"),
    ("shanghai", "上海站", "上海", "shanghai", "刘德明", "2017-05-06"),
    ("beijing", "北京站", "北京", "beijing", "王建华", "2017-06-20"),
    ("suzhou", "苏州站", "苏州", "jiangsu", "陈志刚", "2017-09-12"),
    ("shenzhen", "深圳站", "深圳", "guangdong", "李春生", "2018-01-15"),
    ("guangzhou", "广州站", "广州", "guangdong", "赵国庆", "2018-03-26"),
    ("ningbo", "宁波站", "宁波", "zhejiang", "孙海涛", "2018-05-19"),
    ("tianjin", "天津站", "天津", "tianjin", "周长青", "2018-07-08"),
    ("qingdao", "青岛站", "青岛", "shandong", "吴宝山", "2018-09-16"),
    ("yiwu", "义乌站", "义乌", "zhejiang", "郭振东", "2018-11-02"),
    ("zhengzhou", "郑州站", "郑州", "henan", "何建军", "2019-02-23"),
    ("shaoxing", "绍兴站", "绍兴", "zhejiang", "马秀兰", "2019-04-11"),
    ("nanjing", "南京站", "南京", "jiangsu", "高文斌", "2019-06-28"),
    ("wuxi", "无锡站", "无锡", "jiangsu", "林志远", "2019-08-17"),
    ("jinan", "济南站", "济南", "shandong", "罗成友", "2019-10-09"),
    ("xian", "西安站", "西安", "shaanxi", "徐卫东", "2020-03-14"),
    ("chengdu", "成都站", "成都", "sichuan", "朱永红", "2020-06-06"),
    ("wuhan", "武汉站", "武汉", "hubei", "胡立新", "2020-09-19"),
    ("dongguan", "东莞站", "东莞", "guangdong", "杨金海", "2021-04-24"),
    ("xiamen", "厦门站", "厦门", "fujian", "黄丽萍", "2021-08-08"),
    ("hefei", "合肥站", "合肥", "anhui", "王永生", "2022-05-21"),
    ("urumqi", "乌鲁木齐站", "乌鲁木齐", "xinjiang", "张红军", "2022-09-03"),
    ("lasa", "拉萨站", "拉萨", "tibet", STATION_HEAD[1], "2023-06-18"),  # the 37th city-level
]
# id, name, county, host city, province, head, founded (ISO)
COUNTY_LEVEL = [
    ("caoxian-hangzhou", "曹县驻杭州服务站", "caoxian", "杭州", "zhejiang", "冯建设", "2019-03-09"),
    ("caoxian-yiwu", "曹县驻义乌服务站", "caoxian", "义乌", "zhejiang", "秦小龙", "2019-07-21"),
    ("caoxian-shanghai", "曹县驻上海服务站", "caoxian", "上海", "shanghai", "许文静", "2020-04-12"),
    ("juancheng-qingdao", "鄄城驻青岛服务站", "juancheng", "青岛", "shandong", "曹宏伟", "2019-05-25"),
    ("juancheng-xuchang", "鄄城驻许昌服务站", "juancheng", "许昌", "henan", "邓秀梅", "2020-10-17"),
    ("dingtao-suzhou", "定陶驻苏州服务站", "dingtao", "苏州", "jiangsu", "韩志勇", "2020-06-13"),
    ("shanxian-shanghai", "单县驻上海服务站", "shanxian", "上海", "shanghai", "唐海波", "2021-03-27"),
    ("chengwu-beijing", "成武驻北京服务站", "chengwu", "北京", "beijing", "董立华", "2021-05-15"),
    ("yuncheng-tianjin", "郓城驻天津服务站", "yuncheng", "天津", "tianjin", "程国栋", "2021-09-25"),
    ("juye-shenzhen", "巨野驻深圳服务站", "juye", "深圳", "guangdong", "袁春燕", "2022-04-09"),
    ("dongming-dongying", "东明驻东营服务站", "dongming", "东营", "shandong", "彭继业", "2022-07-30"),
]


SECRETARIES = ["李晓光", "王丽华", "张国栋", "刘小燕", "陈建新", "杨春花", "赵志明", "黄玉兰",
               "周海军", "吴雪梅", "徐长江"]


def _phone(index: int) -> str:
    return f"139{5301000 + index * 37:08d}"


def demo_stations() -> list[dict[str, Any]]:
    """The stations as `POST /api/v1/stations` takes them."""
    stations = [{"id": station_id, "name": name, "level": "city", "host_city": city,
                 "host_province": province, "head_name": head, "founded_on": founded,
                 "staff_ids": [CITY_STAFF]}
                for station_id, name, city, province, head, founded in CITY_LEVEL]
    stations += [{"id": station_id, "name": name, "level": "county", "county": county,
                  "host_city": city, "host_province": province, "head_name": head,
                  "founded_on": founded,
                  "staff_ids": [COUNTY_STAFF] if county == "caoxian" else [CITY_STAFF]}
                 for station_id, name, county, city, province, head, founded in COUNTY_LEVEL]
    for index, station in enumerate(stations):
        station["head_phone"] = _phone(index)
        station["contacts"] = [{"name": SECRETARIES[index % len(SECRETARIES)], "duty": "秘书长",
                                "phone": _phone(index + 100)}]
    return stations


STATIONS = demo_stations()
STATION_IDS = [station["id"] for station in STATIONS]
