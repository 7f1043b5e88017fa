"""Ledgers (台账) in and out over HTTP, on the whole system: a 500-row ledger with five bad
rows in both modes, a re-import that changes nothing, an export that imports again cleanly,
formulas kept as text, and a GBK CSV."""

from __future__ import annotations

import io
import uuid
from typing import Any

import httpx
import pytest
from openpyxl import Workbook, load_workbook

from guiyan_devstack import demo

from .conftest import eventually

HEADERS = ["项目编号", "项目名称", "创始人", "来源服务站", "家乡县区", "行业", "产业链", "环节",
           "需求面积（平方米）", "投资额（元）", "就业人数", "工商注册日期"]
BAD_ROWS = {  # row of the sheet → (column, cell) that makes it wrong
    40: ("家乡县区", "亚特兰蒂斯"), 120: ("就业人数", "很多"), 250: ("项目名称", None),
    333: ("环节", "宇宙飞船"), 480: ("投资额（元）", -5)}


def ledger_row(tag: str, number: int) -> list[Any]:
    return [f"{tag}-{number}", f"{tag}项目{number}", "张海燕", "杭州站", "曹县", "纺织服装",
            "汉服", "设计制版", 200, 1_000_000, 8, "2026-06-01"]


def ledger(tag: str, rows: int = 500, bad: dict = BAD_ROWS) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(HEADERS)
    for number in range(2, rows + 2):
        cells = ledger_row(tag, number)
        if number in bad:
            column, cell = bad[number]
            cells[HEADERS.index(column)] = cell
        sheet.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()


@pytest.fixture(scope="module")
def staff(scratch) -> httpx.Client:
    token = demo.tokens(scratch.config.auth_secret)["staff"]
    return httpx.Client(base_url=scratch.portal_url, timeout=120,
                        headers={"Authorization": f"Bearer {token}"})


def imported(client: httpx.Client, content: bytes, filename: str = "台账.xlsx",
             **form: str) -> dict[str, Any]:
    response = client.post("/api/v1/projects/import", files={"file": (filename, content)},
                           data=form)
    assert response.status_code == 200, response.text
    return response.json()


def listed(client: httpx.Client, tag: str) -> int:
    return client.get("/api/v1/projects", params={"q": tag, "limit": 1}).json()["total"]


def test_five_bad_rows_are_reported_in_both_modes_and_a_reimport_changes_nothing(staff) -> None:
    tag = uuid.uuid4().hex[:8]
    content = ledger(tag)
    refused = imported(staff, content, mode="all_or_nothing")
    assert sorted(e["row"] for e in refused["errors"]) == sorted(BAD_ROWS)
    assert (refused["rows"], refused["imported"]) == (500, 0)
    by_row = {e["row"]: e for e in refused["errors"]}
    assert by_row[40]["column"] == "家乡县区" and by_row[40]["message_zh"] == "不是本市的县区"
    assert by_row[40]["message_en"] == "Not a county of this city"
    taken = imported(staff, content, mode="valid_rows")
    assert sorted(e["row"] for e in taken["errors"]) == sorted(BAD_ROWS)
    assert (taken["imported"], taken["updated"]) == (495, 0)
    eventually(lambda: listed(staff, tag) == 495, timeout=60)
    again = imported(staff, content, mode="valid_rows")
    assert (again["imported"], again["updated"], again["unchanged"]) == (0, 0, 495)


def test_an_export_imports_again_cleanly_and_the_export_is_recorded(staff, scratch) -> None:
    tag = uuid.uuid4().hex[:8]
    assert imported(staff, ledger(tag, rows=30, bad={}))["imported"] == 30
    eventually(lambda: listed(staff, tag) == 30, timeout=60)
    response = staff.get("/api/v1/projects/export.xlsx", params={"q": tag})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet.freeze_panes == "A2" and sheet.max_row == 31
    assert sheet["K2"].number_format == "#,##0" and sheet["N2"].is_date
    back = imported(staff, response.content)
    assert (back["imported"], back["updated"], back["unchanged"], back["errors"]) == (0, 0, 30, [])
    admin = demo.tokens(scratch.config.auth_secret)["admin"]
    exports = staff.get("/api/v1/exports", headers={"Authorization": f"Bearer {admin}"}).json()
    assert any(e["what"] == "projects" and e["rows"] == 30 and e["filters"] == {"q": tag}
               for e in exports["items"])


