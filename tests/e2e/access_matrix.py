"""Who may call what: every endpoint of the portal against every kind of caller, with the status
each gets, for a resource of the caller's own city and for one of another city.

This table is both the access test (`test_access_matrix.py` sends every cell to a running system)
and the access documentation: `python tests/e2e/access_matrix.py docs/security.md` writes it
(and the bus's permissions) into that page, and a test fails when the page is stale.

A cell is one status, or `own · other`: the status for a resource of the caller's city, then for
one of the other city. The park's manager is the manager of the park the resource belongs to.
A leader reads what staff and admins read in their city, and changes nothing, but no person's
record. A station's head (the `station` role) reads their own station and its people, records
contacts with them, and sees nothing else: no park, project, proposal, plan or figure of the city.
"""

from __future__ import annotations

import sys
from dataclasses import dataclass
from pathlib import Path

# Tokens that prove nothing: refused alike (401) everywhere a token is needed.
BAD_TOKENS = ("none", "forged", "expired", "alg none", "HS512", "unknown city")
# Roles, in the resource's city and in another; "unregistered manager" holds a valid manager
# token for a user registry does not know.
CITY_ROLES = ("staff", "admin", "leader", "park's manager", "other park's manager",
              "unregistered manager", "station")
OTHER_CITY_ROLES = ("other city's staff", "other city's admin", "other city's manager")
CALLERS = (*BAD_TOKENS, *CITY_ROLES, *OTHER_CITY_ROLES)
# A web page's form is posted empty, as a browser posts a form with nothing filled in: a caller
# let through meets the form's own checks (422 where a field is required), one refused meets
# the refusal.
EMPTY_FORM = {"Content-Type": "application/x-www-form-urlencoded"}


# Parameters of a path that name no record of a city: a service, a language.
NOT_RECORDS = ("{service}", "{locale}")


@dataclass(frozen=True)
class Row:
    method: str
    # `{park}`, `{project}`, `{proposal}`, `{plan}`, `{letter}`, `{user}`, `{station}`,
    # `{person}`, `{task}`, `{channel}`, `{notification}`, `{delivery}` name a record;
    # `{erased}` a person erased already, `{deleted_channel}` a channel deleted already.
    path: str
    cells: dict[str, str]  # caller → status, or "own · other"

    @property
    def operation(self) -> str:
        return f"{self.method} {self.path}"

    @property
    def of_a_resource(self) -> bool:
        return "{" in self.path and not any(name in self.path for name in NOT_RECORDS)

    def expected(self, caller: str) -> str:
        if caller in BAD_TOKENS:
            status = self.cells.get("bad tokens", "401")
            return f"{status} · {status}" if self.of_a_resource else status
        return self.cells.get(caller) or self.cells["everyone"]


def row(method: str, path: str, everyone: str | None = None, **cells: str) -> Row:
    """Cells by caller, `_` for a space: `other_park_s_manager` is "other park's manager"."""
    named = {name.replace("_s_", "'s ").replace("_", " "): status for name, status in cells.items()}
    return Row(method, path, {**({"everyone": everyone} if everyone else {}), **named})


OWN, NOT_THEIRS = "200 · 404", "404 · 404"
ADMIN_ONLY = {"staff": "403", "leader": "403", "park_s_manager": "403",
              "other_park_s_manager": "403",
              "unregistered_manager": "403", "other_city_s_staff": "403",
              "other_city_s_manager": "403", "station": "403"}
# The city's records, read by staff, admins and leaders: neither managers nor a station's head.
NO_MANAGERS = {"park_s_manager": "403", "other_park_s_manager": "403",
               "unregistered_manager": "403", "other_city_s_manager": "403", "station": "403"}
# Changing projects: staff and admins only.
WRITERS = {**NO_MANAGERS, "leader": "403"}
# The same refusals of a record of either city: the role is checked before the record is sought.
ADMINS_RECORDS = {caller: "403 · 403" for caller in ADMIN_ONLY}
NO_MANAGERS_RECORDS = {caller: "403 · 403" for caller in NO_MANAGERS}
WRITERS_RECORDS = {caller: "403 · 403" for caller in WRITERS}
# A record of a park: its managers and whoever sees every park of the city; a station's head
# sees none (the record is looked up first, so another city's is not found).
PARKS_RECORDS = {"other_park_s_manager": "403 · 404", "unregistered_manager": "403 · 404",
                 "station": "403 · 404"}
