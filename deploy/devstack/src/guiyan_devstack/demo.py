"""A Heze-like demo city: 12 parks across the "231" sectors, their managers, staff, service
stations, 60 projects from those stations, and an archive of 500 natives with the staff's tasks
and contacts with them.

Loaded through the portal's API with fixed ids (people: fixed archive numbers), so loading twice
changes nothing.
"""

from __future__ import annotations

import json
import random
import secrets
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from pathlib import Path
from typing import Any

import httpx

from guiyan_contracts.models import Role
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_eventing.files import write_private
from guiyan_portal.auth import mint_token
from guiyan_portal.ledgers.writer import XLSX, Heading, add_sheet, new_workbook, saved

from .demo_people import demo_contacts, demo_people, demo_tasks
from .demo_stations import STATION_IDS, STATIONS
from .demo_users import ADMIN, LEADER, STAFF, STATION_HEAD, TENANT


def link(chain: str, link_code: str) -> dict[str, str]:
    return {"chain": chain, "link": link_code}


PARKS: list[dict[str, Any]] = [
    {"id": "heze-return-incubator", "name": "菏泽市返乡创业孵化基地", "kind": "incubator",
     "county": "mudan", "sectors": ["modern_services", "next_gen_it", "textiles_apparel",
                                    "agri_processing", "trade_logistics"],
     "hosted_links": [link("business_services", "design"), link("electronics", "software_services")],
     "floor_m2": 10_000, "incubator_slots": 50, "annual_subsidy_budget_yuan": 6_000_000,
     "subsidy_policy": {"free_premises_months": 36}},
    {"id": "mudan-return-park", "name": "牡丹区返乡创业园", "kind": "return_home_park",
     "county": "mudan", "sectors": ["agri_processing", "trade_logistics", "electromechanical"],
     "hosted_links": [link("flour_food", "grain_growing"), link("flour_food", "cold_chain_sales")],
     "floor_m2": 60_000, "annual_subsidy_budget_yuan": 5_000_000,
     "facilities": ["cold_storage"]},
    {"id": "caoxian-hanfu-park", "name": "曹县汉服产业返乡创业园", "kind": "return_home_park",
     "county": "caoxian", "sectors": ["textiles_apparel", "modern_services"],
     "hosted_links": [link("hanfu", "jacquard_weaving"), link("hanfu", "apparel_ecommerce")],
     "floor_m2": 80_000, "annual_subsidy_budget_yuan": 5_000_000},
    {"id": "caoxian-wood-cluster", "name": "曹县木制品产业集聚区", "kind": "industrial_cluster",
     "county": "caoxian", "sectors": ["wood_furniture", "trade_logistics"],
     "hosted_links": [link("wood", "logs"), link("wood", "furniture_doors"),
                      link("wood", "ecommerce_export")],
     "floor_m2": 100_000, "land_mu": 500, "annual_subsidy_budget_yuan": 4_000_000,
     "min_investment_yuan_per_mu": 1_000_000, "facilities": ["heavy_floor", "rail_siding"]},
    {"id": "dongming-petrochemical-park", "name": "东明石化产业园（省认定化工园区）",
     "kind": "chemical_park", "county": "dongming", "chemical_park_certified": True,
     "sectors": ["high_end_chemicals", "new_energy_materials"],
     "hosted_links": [link("olefins", "crude_refining"), link("olefins", "olefins_aromatics"),
                      link("olefins", "plastic_packaging")],
     "floor_m2": 50_000, "land_mu": 1_000, "annual_subsidy_budget_yuan": 8_000_000,
     "min_investment_yuan_per_mu": 2_400_000, "min_tax_yuan_per_mu_year": 200_000,
     "facilities": ["wastewater_treatment", "steam_supply", "hazmat_storage", "dual_power",
                    "rail_siding"]},
    {"id": "juye-chemical-park", "name": "巨野化工产业园（省认定化工园区）", "kind": "chemical_park",
     "county": "juye", "chemical_park_certified": True, "sectors": ["high_end_chemicals"],
     "hosted_links": [link("fine_chemicals", "basic_chemicals"),
                      link("fine_chemicals", "specialty_formulations")],
     "land_mu": 600, "annual_subsidy_budget_yuan": 4_000_000,
     "min_investment_yuan_per_mu": 1_000_000,
     "facilities": ["wastewater_treatment", "steam_supply", "hazmat_storage"]},
    {"id": "juancheng-biomedicine-cluster", "name": "鄄城生物医药产业集聚区",
     "kind": "industrial_cluster", "county": "juancheng", "sectors": ["biomedicine"],
     "hosted_links": [link("pharma", "apis_intermediates"), link("pharma", "tcm")],
     "floor_m2": 40_000, "land_mu": 300, "annual_subsidy_budget_yuan": 4_000_000,
     "min_investment_yuan_per_mu": 1_000_000,
     "facilities": ["clean_room", "wastewater_treatment", "steam_supply"]},
    {"id": "juancheng-hair-incubator", "name": "鄄城发制品创业孵化基地", "kind": "incubator",
     "county": "juancheng", "sectors": ["textiles_apparel", "modern_services"],
     "hosted_links": [link("hair_products", "hair_processing")],
     "floor_m2": 5_000, "incubator_slots": 40, "annual_subsidy_budget_yuan": 3_000_000,
     "subsidy_policy": {"free_premises_months": 24}},
    {"id": "shanxian-return-park", "name": "单县返乡创业园", "kind": "return_home_park",
     "county": "shanxian", "sectors": ["agri_processing", "electromechanical"],
     "hosted_links": [link("flour_food", "flour_milling")],
     "floor_m2": 30_000, "annual_subsidy_budget_yuan": 3_000_000},
    {"id": "chengwu-incubator", "name": "成武县返乡创业孵化基地", "kind": "incubator",
     "county": "chengwu", "sectors": ["modern_services", "next_gen_it", "agri_processing"],
     "floor_m2": 4_000, "incubator_slots": 30, "annual_subsidy_budget_yuan": 2_000_000,
     "subsidy_policy": {"free_premises_months": 36}},
    {"id": "yuncheng-equipment-cluster", "name": "郓城机电装备产业集聚区",
     "kind": "industrial_cluster", "county": "yuncheng",
     "sectors": ["electromechanical", "new_energy_materials"],
     "hosted_links": [link("equipment", "castings"), link("equipment", "machine_assembly")],
     "floor_m2": 80_000, "land_mu": 400, "annual_subsidy_budget_yuan": 5_000_000,
     "min_investment_yuan_per_mu": 1_000_000, "facilities": ["heavy_floor", "dual_power"]},
    {"id": "dingtao-new-energy-cluster", "name": "定陶新能源新材料产业集聚区",
     "kind": "industrial_cluster", "county": "dingtao",
     "sectors": ["new_energy_materials", "next_gen_it", "biomedicine"],
     "hosted_links": [link("new_energy", "cells_modules")],
     "floor_m2": 50_000, "land_mu": 500, "annual_subsidy_budget_yuan": 5_000_000,
     "min_investment_yuan_per_mu": 1_000_000, "facilities": ["dual_power", "clean_room"]},
]

