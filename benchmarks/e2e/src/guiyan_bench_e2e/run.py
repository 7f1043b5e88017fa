"""`make bench-e2e`: the whole system as separate processes on a real nats-server, fed N projects
through the portal at a fixed concurrency.

For each size it measures the rate the portal accepts submissions at; the latency from each
submission to its proposal and to the park manager's inbox item (server timestamps against the
client's send time, one clock on one machine); the number of solves; each process's peak RSS.
In the same run the optimiser alone solves the final state (every park and project at once,
through `guiyan compile` and `guiyan solve`), so the table shows what the event plumbing adds to
the pure solve. The province (10,000 projects, 1,000 parks) is planned once through matching's
own planning functions in a process of its own (`province.py`), not over the event path. Prints
tables and writes JSON.
"""

from __future__ import annotations

import argparse
import asyncio
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from datetime import date, datetime
from pathlib import Path
from typing import Any

import httpx

from guiyan_contracts.models import Role
from guiyan_devstack import load
from guiyan_devstack.stack import Stack, StackConfig
from guiyan_eventing.natsd import free_port
from guiyan_matching.config import MatchingSettings
from guiyan_portal.auth import mint_token

CITY = "heze"
SIZES = {"1000x60": (1000, 60), "5000x300": (5000, 300), "10000x1000": (10000, 1000)}
PROVINCES = {"10000x1000"}  # planned in process (province.py), not over the event path
# Projects per page when waiting for every one to be planned. An unplaced project at 300 parks
# carries about 30 KB of verdicts and reasons, so a page of 1,000 with a few hundred of them
# passed NATS's 8 MB payload limit and was never answered.
PAGE = 200


class Unavailable(RuntimeError):
    """A 503: a service did not answer within the portal's timeout."""


class Client:
    def __init__(self, stack: Stack, user: str, role: Role) -> None:
        token = mint_token(stack.config.auth_secret, user, CITY, role)
        self.token = token
        self.http = httpx.Client(base_url=stack.portal_url, timeout=120,
                                 headers={"Authorization": f"Bearer {token}"})

    def call(self, method: str, path: str, **kwargs: Any) -> Any:
        response = self.http.request(method, path, **kwargs)
        if response.status_code == 503:
            raise Unavailable(f"{method} {path}: {response.text[:300]}")
        if response.status_code >= 400:
            raise RuntimeError(f"{method} {path}: {response.status_code} {response.text[:300]}")
        return response.json()

    def items(self, path: str, limit: int) -> list[Any]:
        """Every item of a list, `limit` a page."""
        found: list[Any] = []
        while True:
            page = self.call("GET", path, params={"limit": limit, "offset": len(found)})
            found += page["items"]
            if not page["items"] or len(found) >= page["total"]:
                return found


def manager(park_id: str) -> str:
    return f"mgr-{park_id}"


def build_city(admin: Client, parks: list[dict[str, Any]]) -> None:
    """The demo's stations the projects come from, and the parks, each with a manager of its
    own, so each offer lands in one inbox."""
    for station in load.stations():
        admin.call("POST", "/api/v1/stations", json=station)
    for park in parks:
        admin.call("POST", "/api/v1/users", json={"id": manager(park["id"]), "name": "负责人",
                                                  "role": "park_manager"})
        admin.call("POST", "/api/v1/parks", json={**park, "manager_ids": [manager(park["id"])]})


def settled(staff: Client, count: int) -> dict[str, dict[str, Any]] | None:
    """Every project's placement once none is still waiting for its first plan."""
    views = {v["project"]["id"]: v["placement"] for v in staff.items("/api/v1/projects", PAGE)}
    done = len(views) == count and all(p["status"] != "submitted" for p in views.values())
    return views if done else None


def percentiles(values: list[float]) -> dict[str, float | None]:
    if not values:
        return {"n": 0, "p50": None, "p95": None, "p99": None, "max": None}
    cuts = statistics.quantiles(values, n=100, method="inclusive") if len(values) > 1 else values * 99
    return {"n": len(values), "p50": cuts[49], "p95": cuts[94], "p99": cuts[98],
            "max": max(values)}


def epoch(stamp: str) -> float:
    return datetime.fromisoformat(stamp).timestamp()


