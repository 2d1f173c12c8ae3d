"""A throwaway PostgreSQL cluster for the central server's tests (initdb + pg_ctl in a temp dir).

The server listens on a Unix socket in its own folder only (no TCP port to collide with), and
is stopped and deleted at the end of the session. PostgreSQL refuses to run as root: when the
tests are root (CI containers), the cluster runs as the `postgres` (or `nobody`) user.

`Cluster` is the same server in a folder the caller keeps (a bench's cached region), and
`Cluster.replica` a streaming replica of it made with `pg_basebackup`.
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

# The tests' settings: nothing written is worth an fsync.
FAST = "-c fsync=off -c synchronous_commit=off -c full_page_writes=off"


def _binary(name: str) -> str | None:
    found = shutil.which(name)
    if found:
        return found
    for candidate in sorted(Path("/usr/lib/postgresql").glob(f"*/bin/{name}"), reverse=True):
        return str(candidate)
    return None


def available(*extra: str) -> bool:
    return all(_binary(n) for n in ("initdb", "pg_ctl", "postgres", *extra))


class Cluster:
    """A PostgreSQL server whose data lives in `root/data`, on a socket in `root`."""

    def __init__(self, root: Path, settings: str = FAST) -> None:
        self.root = root
        self.data = root / "data"
        self.socket_dir = root
        self.settings = settings
        self._names = itertools.count(1)
        self._run_as: list[str] = []
        self.user = pwd.getpwuid(os.geteuid()).pw_name
        if os.geteuid() == 0:
            self.user = "postgres" if _user_exists("postgres") else "nobody"
            entry = pwd.getpwnam(self.user)
            os.chown(self.root, entry.pw_uid, entry.pw_gid)
            self._run_as = ["runuser", "-u", self.user, "--"]

    def _run(self, *args: str, timeout: float = 120) -> None:
        subprocess.run([*self._run_as, *args], check=True, capture_output=True, timeout=timeout,
                       cwd=self.root)

    def initialise(self) -> None:
        initdb = _binary("initdb")
        assert initdb
        self._run(initdb, "-D", str(self.data), "-U", self.user, "-A", "trust", "-E", "UTF8",
                  "--locale=C.UTF-8", "--no-sync")

    def start(self) -> None:
        if not (self.data / "PG_VERSION").exists():
            self.initialise()
        pg_ctl = _binary("pg_ctl")
        assert pg_ctl
        options = (f"-k {self.socket_dir} -c listen_addresses='' -c max_connections=200 "
                   f"{self.settings}")
        self._run(pg_ctl, "-D", str(self.data), "-o", options, "-l", str(self.root / "log"),
                  "-w", "-t", "600", "start", timeout=660)

    def stop(self, mode: str = "fast") -> None:
        pg_ctl = _binary("pg_ctl")
        if pg_ctl and (self.data / "postmaster.pid").exists():
            self._run(pg_ctl, "-D", str(self.data), "-m", mode, "-w", "-t", "600", "stop",
                      timeout=660)

    def _admin(self) -> psycopg.Connection[tuple[object, ...]]:
        return psycopg.connect(host=str(self.socket_dir), user=self.user, dbname="postgres",
                               autocommit=True)

    def url(self, name: str) -> str:
        return f"postgresql+psycopg://{self.user}@/{name}?host={self.socket_dir}"

    def new_database(self) -> str:
        """A fresh empty database; its SQLAlchemy URL."""
        return self.new_database_named(f"central_{next(self._names)}")

    def new_database_named(self, name: str) -> str:
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
            conn.execute(f'CREATE DATABASE "{name}"')
        return self.url(name)

    def drop_database(self, url: str) -> None:
        name = url.split("@/", 1)[1].split("?", 1)[0]
        with self._admin() as conn:
            conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')

    def replica(self, root: Path) -> Cluster:
        """A hot standby of this server in `root` (a folder its user may enter), streaming
        from it over the socket (`pg_basebackup -R` writes the connection and the standby
        signal); started."""
        basebackup = _binary("pg_basebackup")
        assert basebackup
        root.mkdir(parents=True, exist_ok=True)
        standby = Cluster(root, self.settings)
        standby._run(basebackup, "-D", str(standby.data), "-h", str(self.socket_dir),
                     "-U", self.user, "-X", "stream", "-R", "--no-sync", "-c", "fast")
        standby.start()
        return standby


class ThrowawayCluster(Cluster):
    """A cluster in a temp dir of its own, deleted when stopped."""

    def __init__(self) -> None:
        super().__init__(Path(tempfile.mkdtemp(prefix="cac-pg-")))

    def stop(self, mode: str = "immediate") -> None:
        super().stop(mode)
        shutil.rmtree(self.root, ignore_errors=True)


def _user_exists(name: str) -> bool:
    try:
        pwd.getpwnam(name)
    except KeyError:
        return False
    return True