SURNAMES = "王李张刘陈杨赵黄周吴徐孙马朱胡郭何高林罗"
GIVEN = ["建国", "海燕", "志强", "秀英", "伟", "磊", "静", "军", "洋", "丽娟", "晓东", "春梅"]
NAME_PREFIXES = ["鲁西", "牡丹", "尧舜", "伏羲", "黄河", "曹州", "鲁韵", "华冠", "润泽", "汇丰"]
# What a project of these kinds needs on site.
HAZARDOUS_NEEDS = ["wastewater_treatment", "hazmat_storage"]
SECTOR_NEEDS = {"biomedicine": ["clean_room"], "electromechanical": ["heavy_floor"]}
LAND_SECTORS = {"high_end_chemicals", "electromechanical", "new_energy_materials", "biomedicine",
                "wood_furniture"}


def manager_id(park_id: str) -> str:
    return f"mgr-{park_id}"


def demo_projects(count: int = 60, seed: int = 231, today: date | None = None) -> list[dict[str, Any]]:
    """Projects across the taxonomy: small floor needs for incubator-sized firms, land for
    heavy industry, some with hazardous chemical processes."""
    rng = random.Random(seed)
    today = today or date(2026, 11, 1)
    taxonomy = load_taxonomy(TENANT)
    chains = [(s.code, c) for s in taxonomy.sectors for c in s.chains]
    counties = [code for code, *_ in taxonomy.counties]
    projects = []
    for index in range(count):
        sector, chain = chains[index % len(chains)]
        link_code, link_zh, _ = rng.choice(chain.links)
        on_land = sector in LAND_SECTORS and rng.random() < 0.5
        land_mu = rng.choice([20, 30, 50, 80]) if on_land else 0
        investment = (land_mu * rng.choice([1.2e6, 1.8e6, 2.6e6, 3.0e6]) if on_land
                      else rng.choice([0.5e6, 1e6, 3e6, 8e6, 20e6]))
        hazardous = sector == "high_end_chemicals" and rng.random() < 0.6
        needs = HAZARDOUS_NEEDS if hazardous else SECTOR_NEEDS.get(sector, []) if on_land else []
        projects.append({
            "id": f"demo-project-{index + 1:03d}",
            "name": f"{rng.choice(NAME_PREFIXES)}{link_zh}{'科技' if index % 3 else '实业'}有限公司",
            "founder": rng.choice(SURNAMES) + rng.choice(GIVEN),
            "source": rng.choice(STATION_IDS),
            "hometown_county": rng.choice(counties),
            "sector": sector, "chain": chain.code, "link": link_code,
            "floor_m2": 0 if on_land else rng.choice([120, 200, 300, 600, 1200, 2500]),
            "land_mu": land_mu, "investment_yuan": investment,
            "jobs": rng.choice([4, 6, 8, 15, 30, 60, 120]),
            "hazardous_process": hazardous,
            "required_facilities": needs,
            "expected_tax_yuan_per_year": land_mu * rng.choice([1e5, 2e5, 3e5]),
            "registered_on": (today - timedelta(days=rng.randint(0, 1000))).isoformat(),
        })
    return projects


