"""`make reliability`: fault scenarios on real processes, a real nats-server and a real PostgreSQL
cluster (or SQLite), each during a burst of submissions with decisions mixed in; then, once the
system has settled, every invariant is checked against what the databases and streams hold.

Each scenario runs on a system of its own, started fresh with the demo city's parks. The burst
submits at least `--submissions` projects at `--per-second`, for as long as the faults run, while
park managers accept and reject offers (`load.py`); the faults are `faults.py`'s, on a schedule
drawn from `--seed`. It prints one table, and writes it with the details as JSON.

Columns:
- runs: faults injected in the scenario: processes killed, servers restarted, messages
  published by the harness.
- submissions, decisions: requests the portal acknowledged (202 for a submission, 200 for an
  accept or a reject), after retries with their Idempotency-Key.
- events: messages the event streams (GUIYAN_REGISTRY, GUIYAN_MATCHING) stored during the
  scenario, the injected ones included.
- lost: acknowledged writes, or their due consequences, missing once the system settled: an
  accepted submission with no project (or a project matching never heard of, or left without a
  current state), an acknowledged decision not recorded, a step of a proposal never published,
  an event without the inbox item it owes a recipient, a genuine message parked as a dead
  letter, an injected message not parked, an outbox row or a consumer's message still waiting.
- doubled: what must exist once, more often: a submission stored twice, a project announced twice
  or with two current states (two live proposals), a proposal's step published twice, two inbox
  items for one event and recipient, an event stored twice in its stream, a message parked twice;
  and each park holding more than its capacity (a place promised twice over).
- phantom writes: records no acknowledged request accounts for: a stored project nobody was
  told was accepted, a decision or withdrawal nobody asked for, an inbox item from no event, and
  anything a poison or forged message changed (a claim of a forged event, a park matching sees
  otherwise than registry does, a user notification knows and registry does not).
- settled: how long the system took, after the burst, to settle (`settle.py`); a system that
  did not settle within `--settle-timeout` fails its row, and its checks still run.

`invariants.py` defines each check. lost = 0 and doubled = 0 in every row is the pass line; a row
also fails if the system did not settle, a scenario could not run, or the client got an answer
it should never get (a 500, a 4xx to a valid submission, no answer at all after five minutes of
retries).
"""

from __future__ import annotations

import argparse
import asyncio
import json
import random
import shutil
import sys
import time
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

from . import records
from .bus import EVENT_STREAMS
from .cluster import PostgresCluster, PostgresUnavailable
from .faults import FaultContext
from .fuzzing import FuzzRow, fuzz_every_role
from .invariants import Check, Evidence, check_all
from .load import Burst, LoadSettings, run_burst
from .scenarios import SCENARIOS, Scenario
from .settle import Settled, settle
from .system import running_system

STORES = ("sqlite", "postgres")
EXPECTED_ANSWERS = {"submit": {202}, "decide": {200, 409}}


@dataclass(frozen=True)
class RunSettings:
    load: LoadSettings = field(default_factory=LoadSettings)
    settle_timeout_seconds: float = 300.0
    environment: dict[str, str] = field(default_factory=dict)  # for every service


@dataclass
class Row:
    scenario: str
    store: str
    runs: int = 0
    submissions: int = 0
    decisions: int = 0
    events: int = 0
    checks: list[Check] = field(default_factory=list)
    settled: Settled | None = None
    error: str | None = None
    unexpected_answers: dict[str, int] = field(default_factory=dict)
    answers: dict[str, int] = field(default_factory=dict)
    failed_attempts: dict[str, int] = field(default_factory=dict)  # each retried, by what failed
    retries: int = 0
    burst_seconds: float = 0.0
    seconds: float = 0.0
    timeline: list[str] = field(default_factory=list)
    var_dir: str = ""

    @property
    def lost(self) -> int:
        return sum(c.lost for c in self.checks)

    @property
    def doubled(self) -> int:
        return sum(c.doubled for c in self.checks)

    @property
    def phantom(self) -> int:
        return sum(c.phantom for c in self.checks)

    @property
    def passed(self) -> bool:
        return (self.error is None and self.settled is not None and self.settled.ok
                and self.lost == self.doubled == 0 and not self.unexpected_answers)

    def problems(self) -> list[str]:
        found = [f"could not run: {self.error}"] if self.error else []
        if self.settled is not None and not self.settled.ok:
            found.append(f"did not settle in {self.settled.seconds:.0f} s: "
                         + "; ".join(self.settled.outstanding))
        found += [f"{count} × {answer}" for answer, count in self.unexpected_answers.items()]
        found += [f"{c.name}: {example}" for c in self.checks if not c.passed
                  for example in c.examples]
        return found

    def as_json(self) -> dict[str, Any]:
        return {**asdict(self), "lost": self.lost, "doubled": self.doubled,
                "phantom_writes": self.phantom, "passed": self.passed}