# Deciding on an offer: the park's managers and admins; staff and leaders whatever the city.
DECIDERS = {"staff": "403 · 403", "leader": "403 · 403", "other_city_s_staff": "403 · 403",
            **PARKS_RECORDS, "station": "403 · 403"}
# People's records: staff and admins, and a station's head their station's people; neither
# leaders nor managers, whatever the city.
PEOPLE = {**{caller: status for caller, status in NO_MANAGERS.items() if caller != "station"},
          "leader": "403"}
PEOPLE_RECORDS = {caller: "403 · 403" for caller in PEOPLE}
STATIONS_OWN = {"station": "200 · 404"}
# A web page without a session, or with a token that proves nothing, sends the visitor to sign in.
SIGN_IN = {"bad_tokens": "303"}

MATRIX = (
    # Liveness, readiness and metrics, for probes and Prometheus; the system's health, naming
    # no record or city.
    row("GET", "/healthz", "200", bad_tokens="200"),
    row("GET", "/readyz", "200", bad_tokens="200"),
    row("GET", "/metrics", "200", bad_tokens="200"),
    row("GET", "/healthz/system", "200", bad_tokens="200"),
    row("GET", "/api/v1/health", "200", **ADMIN_ONLY),
    # Signing in needs no token: the empty body the matrix sends is refused alike.
    row("POST", "/api/v1/session", "422", bad_tokens="422"),
    row("DELETE", "/api/v1/session", "204", bad_tokens="204"),
    row("GET", "/api/v1/me", "200", unregistered_manager="404"),
    # The matrix sends a wrong current password.
    row("POST", "/api/v1/me/password", "422", unregistered_manager="404"),
    row("POST", "/api/v1/users", "201", **ADMIN_ONLY),
    row("GET", "/api/v1/users", "200", **ADMIN_ONLY),
    row("GET", "/api/v1/users/{user}", OWN, **ADMINS_RECORDS),
    row("PUT", "/api/v1/users/{user}", OWN, **ADMINS_RECORDS),
    row("POST", "/api/v1/users/{user}/password", OWN, **ADMINS_RECORDS),
    row("GET", "/api/v1/taxonomy", "200"),
    row("GET", "/api/v1/parks", "200", station="403"),
    row("GET", "/api/v1/parks/{park}", OWN, station="403 · 403"),
    row("POST", "/api/v1/parks", "201", **ADMIN_ONLY),
    row("PUT", "/api/v1/parks/{park}", OWN, **ADMINS_RECORDS),
    row("GET", "/api/v1/parks/{park}/occupancy", OWN, **PARKS_RECORDS),
    # A manager sees the chain map of their own parks.
    row("GET", "/api/v1/chains/coverage", "200", unregistered_manager="403", station="403"),
    row("GET", "/api/v1/chains/coverage?park_id={park}", OWN, **PARKS_RECORDS),
    row("GET", "/api/v1/projects", "200", **NO_MANAGERS),
    row("POST", "/api/v1/projects", "202", **WRITERS),
    row("GET", "/api/v1/projects/{project}", OWN, **PARKS_RECORDS),
    row("PUT", "/api/v1/projects/{project}", OWN, **WRITERS_RECORDS),
    row("POST", "/api/v1/projects/{project}/withdraw", OWN, **WRITERS_RECORDS),
    row("GET", "/api/v1/projects/{project}/history", OWN, **PARKS_RECORDS),
    row("GET", "/api/v1/projects/import-template.xlsx", "200", **WRITERS),
    row("POST", "/api/v1/projects/import", "422", **WRITERS),  # sent with no file
    row("GET", "/api/v1/projects/export.xlsx", "200", **NO_MANAGERS),
    row("GET", "/api/v1/parks/export.xlsx", "200", **NO_MANAGERS),
    row("GET", "/api/v1/plans/export.xlsx", "200", **NO_MANAGERS),
    row("GET", "/api/v1/exports", "200", **ADMIN_ONLY),
    row("GET", "/api/v1/proposals", "200", unregistered_manager="403", station="403"),
    row("GET", "/api/v1/proposals/export.xlsx", "200", unregistered_manager="403",
        station="403"),
    row("GET", "/api/v1/proposals/{proposal}", OWN, **PARKS_RECORDS),
    row("POST", "/api/v1/proposals/{proposal}/accept", OWN, **DECIDERS),
    row("POST", "/api/v1/proposals/{proposal}/reject", OWN, **DECIDERS),
    row("GET", "/api/v1/plans", "200", **NO_MANAGERS),
    row("GET", "/api/v1/plans/current", "200", **NO_MANAGERS),
    row("GET", "/api/v1/plans/{plan}", OWN, **NO_MANAGERS_RECORDS),
    row("POST", "/api/v1/plans/preview (of {park})", OWN, staff="403 · 403", leader="403 · 403",
        other_city_s_staff="403 · 403", park_s_manager="200 · 403",
        other_park_s_manager="403 · 403", unregistered_manager="403 · 403",
        other_city_s_manager="200 · 403", station="403 · 403"),
    # The dashboard's figures, each as JSON (an Excel workbook is the same answer's other form).
    row("GET", "/api/v1/stats/funnel", "200", **NO_MANAGERS),
    row("GET", "/api/v1/stats/breakdown?by=sector", "200", **NO_MANAGERS),
    row("GET", "/api/v1/stats/parks", "200", **NO_MANAGERS),
    row("GET", "/api/v1/stats/plans", "200", **NO_MANAGERS),
    # One's own notifications and preferences: everyone signed in, of any role.
    row("GET", "/api/v1/inbox", "200"),
    row("GET", "/api/v1/inbox/unread", "200"),
    row("POST", "/api/v1/inbox/read", "200"),
    row("GET", "/api/v1/preferences", "200"),
    row("PUT", "/api/v1/preferences", "200"),
    # Robots and webhooks: the city's admins. Deleting one deleted already finds none, as
    # erasing someone erased does.
    row("GET", "/api/v1/channels", "200", **ADMIN_ONLY),
    row("POST", "/api/v1/channels", "201", **ADMIN_ONLY),
    row("GET", "/api/v1/channels/{channel}", OWN, **ADMINS_RECORDS),
    row("PUT", "/api/v1/channels/{channel}", OWN, **ADMINS_RECORDS),
    row("DELETE", "/api/v1/channels/{deleted_channel}", NOT_THEIRS, **ADMINS_RECORDS),
    row("POST", "/api/v1/channels/{channel}/test", OWN, **ADMINS_RECORDS),
    row("GET", "/api/v1/channels/{channel}/deliveries", OWN, **ADMINS_RECORDS),
    # A notification's log: its user (the park's manager, offered a project) or the city's
    # admins; to anyone else it is not found.
    row("GET", "/api/v1/notifications/{notification}/deliveries", NOT_THEIRS, admin=OWN,
        park_s_manager=OWN, other_city_s_admin=OWN, other_city_s_manager=OWN),
    row("GET", "/api/v1/deliveries", "200", **ADMIN_ONLY),
    row("POST", "/api/v1/deliveries/{delivery}/resend", OWN, **ADMINS_RECORDS),
    # Stations: read by staff, admins and leaders, a station's head their own; changed by staff
    # and admins.
    row("GET", "/api/v1/stations", "200", **NO_MANAGERS),
    row("POST", "/api/v1/stations", "201", **WRITERS),
    row("GET", "/api/v1/stations/performance", "200", **NO_MANAGERS),
    row("GET", "/api/v1/stations/{station}", OWN, **{**NO_MANAGERS_RECORDS, **STATIONS_OWN}),
    row("PUT", "/api/v1/stations/{station}", OWN, **WRITERS_RECORDS),
    row("GET", "/api/v1/stations/{station}/performance", OWN,
        **{**NO_MANAGERS_RECORDS, **STATIONS_OWN}),
    # People: the person is of the station whose head the station caller is.
    row("GET", "/api/v1/people", "200", **PEOPLE),
    row("POST", "/api/v1/people", "201", **WRITERS),
    row("GET", "/api/v1/people/reads", "200", **ADMIN_ONLY),
    row("GET", "/api/v1/people/import-template.xlsx", "200", **WRITERS),
    row("POST", "/api/v1/people/import", "422", **WRITERS),  # sent with no file
    row("GET", "/api/v1/people/export.xlsx", "200", **WRITERS),
    row("GET", "/api/v1/people/{person}", OWN, **PEOPLE_RECORDS, **STATIONS_OWN),
    row("PUT", "/api/v1/people/{person}", OWN, **WRITERS_RECORDS),
    # Erasing someone erased already finds no one: the matrix erases no one it needs.
    row("DELETE", "/api/v1/people/{erased}", NOT_THEIRS, **WRITERS_RECORDS),
    row("GET", "/api/v1/people/{person}/contacts", OWN, **PEOPLE_RECORDS, **STATIONS_OWN),
    row("POST", "/api/v1/people/{person}/contacts", "201 · 404", **PEOPLE_RECORDS,
        station="201 · 404"),
    row("GET", "/api/v1/tasks", "200", **WRITERS),
    row("POST", "/api/v1/tasks", "201", **WRITERS),
    row("PUT", "/api/v1/tasks/{task}", OWN, **WRITERS_RECORDS),
    row("GET", "/api/v1/parks/{park}/leads", OWN, **WRITERS_RECORDS),
    row("GET", "/api/v1/dead-letters", "200", **ADMIN_ONLY),
    row("GET", "/api/v1/dead-letters/{letter}", OWN, **ADMINS_RECORDS),
    row("GET", "/api/v1/asyncapi/{service}", "200", **ADMIN_ONLY),
    # The web pages. Each role is sent to where it works; an unregistered manager meets there the
    # refusal any page of proposals gives them.
    row("GET", "/", "303", **SIGN_IN),
    row("GET", "/lang/{locale}", "303", bad_tokens="303"),
    row("GET", "/login", "200", bad_tokens="200"),
    # The empty form lacks the sign-in form's CSRF token: refused alike, before any password.
    row("POST", "/login", "403", bad_tokens="403"),
    row("POST", "/logout", "303", **SIGN_IN),
    row("GET", "/account", "200", unregistered_manager="404", **SIGN_IN),
    row("POST", "/account/password", "422", unregistered_manager="404", **SIGN_IN),
    row("GET", "/projects", "200", **NO_MANAGERS, **SIGN_IN),
    row("GET", "/projects/new", "200", **WRITERS, **SIGN_IN),
    row("GET", "/projects/import", "200", **WRITERS, **SIGN_IN),
    row("POST", "/projects/import", "422", **WRITERS, **SIGN_IN),
    row("POST", "/projects/new", "422", **WRITERS, **SIGN_IN),
    row("GET", "/projects/{project}", OWN, **PARKS_RECORDS, **SIGN_IN),
    row("GET", "/projects/{project}/edit", OWN, **WRITERS_RECORDS, **SIGN_IN),
    row("POST", "/projects/{project}/edit", "422 · 404", **WRITERS_RECORDS, **SIGN_IN),
    row("POST", "/projects/{project}/withdraw", "422 · 404", **WRITERS_RECORDS, **SIGN_IN),
    row("GET", "/proposals", "200", unregistered_manager="403", station="403", **SIGN_IN),
    row("GET", "/proposals/{proposal}", OWN, **PARKS_RECORDS, **SIGN_IN),
    # Accepting needs no field: the empty form accepts, and the page goes to the proposal.
    row("POST", "/proposals/{proposal}/accept", "303 · 404", **DECIDERS, **SIGN_IN),
    row("POST", "/proposals/{proposal}/reject", "422 · 404", **DECIDERS, **SIGN_IN),
    row("GET", "/parks", "200", unregistered_manager="403", station="403", **SIGN_IN),
    row("GET", "/parks/{park}", OWN, **PARKS_RECORDS, **SIGN_IN),
    row("GET", "/chains", "200", unregistered_manager="403", station="403", **SIGN_IN),
    row("GET", "/chains?park_id={park}", OWN, **PARKS_RECORDS, **SIGN_IN),
    # An empty what-if asks for a capacity to try.
    row("POST", "/parks/{park}/what-if", "422 · 404", **DECIDERS, **SIGN_IN),
    row("GET", "/admin/parks/new", "200", **ADMIN_ONLY, **SIGN_IN),
    row("POST", "/admin/parks/new", "422", **ADMIN_ONLY, **SIGN_IN),
    row("GET", "/admin/parks/{park}/edit", OWN, **ADMINS_RECORDS, **SIGN_IN),
    row("POST", "/admin/parks/{park}/edit", "422 · 404", **ADMINS_RECORDS, **SIGN_IN),
    row("GET", "/admin/users", "200", **ADMIN_ONLY, **SIGN_IN),
    row("GET", "/admin/users/new", "200", **ADMIN_ONLY, **SIGN_IN),
    row("POST", "/admin/users/new", "422", **ADMIN_ONLY, **SIGN_IN),
    row("GET", "/admin/users/{user}", OWN, **ADMINS_RECORDS, **SIGN_IN),
    row("POST", "/admin/users/{user}", "422 · 404", **ADMINS_RECORDS, **SIGN_IN),
    row("POST", "/admin/users/{user}/password", "422 · 404", **ADMINS_RECORDS, **SIGN_IN),
    row("GET", "/plans", "200", **NO_MANAGERS, **SIGN_IN),
    row("GET", "/dashboard", "200", **NO_MANAGERS, **SIGN_IN),
    row("GET", "/admin/dead-letters", "200", **ADMIN_ONLY, **SIGN_IN),
    # The inbox and one's preferences; marking with no item marks them all read.
    row("GET", "/inbox", "200", **SIGN_IN),
    row("POST", "/inbox/read", "303", **SIGN_IN),
    row("GET", "/account/notifications", "200", unregistered_manager="404", **SIGN_IN),
    row("POST", "/account/notifications", "303", unregistered_manager="404", **SIGN_IN),
    row("GET", "/admin/channels", "200", **ADMIN_ONLY, **SIGN_IN),
    row("GET", "/admin/channels/new", "200", **ADMIN_ONLY, **SIGN_IN),
    row("POST", "/admin/channels/new", "422", **ADMIN_ONLY, **SIGN_IN),
    row("GET", "/admin/channels/{channel}", OWN, **ADMINS_RECORDS, **SIGN_IN),
    row("GET", "/admin/channels/{channel}/edit", OWN, **ADMINS_RECORDS, **SIGN_IN),
    row("POST", "/admin/channels/{channel}/edit", "422 · 404", **ADMINS_RECORDS, **SIGN_IN),
    row("POST", "/admin/channels/{channel}/test", OWN, **ADMINS_RECORDS, **SIGN_IN),
    row("GET", "/admin/channels/{channel}/delete", OWN, **ADMINS_RECORDS, **SIGN_IN),
    row("POST", "/admin/channels/{deleted_channel}/delete", NOT_THEIRS, **ADMINS_RECORDS,
        **SIGN_IN),
    row("GET", "/admin/deliveries", "200", **ADMIN_ONLY, **SIGN_IN),
    row("POST", "/admin/deliveries/{delivery}/resend", "303 · 404", **ADMINS_RECORDS,
        **SIGN_IN),
    # The pages of stations, people, tasks and leads: the API's rules. A station's head is sent
    # from the list of stations to their own.
    row("GET", "/stations", "200", **{**NO_MANAGERS, "station": "303"}, **SIGN_IN),
    row("GET", "/stations/new", "200", **WRITERS, **SIGN_IN),
    row("POST", "/stations/new", "422", **WRITERS, **SIGN_IN),
    row("GET", "/stations/{station}", OWN, **{**NO_MANAGERS_RECORDS, **STATIONS_OWN},
        **SIGN_IN),
    row("GET", "/stations/{station}/edit", OWN, **WRITERS_RECORDS, **SIGN_IN),
    row("POST", "/stations/{station}/edit", "422 · 404", **WRITERS_RECORDS, **SIGN_IN),
    row("GET", "/people", "200", **PEOPLE, **SIGN_IN),
    row("GET", "/people/new", "200", **WRITERS, **SIGN_IN),
    row("POST", "/people/new", "422", **WRITERS, **SIGN_IN),
    row("GET", "/people/import", "200", **WRITERS, **SIGN_IN),
    row("POST", "/people/import", "422", **WRITERS, **SIGN_IN),
    row("GET", "/people/{person}", OWN, **PEOPLE_RECORDS, **STATIONS_OWN, **SIGN_IN),
    row("GET", "/people/{person}/edit", OWN, **WRITERS_RECORDS, **SIGN_IN),
    row("POST", "/people/{person}/edit", "422 · 404", **WRITERS_RECORDS, **SIGN_IN),
    row("GET", "/people/{person}/erase", OWN, **WRITERS_RECORDS, **SIGN_IN),
    row("POST", "/people/{erased}/erase", NOT_THEIRS, **WRITERS_RECORDS, **SIGN_IN),
    row("GET", "/people/{person}/contacts/new", OWN, **PEOPLE_RECORDS, **STATIONS_OWN,
        **SIGN_IN),
    row("POST", "/people/{person}/contacts/new", "422 · 404", **PEOPLE_RECORDS,
        station="422 · 404", **SIGN_IN),
    row("GET", "/tasks", "200", **WRITERS, **SIGN_IN),
    row("GET", "/tasks/new?person_id={person}", OWN, **WRITERS_RECORDS, **SIGN_IN),
    # A task's form without its person is refused before anything is sought.
    row("POST", "/tasks/new", "422", **WRITERS, **SIGN_IN),
    row("POST", "/tasks/{task}/done", "422 · 422", **WRITERS_RECORDS, **SIGN_IN),
    row("POST", "/tasks/{task}/cancel", "422 · 422", **WRITERS_RECORDS, **SIGN_IN),
    row("GET", "/parks/{park}/leads", OWN, **WRITERS_RECORDS, **SIGN_IN),
)