def scenario(projects: int = 60, today: date | None = None) -> dict[str, Any]:
    """The demo city as a guiyan-scenario/1 document, for `guiyan compile` and `guiyan plan`."""
    today = today or date(2026, 11, 1)
    return {"format": "guiyan-scenario/1", "city": TENANT, "today": today.isoformat(),
            "parks": PARKS, "projects": demo_projects(projects, today=today)}


def tokens(secret: str) -> dict[str, Any]:
    return {
        "admin": mint_token(secret, ADMIN[0], TENANT, Role.admin),
        "staff": mint_token(secret, STAFF[0][0], TENANT, Role.staff),
        "leader": mint_token(secret, LEADER[0], TENANT, Role.leader),
        "station": mint_token(secret, STATION_HEAD[0], TENANT, Role.station),
        "managers": {park["id"]: mint_token(secret, manager_id(park["id"]), TENANT,
                                            Role.park_manager) for park in PARKS},
    }


def new_accounts() -> dict[str, Any]:
    """A username (the user's id) and a random password for the admin, the first staff member,
    the leader, 拉萨站's head and each park's manager."""
    def account(user_id: str) -> dict[str, str]:
        return {"username": user_id, "password": secrets.token_urlsafe(12)}

    return {"admin": account(ADMIN[0]), "staff": account(STAFF[0][0]),
            "leader": account(LEADER[0]), "station": account(STATION_HEAD[0]),
            "managers": {park["id"]: account(manager_id(park["id"])) for park in PARKS}}


def accounts_in(var_dir: Path) -> dict[str, Any]:
    """The demo accounts kept in `var/demo-accounts.json` (0600), made on the first run: a user
    registered once keeps the password it was registered with; an account the kept file lacks
    (one added to the demo since) is made and kept beside them."""
    kept = var_dir / "demo-accounts.json"
    had = json.loads(kept.read_text("utf-8")) if kept.exists() else {}
    made = {**new_accounts(), **had}
    if made != had:
        write_private(kept, json.dumps(made, ensure_ascii=False, indent=2))
    return made


def sign_in_of(accounts: dict[str, Any] | None, user_id: str) -> dict[str, str]:
    """The username and password `accounts` gives the user, if any."""
    if accounts is None:
        return {}
    every = [accounts["admin"], accounts["staff"], accounts["leader"], accounts["station"],
             *accounts["managers"].values()]
    return next((account for account in every if account["username"] == user_id), {})


def people_workbook(people: list[dict[str, Any]]) -> bytes:
    """The archive as a people ledger (.xlsx), one row a person. Headers are the fields' names,
    which the ledger's reader takes as it takes its Chinese headers; cells hold codes, as a
    ledger may."""
    fields = list(dict.fromkeys(field for person in people for field in person))
    workbook = new_workbook()
    add_sheet(workbook, "人员台账", [Heading(field, "text", 12) for field in fields],
              ([person.get(field) for field in fields] for person in people))
    return saved(workbook)


