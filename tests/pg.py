"""A throwaway PostgreSQL cluster for the central server's tests (initdb + pg_ctl in a temp dir).

The server listens on a Unix socket in its own folder only (no TCP port to collide with), and
is stopped and deleted at the end of the session. PostgreSQL refuses to run as root: when the
tests are root (CI containers), the cluster runs as the `postgres` (or `nobody`) user.
"""

from __future__ import annotations

import itertools
import os
import pwd
import shutil
import subprocess
import tempfile
from pathlib import Path

import psycopg


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


def available() -> bool:
    return all(_binary(n) for n in ("initdb", "pg_ctl", "postgres"))


class ThrowawayCluster:
    def __init__(self) -> None:
        self.root = Path(tempfile.mkdtemp(prefix="cac-pg-"))
        self.data = self.root / "data"
        self.socket_dir = self.root
        self._names = itertools.count(1)
        self._run_as: list[str] = []
        self.user = pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            self.user = "postgres" if _user_exists("postgres") else "nobody"
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            self._run_as = ["runuser", "-u", self.user, "--"]

    def _run(self, *args: str) -> None:
        subprocess.run([*self._run_as, *args], check=True, capture_output=True, timeout=120,
                       cwd=self.root)

    def start(self) -> None:
        initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
        assert initdb and pg_ctl
        self._run(initdb, "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")
        options = (f"-k {self.socket_dir} -c listen_addresses='' -c fsync=off "
                   "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200")
        self._run(pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "-t", "60", "start")

    def stop(self) -> None:
        pg_ctl = _binary("pg_ctl")
        if pg_ctl and (self.data / "postmaster.pid").exists():
            self._run(pg_ctl, "-D", str(self.data), "-m", "immediate", "-w", "stop")
        shutil.rmtree(self.root, ignore_errors=True)

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(host=str(self.socket_dir), user=self.user, dbname="postgres",
                               autocommit=True)

    def new_database(self) -> str:
        """A fresh empty database; its SQLAlchemy URL."""
        name = f"central_{next(self._names)}"
        with self._admin() as conn:
            conn.execute(f'CREATE DATABASE "{name}"')
        return f"postgresql+psycopg://{self.user}@/{name}?host={self.socket_dir}"

    def drop_database(self, url: str) -> None:
        name = url.split("@/", 1)[1].split("?", 1)[0]
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
