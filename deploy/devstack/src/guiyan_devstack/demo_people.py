"""The demo city's archive of natives working away and returnees (在外人员库, 返乡创业人员库), the
follow-up tasks staff have with them and the contacts recorded: seeded, so every load makes the
same people, and each person keeps an archive number (档案编号) by which an import finds them
again.

Some people work, elsewhere, in links that demo parks lack, most of them consenting to be
contacted: every demo park with a missing link has leads."""

from __future__ import annotations

import random
from datetime import date, timedelta
from typing import Any

from guiyan_contracts.taxonomy import Taxonomy, load_taxonomy

from .demo_stations import STATIONS
from .demo_users import CITY_STAFF, COUNTY_STAFF, TENANT

DEMO_TODAY = date(2026, 12, 1)  # the day the archive's dates are written back from
SIX_MONTHS = timedelta(days=183)
LEADS_PER_LINK = 3  # consenting people in each missing link, and one who has not consented

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘蒋蔡余杜叶程苏魏吕丁任沈姚卢姜崔钟谭陆汪范金石廖贾夏韦付方白邹孟熊秦邱江尹薛闫段雷侯龙史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔向汤"
GIVEN = ["建国", "海燕", "志强", "秀英", "伟", "磊", "静", "军", "洋", "丽娟", "晓东", "春梅",
         "国华", "红霞", "永刚", "玉兰", "德胜", "桂芳", "立新", "雪梅", "文涛", "小红", "振华",
         "丽萍", "宏伟", "金凤", "志勇", "晓燕", "俊杰", "美玲", "长青", "爱华", "庆丰", "淑珍"]
BRANDS = ["鲁商", "尧舜", "牡丹", "曹州", "华冠", "润泽", "汇丰", "鲁韵", "黄河", "恒信", "金源",
          "瑞丰", "宏达", "鼎盛"]
# Where people with no station work: cities with many natives, no station yet.
OTHER_CITIES = [("温州", "zhejiang"), ("南通", "jiangsu"), ("佛山", "guangdong"),
                ("廊坊", "hebei"), ("石家庄", "hebei"), ("沈阳", "liaoning"), ("长沙", "hunan"),
                ("重庆", "chongqing"), ("昆明", "yunnan"), ("福州", "fujian")]
HOME = ("菏泽", "shandong")  # where returnees live now
# The big cities' stations know the most people: the twelve oldest city-level ones, thrice as many.
STATION_WEIGHTS = [3 if index < 12 else 1 for index in range(len(STATIONS))]
CONSENT_SOURCES = ["written", "online", "phone", "station"]
CONTACT_NOTES = {
    "visit": "上门走访，了解企业经营情况和返乡意向",
    "call": "电话联系，介绍家乡园区的最新政策",
    "greeting": "节日问候，寄送家乡特产",
    "meeting": "参加在外人才恳谈会，交流产业链合作",
    "letter": "寄送招商引资政策资料",
}


def missing_links(parks: list[dict[str, Any]], taxonomy: Taxonomy
                  ) -> dict[str, list[tuple[str, str, str]]]:
    """Each park's missing links, between those it hosts (补链) or beyond them (延链): the links
    of the chains it hosts a link of, that it does not host, as (sector, chain, link). A park
    hosting no link lacks none."""
    sectors = {chain.code: sector.code for sector in taxonomy.sectors for chain in sector.chains}
    lacking = {}
    for park in parks:
        hosted = {(h["chain"], h["link"]) for h in park.get("hosted_links", [])}
        chains = dict.fromkeys(chain for chain, _ in hosted)
        lacking[park["id"]] = [
            (sectors[chain], chain, code) for chain in chains
            for code, *_ in taxonomy.chain(sectors[chain], chain).links  # type: ignore[union-attr]
            if (chain, code) not in hosted]
    return {park_id: links for park_id, links in lacking.items() if links}


def _where(rng: random.Random, status: str) -> tuple[str, str, str | None]:
    """The person's current city and province, and the station that knows them."""
    station = rng.choices(STATIONS, STATION_WEIGHTS)[0]
    if status != "away":
        return (*HOME, station["id"] if rng.random() < 0.8 else None)
    if rng.random() < 0.9:
        return station["host_city"], station["host_province"], station["id"]
    return (*rng.choice(OTHER_CITIES), None)