def peak_rss_mb(pid: int) -> float | None:
    """VmHWM: the process's peak resident set size so far."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
    except OSError:
        return None
    return None


def cpu_seconds(pid: int) -> float:
    """User and system CPU the process has used so far (0 once it is gone)."""
    try:
        fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    except OSError:
        return 0.0
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime


def cpu_used(pids: dict[str, int], since: dict[str, float]) -> dict[str, float]:
    return {name: cpu_seconds(pid) - since.get(name, 0.0) for name, pid in pids.items()}


def optimiser_alone(parks: list[dict[str, Any]], projects: list[dict[str, Any]],
                    time_limit: float, work: Path) -> dict[str, Any]:
    """The same city solved in one go by the optimiser's CLI, with no services around it."""
    scenario = work / "scenario.json"
    scenario.write_text(json.dumps({"format": "guiyan-scenario/1", "city": CITY,
                                    "today": date.today().isoformat(), "parks": parks,
                                    "projects": projects}, ensure_ascii=False))
    cli = str(Path(sys.executable).parent / "guiyan")
    instance = work / "instance.json"
    started = time.monotonic()
    instance.write_text(subprocess.run([cli, "compile", str(scenario)], check=True,
                                       capture_output=True, text=True).stdout)
    compiled = time.monotonic() - started
    started = time.monotonic()
    solution = json.loads(subprocess.run(
        [cli, "solve", str(instance), "--time-limit", str(time_limit)], check=True,
        capture_output=True, text=True).stdout)
    return {"compile_seconds": compiled, "solve_seconds": time.monotonic() - started,
            "objective": solution["objective"], "bound": solution["bound"],
            "status": solution["status"], "assigned": len(solution["assignments"])}


def measure(name: str, count: int, park_count: int, concurrency: int,
            solver_time_limit: float, work: Path) -> dict[str, Any]:
    stack = Stack(StackConfig(var_dir=work / name, portal_port=free_port(), nats_port=free_port(),
                              environment={"SOLVER_TIME_LIMIT_SECONDS": str(solver_time_limit)}))
    stack.start()
    try:
        admin, staff = Client(stack, "bench-admin", Role.admin), Client(stack, "bench-staff", Role.staff)
        parks, projects = load.parks(CITY, park_count), load.projects(CITY, count)
        build_city(admin, parks)
        system = {service: process.pid for service, process in stack.processes.items()}
        if stack.nats is not None:
            system["nats-server"] = stack.nats.pid
        pids = system | {"load generator": os.getpid()}
        before = cpu_used(pids, {})
        submitted = asyncio.run(load.submit(stack.portal_url, staff.token, projects, concurrency))
        in_burst = cpu_used(pids, before)
        accepted = [s for s in submitted if s.status == 202]
        window = max(s.sent_at + s.seconds for s in submitted) - min(s.sent_at for s in submitted)
        deadline, unanswered = time.monotonic() + 600, 0
        while True:
            try:
                if (views := settled(staff, count)) is not None:
                    break
            except Unavailable:  # matching busy writing a large plan: counted, and asked again
                unanswered += 1
            if time.monotonic() > deadline:
                raise RuntimeError(f"{name}: not every project was planned within 10 minutes")
            time.sleep(1.0)
        to_settle = cpu_used(pids, before)
        sent = {s.project_id: s.sent_at for s in accepted}
        offers = {p["proposal"]["id"]: (project_id, p["proposal"])
                  for project_id, p in views.items() if p["proposal"]}
        to_proposal = [epoch(offer["offered_at"]) - sent[project_id]
                       for project_id, offer in offers.values()]
        to_inbox = []
        for park in parks:
            inbox = Client(stack, manager(park["id"]), Role.park_manager)
            for item in inbox.items("/api/v1/inbox", 500):
                if item["kind"] == "proposal_offered" and item["proposal_id"] in offers:
                    project_id, _ = offers[item["proposal_id"]]
                    to_inbox.append(epoch(item["created_at"]) - sent[project_id])
        plans = staff.items("/api/v1/plans", 500)
        rss = {name: peak_rss_mb(pid) for name, pid in system.items()}
    finally:
        stack.stop()
    return {
        "size": name, "projects": count, "parks": park_count, "concurrency": concurrency,
        "accepted": len(accepted), "submission_seconds": window,
        "accepted_per_second": len(accepted) / window,
        "submit_latency": percentiles([s.seconds for s in accepted]),
        "to_proposal": percentiles(to_proposal), "to_inbox": percentiles(to_inbox),
        "offered": len(offers), "unplaced": sum(p["status"] == "unplaced" for p in views.values()),
        "solves": len(plans), "placement_queries_unanswered": unanswered, "solve_seconds_total": sum(p["solve_seconds"] for p in plans),
        "solve_seconds_max": max((p["solve_seconds"] for p in plans), default=0.0),
        # each plan's reading, rules, explanations and writes: its time beyond the solve
        "plan_seconds_beyond_solve": [round(epoch(p["finished_at"]) - epoch(p["started_at"])
                                            - p["solve_seconds"], 3) for p in plans],
        "peak_rss_mb": rss,
        "cpu_seconds": {"burst": in_burst, "to_settle": to_settle},
        "optimiser_alone": optimiser_alone(parks, projects, solver_time_limit, work / name),
    }


def fmt(value: float | None, digits: int = 2) -> str:
    return "—" if value is None else f"{value:.{digits}f}"