def unexpected(burst: Burst) -> dict[str, int]:
    """Final answers a correct system never gives to this client."""
    return {answer: count for answer, count in burst.statuses().items()
            if not answer.split()[1].isdigit()
            or int(answer.split()[1]) not in EXPECTED_ANSWERS[answer.split()[0]]}


def run_scenario(scenario: Scenario, store: str, seed: int, settings: RunSettings,
                 work_dir: Path, cluster: PostgresCluster | None = None) -> Row:
    """One scenario on a fresh system: the burst with its faults, the wait to settle, the checks."""
    row = Row(scenario.name, store)
    var_dir = work_dir / f"{store}-{scenario.name}"
    shutil.rmtree(var_dir, ignore_errors=True)
    row.var_dir = str(var_dir)
    started = time.monotonic()
    try:
        with running_system(var_dir, cluster if store == "postgres" else None,
                            settings.environment) as system:
            before = records.stream_sequences(system)
            context = FaultContext(system, random.Random(f"{seed}:{scenario.name}"),
                                   settings.load.submissions / settings.load.per_second)
            burst = context.burst
            try:
                row.runs = asyncio.run(run_burst(
                    system.portal_url, system.tokens, settings.load, seed, burst,
                    lambda: asyncio.to_thread(scenario.inject, context), context.progress))
            finally:
                row.timeline = context.timeline
            row.settled = settle(system, settings.settle_timeout_seconds)
            after = records.stream_sequences(system)
            row.events = sum(after[stream] - before[stream] for stream in EVENT_STREAMS)
            evidence = Evidence(burst, context.injected, records.read_stores(system),
                                asyncio.run(records.read_streams(system)))
            row.checks = check_all(evidence)
    except Exception as error:
        row.error = f"{type(error).__name__}: {error}"
    else:
        row.submissions = sum(s.acknowledged for s in burst.submissions)
        row.decisions = sum(d.acknowledged for d in burst.decisions)
        row.answers, row.retries = burst.statuses(), burst.retries()
        row.failed_attempts = burst.failed_attempts()
        row.unexpected_answers = unexpected(burst)
        row.burst_seconds = burst.seconds
    row.seconds = time.monotonic() - started
    return row


def table(rows: list[Row]) -> str:
    lines = ["| scenario | store | runs | submissions | decisions | events | lost | doubled "
             "| phantom writes | settled | result |",
             "|---|---|--:|--:|--:|--:|--:|--:|--:|--:|---|"]
    for row in rows:
        settled = ("—" if row.settled is None else f"{row.settled.seconds:.0f} s"
                   if row.settled.ok else f"no ({row.settled.seconds:.0f} s)")
        lines.append(f"| {row.scenario} | {row.store} | {row.runs} | {row.submissions:,} "
                     f"| {row.decisions:,} | {row.events:,} | {row.lost} | {row.doubled} "
                     f"| {row.phantom} | {settled} | {'pass' if row.passed else 'FAIL'} |")
    return "\n".join(lines)


