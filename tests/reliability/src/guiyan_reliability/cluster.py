"""A PostgreSQL cluster of the suite's own, made with Debian's `initdb` and run with `pg_ctl` on a
free port of 127.0.0.1, so that a scenario may stop it the hard way and start it again. The
machine's own server (on 5432) is never touched.

`pg_ctl stop -m immediate` is a crash as far as the data is concerned: every backend is killed
with no checkpoint, and the next start replays the write-ahead log. fsync stays on, as in
production, so what a commit acknowledged must survive it.

initdb and postgres refuse to run as root; as root, they run as the `postgres` user (runuser) in a
directory that user owns.
"""

from __future__ import annotations

import os
import pwd
import re
import shutil
import subprocess
import tempfile
import uuid
from pathlib import Path

from sqlalchemy import create_engine, text

from guiyan_eventing.natsd import free_port

SERVICE_ACCOUNT = "postgres"


class PostgresUnavailable(RuntimeError):
    """No PostgreSQL server binaries where the suite runs."""


def server_binaries() -> Path | None:
    """The directory of `initdb` and `pg_ctl`: from PATH, else Debian's newest major version."""
    if found := shutil.which("initdb"):
        return Path(found).resolve().parent
    installed = sorted(Path("/usr/lib/postgresql").glob("*/bin/initdb"),
                       key=lambda path: int(re.sub(r"\D", "", path.parent.parent.name) or 0))
    return installed[-1].parent if installed else None


class PostgresCluster:
    def __init__(self) -> None:
        binaries = server_binaries()
        if binaries is None:
            raise PostgresUnavailable("initdb was not found (Debian: apt-get install postgresql)")
        self.binaries = binaries
        self.root = Path(tempfile.mkdtemp(prefix="guiyan-reliability-pg-"))
        self.data = self.root / "data"
        self.port = free_port()
        self._as_root = os.geteuid() == 0
        if self._as_root:
            account = pwd.getpwnam(SERVICE_ACCOUNT)
            os.chown(self.root, account.pw_uid, account.pw_gid)
        try:
            self._run("initdb", "--pgdata", str(self.data), "--username", "postgres",
                      "--auth", "trust", "--encoding", "UTF8", "--locale", "C", "--no-sync")
        except RuntimeError:
            shutil.rmtree(self.root, ignore_errors=True)
            raise

    @property
    def admin_url(self) -> str:
        return f"postgresql://postgres@127.0.0.1:{self.port}/postgres"

    def _run(self, program: str, *arguments: str) -> None:
        command = [str(self.binaries / program), *arguments]
        if self._as_root:
            command = ["runuser", "-u", SERVICE_ACCOUNT, "--", *command]
        finished = subprocess.run(command, cwd=self.root, capture_output=True, text=True,
                                  timeout=120)
        if finished.returncode != 0:
            raise RuntimeError(f"{program} failed ({finished.returncode}): "
                               f"{(finished.stderr or finished.stdout).strip()[-2000:]}")

    def start(self) -> None:
        """Start, and wait until it takes connections (after a crash: once recovery is done)."""
        options = f"-p {self.port} -c listen_addresses=127.0.0.1 -k {self.root}"
        self._run("pg_ctl", "--pgdata", str(self.data), "--log", str(self.root / "postgres.log"),
                  "--options", options, "--wait", "--timeout", "120", "start")

    def crash(self) -> None:
        """Stop with no checkpoint and no goodbye to any client: what a crash leaves behind."""
        self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "immediate", "--wait", "stop")

    def create_database(self) -> str:
        """A fresh database; its URL."""
        name = f"guiyan_{uuid.uuid4().hex[:12]}"
        admin = create_engine(self.admin_url.replace("postgresql://", "postgresql+psycopg://"),
                              isolation_level="AUTOCOMMIT")
        try:
            with admin.connect() as connection:
                connection.execute(text(f'CREATE DATABASE "{name}"'))
        finally:
            admin.dispose()
        return f"postgresql://postgres@127.0.0.1:{self.port}/{name}"

    def remove(self) -> None:
        """Stop (if running) and delete the cluster."""
        if (self.data / "postmaster.pid").exists():
            self._run("pg_ctl", "--pgdata", str(self.data), "--mode", "fast", "--wait", "stop")
        shutil.rmtree(self.root, ignore_errors=True)