def table(results: list[dict[str, Any]], debounce: float) -> str:
    lines = ["| size | accepted/s | solves | to proposal p50 / p95 / p99 s | to inbox p50 / p95 / p99 s"
             " | p99 budget s | solver in pipeline s (max) | optimiser alone s | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['size']} | {r['error']} |" + " |" * 7)
            continue
        prop, inbox, alone = r["to_proposal"], r["to_inbox"], r["optimiser_alone"]
        budget = debounce + r["solve_seconds_max"] + 1.0
        rss = ", ".join(f"{k} {fmt(v, 0)}" for k, v in r["peak_rss_mb"].items())
        lines.append(
            f"| {r['size']} | {r['accepted_per_second']:.0f} | {r['solves']} "
            f"| {fmt(prop['p50'])} / {fmt(prop['p95'])} / {fmt(prop['p99'])} "
            f"| {fmt(inbox['p50'])} / {fmt(inbox['p95'])} / {fmt(inbox['p99'])} "
            f"| {budget:.2f} | {r['solve_seconds_total']:.1f} ({r['solve_seconds_max']:.2f}) "
            f"| {alone['solve_seconds']:.2f} (+{alone['compile_seconds']:.1f} compile) | {rss} |")
    lines += ["", "CPU seconds per process, during the burst / until every project was planned:", ""]
    for r in results:
        if "error" not in r:
            cpu = r["cpu_seconds"]
            lines.append(f"- {r['size']} ({r['submission_seconds']:.1f} s of burst): " + ", ".join(
                f"{name} {cpu['burst'][name]:.1f} / {cpu['to_settle'][name]:.1f}"
                for name in cpu["burst"]))
    return "\n".join(lines)


def province(name: str, count: int, park_count: int, solver_time_limit: float) -> dict[str, Any]:
    done = subprocess.run([sys.executable, "-m", "guiyan_bench_e2e.province", str(count),
                           str(park_count), str(solver_time_limit)], capture_output=True, text=True)
    if done.returncode:
        raise RuntimeError(f"{name}: {done.stderr.strip().splitlines()[-1:]}")
    return {"size": name, **json.loads(done.stdout)}


def province_table(results: list[dict[str, Any]]) -> str:
    lines = ["A province, planned once through matching's planning functions in one process (not "
             "over the event path):", "",
             "| size | pairs eligible (per project p5 / median / p95) | compile s (rules + instance) "
             "| solve s (limit) | explain s | fingerprint s | whole plan s (budget: limit + 10) "
             "| offered / unplaced | objective, % of the solver's bound | peak RSS MB |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for r in results:
        if "error" in r:
            lines.append(f"| {r['size']} | {r['error']} |" + " |" * 8)
            continue
        each = r["eligible_per_project"]
        lines.append(
            f"| {r['size']} | {r['eligible_pairs']:,} of {r['pairs']:,} ({each['p5']:.0f} / "
            f"{each['median']:.0f} / {each['p95']:.0f}) | {r['compile_seconds']:.2f} "
            f"({r['rules_seconds']:.2f} + {r['instance_seconds']:.2f}) "
            f"| {r['solve_seconds']:.2f} ({r['solve_time_limit']:g}) | {r['explain_seconds']:.2f} "
            f"| {r['fingerprint_seconds']:.2f} | {r['plan_seconds']:.2f} "
            f"({r['solve_time_limit'] + 10:g}) | {r['offered']:,} / {r['unplaced']:,} "
            f"| {r['objective']:,.0f}, {100 * r['objective'] / r['bound']:.1f}% "
            f"| {r['peak_rss_mb']:.0f} |")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", default=",".join(SIZES), help="of " + ", ".join(SIZES))
    parser.add_argument("--concurrency", type=int, default=32)
    parser.add_argument("--solver-time-limit", type=float, default=5.0)
    parser.add_argument("--out", default="bench-results/e2e.json")
    arguments = parser.parse_args(argv)
    debounce = MatchingSettings().plan_debounce_seconds
    results = []
    with tempfile.TemporaryDirectory(prefix="guiyan-bench-e2e-") as work:
        for name in arguments.sizes.split(","):
            count, parks = SIZES[name]
            print(f"{name}: {count} projects, {parks} parks …", file=sys.stderr, flush=True)
            try:
                results.append(province(name, count, parks, arguments.solver_time_limit)
                               if name in PROVINCES else
                               measure(name, count, parks, arguments.concurrency,
                                       arguments.solver_time_limit, Path(work)))
            except RuntimeError as error:  # a size that fails is reported, and the rest still run
                results.append({"size": name, "error": str(error)})
    through_events = [r for r in results if r["size"] not in PROVINCES]
    provinces = [r for r in results if r["size"] in PROVINCES]
    if through_events:
        print(table(through_events, debounce))
    if provinces:
        print("\n" + province_table(provinces))
    out = Path(arguments.out)
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(json.dumps({"debounce_seconds": debounce, "results": results}, indent=2))
    print(f"\nwritten to {out}")
    return 1 if any("error" in r for r in results) else 0