def test_cells_that_start_like_formulas_are_text_in_and_out(staff) -> None:
    tag = uuid.uuid4().hex[:8]
    workbook = Workbook()
    workbook.active.append(HEADERS)
    cells = ledger_row(tag, 1)
    cells[1], cells[2] = f"={tag}+1", "@SUM(A1)"  # the name and the founder: text columns
    workbook.active.append(cells)
    out = io.BytesIO()
    workbook.save(out)
    assert imported(staff, out.getvalue())["imported"] == 1
    eventually(lambda: listed(staff, tag) == 1, timeout=60)
    sheet = load_workbook(io.BytesIO(staff.get("/api/v1/projects/export.xlsx",
                                               params={"q": tag}).content)).active
    assert (sheet["B2"].value, sheet["B2"].data_type) == (f"={tag}+1", "s")
    assert (sheet["C2"].value, sheet["C2"].data_type) == ("@SUM(A1)", "s")


def test_a_gbk_csv_imports(staff) -> None:
    tag = uuid.uuid4().hex[:8]
    text = ",".join(HEADERS) + "\n" + ",".join(str(c) for c in ledger_row(tag, 1)) + "\n"
    report = imported(staff, text.encode("gbk"), filename="台账.csv", dry_run="true")
    assert (report["imported"], report["errors"]) == (1, [])
    assert imported(staff, text.encode("gbk"), filename="台账.csv")["imported"] == 1


def test_proposals_export_as_the_list_shows_them_and_a_manager_only_their_parks(
        staff, scratch) -> None:
    # Machinery parts makers of Yuncheng: the equipment cluster has room for them whatever the
    # other tests have filled the hanfu park with.
    tag = uuid.uuid4().hex[:8]
    workbook = Workbook()
    workbook.active.append(HEADERS)
    for number in range(1, 4):
        workbook.active.append([f"{tag}-{number}", f"{tag}精密零部件{number}", "李建国", "苏州站",
                                "郓城县", "机电设备制造", "装备制造", "零部件", 300, 3_000_000,
                                20, "2026-05-01"])
    out = io.BytesIO()
    workbook.save(out)
    assert imported(staff, out.getvalue())["imported"] == 3

    def proposed() -> list[dict[str, Any]]:
        return staff.get("/api/v1/proposals", params={"q": tag}).json()["items"]

    eventually(lambda: len(proposed()) == 3, timeout=60)
    response = staff.get("/api/v1/proposals/export.xlsx", params={"q": tag})
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    rows = [dict(zip([c.value for c in sheet[1]], row, strict=True))
            for row in sheet.iter_rows(min_row=2)]
    assert sorted(r["项目名称"].value for r in rows) == sorted(p["project_name"] for p in proposed())
    first = rows[0]
    assert (first["家乡县区"].value, first["行业"].value, first["产业链"].value) == (
        "郓城县", "机电设备制造", "装备制造")
    assert first["状态"].value in ("已推荐", "已接受", "已撤回")
    assert first["补贴（元）"].number_format == "#,##0" and first["提议时间"].is_date
    # A manager's export is their list: the parks they manage, whatever other tests made them.
    manager = {"Authorization": "Bearer " + demo.tokens(scratch.config.auth_secret)[
        "managers"][proposed()[0]["park_id"]]}
    listed_to_them = staff.get("/api/v1/proposals", params={"limit": 500}, headers=manager).json()
    theirs = staff.get("/api/v1/proposals/export.xlsx", headers=manager)
    rows = list(load_workbook(io.BytesIO(theirs.content)).active.iter_rows(min_row=2))
    assert len(rows) == listed_to_them["total"]
    assert {row[6].value for row in rows} == {p["park_name"] for p in listed_to_them["items"]}
    admin = demo.tokens(scratch.config.auth_secret)["admin"]
    exports = staff.get("/api/v1/exports", headers={"Authorization": f"Bearer {admin}"}).json()
    assert any(e["what"] == "proposals" and e["rows"] == 3 and e["filters"] == {"q": tag}
               for e in exports["items"])