def _person(rng: random.Random, index: int, taxonomy: Taxonomy, status: str,
            work: tuple[str, str, str] | None, consents: bool) -> dict[str, Any]:
    role = "entrepreneur" if status == "founder" else rng.choices(
        ["worker", "manager", "entrepreneur"], [35, 35, 30])[0]
    city, province, station_id = _where(rng, status)
    person: dict[str, Any] = {
        "archive_ref": f"HZ-{2021 + index % 5}-{index + 1:04d}",
        "name": rng.choice(SURNAMES) + rng.choice(GIVEN),
        "phone": f"1{rng.choice('3578')}{rng.randrange(10 ** 9):09d}",
        "status": status, "hometown_county": rng.choice(sorted(taxonomy.county_codes())),
        "current_province": province, "current_city": city, "role": role,
        "influence": rng.choices(["general", "notable", "key"], [60, 30, 10])[0],
        "station_id": station_id, "contact_consent": consents,
    }
    if work:
        sector, chain, link = work
        person |= {"sector": sector, "chain": chain, "link": link}
        if role != "worker" or rng.random() < 0.4:
            link_zh = taxonomy.name("link", link, "zh", sector=sector, chain=chain)
            person |= {"enterprise": f"{city}{rng.choice(BRANDS)}{link_zh}有限公司",
                       "enterprise_scale": rng.choices(["micro", "small", "medium", "large"],
                                                       [30, 35, 25, 10])[0]}
    if consents:
        person |= {"consent_on": (DEMO_TODAY - timedelta(days=rng.randint(20, 1400))).isoformat(),
                   "consent_source": rng.choice(CONSENT_SOURCES)}
    return person


def demo_people(parks: list[dict[str, Any]], count: int = 500, seed: int = 246
                ) -> list[dict[str, Any]]:
    """`count` people as `PersonFields`, about 70% consenting to be contacted: first, for every
    link a park lacks, `LEADS_PER_LINK` consenting people working in it and one not; then people
    across the taxonomy's links, a few with no known link."""
    rng = random.Random(seed)
    taxonomy = load_taxonomy(TENANT)
    lacking = sorted({link for links in missing_links(parks, taxonomy).values() for link in links})
    every_link = [(s.code, c.code, code) for s in taxonomy.sectors for c in s.chains
                  for code, *_ in c.links]
    people: list[dict[str, Any]] = []
    for link in lacking:
        for number in range(LEADS_PER_LINK + 1):
            people.append(_person(rng, len(people), taxonomy, "away", link,
                                  consents=number < LEADS_PER_LINK))
    while len(people) < count:
        work = rng.choice(every_link) if rng.random() < 0.95 else None
        status = rng.choices(["away", "returned", "founder"], [72, 12, 16])[0]
        people.append(_person(rng, len(people), taxonomy, status, work,
                              consents=rng.random() < 0.68))
    return people[:count]


def _work(person: dict[str, Any]) -> tuple[str, str, str] | None:
    return (person["sector"], person["chain"], person["link"]) if "link" in person else None


def _assignee(person: dict[str, Any]) -> str:
    """Cao County's staff follow its own natives; the city's staff everyone else."""
    return COUNTY_STAFF if person["hometown_county"] == "caoxian" else CITY_STAFF


def demo_tasks(people: list[dict[str, Any]], parks: list[dict[str, Any]], count: int = 24,
               seed: int = 37) -> list[dict[str, Any]]:
    """Follow-up tasks with consenting people, as `POST /api/v1/tasks` takes them but naming
    the person by `archive_ref`: half made from a park's lead (the park and the link it lacks),
    half with key people; due from four weeks before `DEMO_TODAY` to two months after it, so
    the earliest are overdue."""
    rng = random.Random(seed)
    lacking = missing_links(parks, load_taxonomy(TENANT))
    leads = [(park_id, person) for park_id, links in lacking.items() for person in people
             if person["contact_consent"] and person["status"] == "away"
             and _work(person) in links]
    key_people = [p for p in people if p["contact_consent"] and p["influence"] == "key"]
    chosen = rng.sample(leads, count // 2) + [(None, p) for p in rng.sample(key_people, count)]
    tasks, seen = [], set()
    for park_id, person in chosen:
        if person["archive_ref"] in seen or len(tasks) == count:
            continue
        seen.add(person["archive_ref"])
        task: dict[str, Any] = {
            "id": f"demo-task-{len(tasks) + 1:02d}", "archive_ref": person["archive_ref"],
            "assignee_id": _assignee(person),
            "due_on": (DEMO_TODAY + timedelta(days=-28 + len(tasks) * 4)).isoformat(),
            "notes": "了解返乡投资意向，介绍园区补链政策" if park_id else "节前走访，了解近况"}
        if park_id:
            task["lead"] = {"park_id": park_id, "chain": person["chain"], "link": person["link"]}
        tasks.append(task)
    return tasks


def demo_contacts(people: list[dict[str, Any]], count: int = 55, seed: int = 55
                  ) -> list[dict[str, Any]]:
    """Contacts with consenting people, as `POST /api/v1/people/{id}/contacts` takes them but
    naming the person by `archive_ref`. The first fifteen people were last reached more than
    six months before `DEMO_TODAY`; the rest within it, some of them twice."""
    rng = random.Random(seed)
    consenting = [p for p in people if p["contact_consent"]]
    reached = rng.sample(consenting, 45)
    contacts = []
    for number in range(count):
        person = reached[number % len(reached)]
        long_ago = number % len(reached) < 15
        days = rng.randint(200, 700) if long_ago else rng.randint(3, 170)
        method = rng.choice(sorted(CONTACT_NOTES))
        contacts.append({"id": f"demo-contact-{number + 1:03d}",
                         "archive_ref": person["archive_ref"], "method": method,
                         "on": (DEMO_TODAY - timedelta(days=days)).isoformat(),
                         "notes": CONTACT_NOTES[method]})
    return contacts
