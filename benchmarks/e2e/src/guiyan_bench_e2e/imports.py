"""`make bench-import`: a ledger (台账) of 5,000 rows imported over HTTP into the whole system on
its own nats-server, against a 500-row baseline in the same run.

For each size, on a fresh system with the demo city's taxonomy and 60 parks: the dry run and
the import, each timed end to end (upload, read, staging, registry's one commit, the answer),
with the peak RSS of the portal and registry during each; and the time from the import's start
until matching's project list holds every row, with matching's peak RSS until then. Prints a table with the ratios of
the large ledger to the baseline, per row, and writes JSON.
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from guiyan_contracts.models import ProjectFields, Role
from guiyan_contracts.taxonomy import load_taxonomy
from guiyan_devstack import load
from guiyan_devstack.stack import Stack, StackConfig
from guiyan_eventing.natsd import free_port
from guiyan_portal.ledgers.columns import PROJECT_COLUMNS, Vocabulary
from guiyan_portal.ledgers.writer import Heading, add_sheet, new_workbook, saved

from .run import CITY, Client, build_city, peak_rss_mb

BASELINE, LARGE = 500, 5000
PARKS = 60
MEASURED = ("portal", "registry", "matching")


def ledger(rows: int) -> bytes:
    """The demo city's projects as a county office's sheet says them: Chinese names, yuan,
    real dates, a ledger number on each row; every row valid."""
    words = Vocabulary(load_taxonomy(CITY), [])
    headings = [Heading(c.header, c.kind, c.width) for c in PROJECT_COLUMNS]
    sheet_rows = []
    for index, project in enumerate(load.projects(CITY, rows)):
        fields = ProjectFields.model_validate(
            {k: v for k, v in project.items() if k != "id"}
            | {"ledger_ref": f"HZ-{rows}-{index + 1:05d}"}).model_dump()
        sheet_rows.append(words.cells(fields))
    workbook = new_workbook()
    add_sheet(workbook, "项目台账", headings, sheet_rows)
    return saved(workbook)


def reset_peak_rss(pid: int) -> None:
    """Writing 5 to clear_refs starts the process's VmHWM again from its current RSS."""
    Path(f"/proc/{pid}/clear_refs").write_text("5")


def timed_import(staff: Client, content: bytes, pids: dict[str, int],
                 dry_run: bool) -> dict[str, Any]:
    for pid in pids.values():
        reset_peak_rss(pid)
    started = time.monotonic()
    report = staff.call("POST", "/api/v1/projects/import",
                        files={"file": ("台账.xlsx", content)},
                        data={"dry_run": "true" if dry_run else "false"})
    seconds = time.monotonic() - started
    if report["errors"]:
        raise RuntimeError(f"rows refused: {report['errors'][:3]}")
    return {"seconds": seconds, "imported": report["imported"],
            "peak_rss_mb": {name: peak_rss_mb(pid) for name, pid in pids.items()}}


def until_listed(staff: Client, count: int, since: float) -> float:
    """Seconds from `since` until matching's project list holds `count` projects."""
    deadline = time.monotonic() + 600
    while staff.call("GET", "/api/v1/projects", params={"limit": 1})["total"] < count:
        if time.monotonic() > deadline:
            raise RuntimeError(f"matching had not read {count} projects within 10 minutes")
        time.sleep(0.2)
    return time.monotonic() - since


def measure(rows: int, work: Path) -> dict[str, Any]:
    content = ledger(rows)
    stack = Stack(StackConfig(var_dir=work / str(rows), portal_port=free_port(),
                              nats_port=free_port()))
    stack.start()
    try:
        admin = Client(stack, "bench-admin", Role.admin)
        staff = Client(stack, "bench-staff", Role.staff)
        build_city(admin, load.parks(CITY, PARKS))
        pids = {name: stack.processes[name].pid for name in MEASURED}
        dry_run = timed_import(staff, content, pids, dry_run=True)
        started = time.monotonic()
        imported = timed_import(staff, content, pids, dry_run=False)
        if imported["imported"] != rows:
            raise RuntimeError(f"{imported['imported']} of {rows} rows imported")
        listed = until_listed(staff, rows, started)
        # matching reads the projects after the import has answered: its peak is taken now
        imported["peak_rss_mb"]["matching"] = peak_rss_mb(pids["matching"])
    finally:
        stack.stop()
    return {"rows": rows, "bytes": len(content), "dry_run": dry_run, "import": imported,
            "until_listed_seconds": listed}


def ratio(large: float | None, small: float | None) -> str:
    return f"{large / small:.1f}×" if large and small else "—"


def table(small: dict[str, Any], large: dict[str, Any]) -> str:
    per_row = LARGE / BASELINE
    lines = [f"| measure | {BASELINE:,} rows | {LARGE:,} rows | ratio (rows ×{per_row:.0f}) "
             "| ms per row at 500 / 5,000 |", "|---|--:|--:|--:|--:|"]

    def seconds(label: str, a: float, b: float) -> None:
        lines.append(f"| {label} s | {a:.2f} | {b:.2f} | {ratio(b, a)} "
                     f"| {1000 * a / BASELINE:.2f} / {1000 * b / LARGE:.2f} |")

    seconds("dry run", small["dry_run"]["seconds"], large["dry_run"]["seconds"])
    seconds("import", small["import"]["seconds"], large["import"]["seconds"])
    seconds("import until matching lists all", small["until_listed_seconds"],
            large["until_listed_seconds"])
    for step in ("dry_run", "import"):
        for name in MEASURED:
            a, b = small[step]["peak_rss_mb"][name], large[step]["peak_rss_mb"][name]
            during = ("until it lists all" if (step, name) == ("import", "matching")
                      else step.replace("_", " "))
            lines.append(f"| peak RSS MB, {name}, {during} | {a:.0f} | {b:.0f} "
                         f"| {ratio(b, a)} | |")
    lines.append(f"| ledger .xlsx kB | {small['bytes'] / 1024:.0f} | {large['bytes'] / 1024:.0f} "
                 f"| {ratio(large['bytes'], small['bytes'])} | |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--out", default="bench-results/import.json")
    arguments = parser.parse_args(argv)
    results = {}
    with tempfile.TemporaryDirectory(prefix="guiyan-bench-import-") as work:
        for rows in (BASELINE, LARGE):
            print(f"{rows} rows …", file=sys.stderr, flush=True)
            results[rows] = measure(rows, Path(work))
    print(table(results[BASELINE], results[LARGE]))
    out = Path(arguments.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"parks": PARKS, "results": list(results.values())}, indent=2))
    print(f"\nwritten to {out}")
    return 0