class DemoClient:
    """The portal's API as the demo loader uses it: a refusal stops the load, naming what was
    refused; writes of one kind go several at a time."""

    def __init__(self, client: httpx.Client, concurrency: int = 8) -> None:
        self.client = client
        self.concurrency = concurrency

    def post(self, path: str, body: dict[str, Any], headers: dict[str, str]) -> None:
        response = self.client.post(path, json=body, headers=headers)
        if response.status_code == 409:
            # A record of the demo's fixed id that differs: data made by an earlier version of
            # the demo, which this one does not overwrite.
            raise RuntimeError(f"POST {path} {body.get('id')}: {response.text}; the data under "
                               "var/ holds another version of the demo: `make clean` starts afresh")
        if response.status_code >= 400:
            raise RuntimeError(f"POST {path} {body.get('id')}: {response.status_code} {response.text}")

    def post_all(self, paths_and_bodies: list[tuple[str, dict[str, Any]]],
                 headers: dict[str, str]) -> None:
        """Writes that do not depend on each other: each is one request, `concurrency` at a
        time, so the load waits on the services' commits rather than on each round trip."""
        with ThreadPoolExecutor(self.concurrency) as pool:
            list(pool.map(lambda item: self.post(*item, headers), paths_and_bodies))

    def import_people(self, people: list[dict[str, Any]], headers: dict[str, str]) -> None:
        """The whole archive in one ledger import: 500 people in one request and one commit."""
        response = self.client.post(
            "/api/v1/people/import", headers=headers, data={"mode": "valid_rows"},
            files={"file": ("demo-people.xlsx", people_workbook(people), XLSX)})
        report = response.json() if response.status_code < 400 else None
        if report is None or report["errors"]:
            raise RuntimeError(f"people import: {response.status_code} {response.text[:2000]}")

    def people_ids(self, headers: dict[str, str]) -> dict[str, str]:
        """Each person's id by their archive number."""
        found: list[dict[str, Any]] = []
        while True:
            response = self.client.get("/api/v1/people", headers=headers,
                                       params={"limit": 1000, "offset": len(found)})
            response.raise_for_status()
            page = response.json()
            found += page["items"]
            if not page["items"] or len(found) >= page["total"]:
                return {person["archive_ref"]: person["id"] for person in found
                        if person.get("archive_ref")}


def load(portal_url: str, secret: str, projects: int = 60,
         accounts: dict[str, Any] | None = None) -> dict[str, Any]:
    """Create the demo city through the API, its users signing in with `accounts` (as
    `new_accounts` makes them), and return the demo users' bearer tokens."""
    issued = tokens(secret)
    admin = {"Authorization": f"Bearer {issued['admin']}"}
    staff = {"Authorization": f"Bearer {issued['staff']}"}
    with httpx.Client(base_url=portal_url, timeout=60) as client:
        api = DemoClient(client)
        api.post("/api/v1/users", {"id": ADMIN[0], "name": ADMIN[1], "role": "admin",
                                   **sign_in_of(accounts, ADMIN[0])}, admin)
        api.post_all([("/api/v1/users", {"id": user_id, "name": name, "role": "staff",
                                         "email": f"{user_id}@heze.example.cn",
                                         **sign_in_of(accounts, user_id)})
                      for user_id, name in STAFF]
                     + [("/api/v1/users", {"id": LEADER[0], "name": LEADER[1], "role": "leader",
                                           **sign_in_of(accounts, LEADER[0])})], admin)
        api.post_all([("/api/v1/stations", station) for station in STATIONS], admin)
        head, head_name, station_id = STATION_HEAD
        api.post("/api/v1/users", {"id": head, "name": head_name, "role": "station",
                                   "station_id": station_id, **sign_in_of(accounts, head)}, admin)
        for park in PARKS:
            manager = manager_id(park["id"])
            api.post("/api/v1/users", {"id": manager, "name": f"{park['name']}负责人",
                                       "role": "park_manager",
                                       "email": f"{manager}@heze.example.cn",
                                       **sign_in_of(accounts, manager)}, admin)
            api.post("/api/v1/parks", {**park, "manager_ids": [manager_id(park["id"])]}, admin)
        for project in demo_projects(projects):
            api.post("/api/v1/projects", project, staff)
        people = demo_people(PARKS)
        api.import_people(people, staff)
        ids = api.people_ids(staff)

        def of_person(record: dict[str, Any]) -> dict[str, Any]:
            return {key: value for key, value in record.items() if key != "archive_ref"}

        api.post_all([("/api/v1/tasks", {**of_person(task), "person_id": ids[task["archive_ref"]]})
                      for task in demo_tasks(people, PARKS)], staff)
        api.post_all([(f"/api/v1/people/{ids[contact['archive_ref']]}/contacts",
                       of_person(contact)) for contact in demo_contacts(people)], staff)
    return issued
