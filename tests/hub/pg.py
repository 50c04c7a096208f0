"""A real PostgreSQL for the hub tests: initdb in a temporary folder, 127.0.0.1 only, a
free port, the socket inside the folder. As root, the server runs as the postgres user."""

from __future__ import annotations

import argparse
import glob
import os
import shutil
import socket
import subprocess
import tempfile
import time
import uuid
from pathlib import Path

from adviser_app.sync import admin, connection_file
from adviser_app.sync.connection_file import HubSettings

INSTALL_HINT = ("PostgreSQL's server programs were not found (/usr/lib/postgresql/*/bin): "
                "install the Debian package `postgresql` (scripts/run-tests.sh does this).")


def server_bin() -> Path | None:
    found = sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb"),
                   key=lambda p: int(Path(p).parent.parent.name))
    return Path(found[-1]).parent if found else None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


class PgCluster:
    def __init__(self) -> None:
        bindir = server_bin()
        if bindir is None:
            raise RuntimeError(INSTALL_HINT)
        self.bin = bindir
        self.folder = Path(tempfile.mkdtemp(prefix="adviser-hub-test-"))
        self.data = self.folder / "data"
        self.port = _free_port()
        self.as_postgres = os.geteuid() == 0
        if self.as_postgres:
            shutil.chown(self.folder, "postgres", "postgres")
        self.folder.chmod(0o700)
        self._run("initdb", "-D", str(self.data), "-A", "trust", "-U", "postgres",
                  "--no-sync", "-E", "UTF8", "--locale", "C")
        self.start()

    def _run(self, program: str, *args: str) -> None:
        cmd = [str(self.bin / program), *args]
        if self.as_postgres:
            cmd = ["runuser", "-u", "postgres", "--", *cmd]
        subprocess.run(cmd, check=True, capture_output=True, timeout=120)

    def start(self) -> None:
        options = (f"-p {self.port} -k {self.folder} -c listen_addresses=127.0.0.1 "
                   "-c max_connections=60 -c shared_buffers=32MB "
                   # a crash here kills the processes, not the machine: what was committed is
                   # in the page cache either way, and startup need not fsync every file
                   "-c fsync=off")
        self._run("pg_ctl", "-D", str(self.data), "-o", options, "-l",
                  str(self.folder / "log"), "-w", "-t", "60", "start")

    def crash(self) -> None:
        """A real crash: the server is killed with no checkpoint."""
        self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")

    def restart_after_crash(self) -> None:
        for _ in range(50):
            try:
                self.start()
                return
            except subprocess.CalledProcessError:
                time.sleep(0.1)
        self.start()

    def is_running(self) -> bool:
        return (self.data / "postmaster.pid").exists()

    def stop(self) -> None:
        try:
            # thrown away next: no shutdown checkpoint of every test database
            self._run("pg_ctl", "-D", str(self.data), "-m", "immediate", "-w", "stop")
        finally:
            shutil.rmtree(self.folder, ignore_errors=True)

    def admin_args(self, database: str, *command: str) -> list[str]:
        return ["--admin-host", str(self.folder), "--admin-port", str(self.port),
                "--database", database, *command]

    def namespace(self, database: str) -> argparse.Namespace:
        return argparse.Namespace(admin_host=str(self.folder), admin_port=self.port,
                                  admin_user="postgres", database=database)


class HubDb:
    """One hub database in the test cluster, with its users."""

    def __init__(self, cluster: PgCluster, folder: Path, name: str | None = None) -> None:
        self.cluster = cluster
        self.name = name or f"hub_{uuid.uuid4().hex[:10]}"
        self.folder = folder
        folder.mkdir(parents=True, exist_ok=True)
        if name is None:
            admin.create_hub_database(cluster.namespace(self.name), self.name)
            with admin.admin_connect(cluster.namespace(self.name), self.name) as conn:
                conn.execute("INSERT INTO hub.setting (key, value) VALUES ('public_host', "
                             "'127.0.0.1'), ('public_port', %s)", [str(cluster.port)])

    def add_user(self, name: str | None = None) -> HubSettings:
        name = name or f"u_{uuid.uuid4().hex[:10]}"
        out = self.folder / f"{name}.adviser-hub"
        code = admin.main(self.cluster.admin_args(self.name, "add-user", name, "--out",
                                                  str(out)))
        assert code == 0
        return connection_file.read(out)

    def admin(self):  # type: ignore[no-untyped-def]
        return admin.admin_connect(self.cluster.namespace(self.name), self.name)
