"""A real PostgreSQL hub for the whole session (never skipped: without PostgreSQL installed
these tests fail and say how to install it)."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from hub.pg import INSTALL_HINT, HubDb, PgCluster, server_bin

from adviser_app.sync import admin


@pytest.fixture(scope="session")
def pg() -> Iterator[PgCluster]:
    if server_bin() is None:
        pytest.fail(INSTALL_HINT, pytrace=False)
    cluster = PgCluster()
    try:
        code = admin.main(cluster.admin_args("adviser_hub", "init", "--public-host",
                                             "127.0.0.1", "--public-port", str(cluster.port)))
        assert code == 0, "adviser-hub init failed"
        yield cluster
    finally:
        cluster.stop()


@pytest.fixture
def hub_db(pg: PgCluster, tmp_path: Path) -> HubDb:
    if not pg.is_running():
        pg.restart_after_crash()
    return HubDb(pg, tmp_path)
