"""The demo city's own users, named once for the demo's users, stations and tasks."""

from __future__ import annotations

TENANT = "heze"
ADMIN = ("heze-admin", "菏泽市返乡创业服务中心管理员")
STAFF = [("heze-staff", "王招商"), ("caoxian-staff", "李人社")]
LEADER = ("heze-leader", "赵市长")  # reads the city's dashboard, changes nothing
STATION_HEAD = ("lasa.station", "孙立军", "lasa")  # heads 拉萨站: sees their station and its people
CITY_STAFF, COUNTY_STAFF = STAFF[0][0], STAFF[1][0]