def chosen_scenarios(names: str | None) -> list[Scenario]:
    if not names:
        return list(SCENARIOS)
    known = {scenario.name: scenario for scenario in SCENARIOS}
    if unknown := [name for name in names.split(",") if name not in known]:
        raise SystemExit(f"no scenario {', '.join(unknown)}; there are: {', '.join(known)}")
    return [known[name] for name in names.split(",")]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--store", choices=(*STORES, "both"), default="both")
    parser.add_argument("--seed", type=int, default=231)
    parser.add_argument("--scenarios", help="comma-separated, of: "
                        + ", ".join(s.name for s in SCENARIOS))
    parser.add_argument("--submissions", type=int, default=LoadSettings.submissions)
    parser.add_argument("--per-second", type=float, default=LoadSettings.per_second)
    parser.add_argument("--settle-timeout", type=float,
                        default=RunSettings.settle_timeout_seconds)
    parser.add_argument("--work-dir", type=Path, default=Path("var/reliability"))
    parser.add_argument("--out", type=Path, default=Path("bench-results/reliability.json"))
    parser.add_argument("--fuzz-examples", type=int, default=40,
                        help="schemathesis examples per operation and phase; 0: no fuzzing")
    arguments = parser.parse_args(argv)
    scenarios = chosen_scenarios(arguments.scenarios)
    settings = RunSettings(LoadSettings(submissions=arguments.submissions,
                                        per_second=arguments.per_second),
                           arguments.settle_timeout)
    stores = list(STORES) if arguments.store == "both" else [arguments.store]
    notes: list[str] = []
    cluster = None
    if "postgres" in stores:
        try:
            cluster = PostgresCluster()
            cluster.start()
        except (PostgresUnavailable, RuntimeError) as error:  # missing, or would not start
            if cluster is not None:
                cluster.remove()
                cluster = None
            notes.append(f"PostgreSQL rows skipped: {error}")
            print(notes[-1], file=sys.stderr)
            stores.remove("postgres")
    rows: list[Row] = []
    try:
        for store in stores:
            for scenario in scenarios:
                if scenario.needs_postgres and store != "postgres":
                    continue
                print(f"[{store}] {scenario.name} …", file=sys.stderr, flush=True)
                rows.append(run_scenario(scenario, store, arguments.seed, settings,
                                         arguments.work_dir, cluster))
                row = rows[-1]
                print(f"[{store}] {scenario.name}: {'pass' if row.passed else 'FAIL'} in "
                      f"{row.seconds:.0f} s (burst {row.burst_seconds:.0f} s, "
                      f"{row.retries} retries)", file=sys.stderr, flush=True)
    finally:
        if cluster is not None:
            cluster.remove()
    print(table(rows))
    for row in rows:
        for problem in row.problems():
            notes.append(f"{row.scenario} on {row.store}: {problem} (logs: {row.var_dir}/logs)")
    if notes:
        print("\n" + "\n".join(f"- {note}" for note in notes))
    passed = bool(rows) and all(row.passed for row in rows)
    print(f"\n{'pass' if passed else 'FAIL'}: lost = 0 and doubled = 0 in "
          f"{sum(r.lost == r.doubled == 0 for r in rows)} of {len(rows)} rows")
    fuzzed: list[FuzzRow] = []
    if arguments.fuzz_examples > 0:
        print("[sqlite] fuzzing the portal as each role …", file=sys.stderr, flush=True)
        fuzzed, reports = fuzz_every_role(arguments.work_dir, arguments.seed,
                                          arguments.fuzz_examples)
        print("\n| fuzzing | cases | failed | result |\n|---|--:|--:|---|")
        print("\n".join(row.line() for row in fuzzed))
        for report in reports:
            print(report)
        cases = sum(row.cases for row in fuzzed)
        clean = all(row.clean for row in fuzzed)
        print(f"\n{'pass' if clean else 'FAIL'}: {cases} generated requests, "
              f"{sum(row.failed for row in fuzzed)} got a 5xx or an answer off its schema")
        passed = passed and clean
    arguments.out.parent.mkdir(parents=True, exist_ok=True)
    arguments.out.write_text(json.dumps({
        "seed": arguments.seed, "stores": stores, "settings": asdict(settings), "notes": notes,
        "rows": [row.as_json() for row in rows],
        "fuzzing": [asdict(row) for row in fuzzed]}, indent=2, ensure_ascii=False))
    print(f"written to {arguments.out}")
    return 0 if passed else 1