def render_matrix() -> str:
    head = "| operation | " + " | ".join(CALLERS) + " |"
    rule = "|---" * (len(CALLERS) + 1) + "|"
    lines = [head, rule]
    for entry in MATRIX:
        lines.append(f"| `{entry.operation}` | "
                     + " | ".join(entry.expected(caller) for caller in CALLERS) + " |")
    return "\n".join(lines)


def render_bus_permissions() -> str:
    from guiyan_eventing.identities import SYSTEM, permissions

    lines = ["| identity | may publish | may subscribe | replies to requests |", "|---|---|---|---|"]
    for identity in SYSTEM:
        granted = permissions(identity)
        lines.append(f"| `{identity}` | " + "<br>".join(f"`{s}`" for s in granted.publish)
                     + " | " + "<br>".join(f"`{s}`" for s in granted.subscribe)
                     + f" | {'yes' if granted.allow_responses else 'no'} |")
    return "\n".join(lines)


SECTIONS = {"access-matrix": render_matrix, "bus-permissions": render_bus_permissions}


def rewritten(page: str) -> str:
    """The page with each generated section between its markers made anew."""
    for name, render in SECTIONS.items():
        start, end = f"<!-- {name}:start -->", f"<!-- {name}:end -->"
        before, _, rest = page.partition(start)
        _, _, after = rest.partition(end)
        page = f"{before}{start}\n{render()}\n{end}{after}"
    return page


if __name__ == "__main__":
    target = Path(sys.argv[1] if len(sys.argv) > 1 else "docs/security.md")
    target.write_text(rewritten(target.read_text("utf-8")), "utf-8")
    print(f"wrote the access matrix and the bus's permissions into {target}")
