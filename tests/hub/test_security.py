"""Security and plain errors: roles that can only call the functions, TLS with the hub's own
CA, scram-sha-256, removed users, tampered files; one sentence each, nothing lost."""

from __future__ import annotations

import dataclasses
import json
from datetime import UTC, datetime, timedelta
from pathlib import Path

import psycopg
import pytest
from hub.laptops import Laptop
from hub.pg import HubDb, PgCluster

from adviser_app.store import families
from adviser_app.sync import admin, certs, connection_file
from adviser_app.sync.connection_file import HubSettings
from adviser_app.sync.errors import HubError
from adviser_app.sync.hub import Hub
from adviser_app.sync.schema import known_hub_version


def _raw(settings: HubSettings, tmp_path: Path, **extra: object) -> psycopg.Connection:
    ca = tmp_path / "ca.crt"
    ca.write_text(settings.ca_pem)
    options: dict[str, object] = dict(host=settings.host, port=settings.port,
                                      dbname=settings.dbname, user=settings.user,
                                      password=settings.password, sslmode="verify-full",
                                      sslrootcert=str(ca), autocommit=True)
    options.update(extra)
    return psycopg.connect(**options)  # type: ignore[arg-type]


def _laptop_with_work(hub_db: HubDb, tmp_path: Path,
                      settings: HubSettings | None = None) -> tuple[Laptop, str]:
    laptop = Laptop(tmp_path, settings or hub_db.add_user())
    with laptop.db.atomic():
        fid = families.insert_family(laptop.db, "Kowalski", "ann", notes="kept")
    return laptop, fid


def _untouched(laptop: Laptop, fid: str) -> None:
    assert laptop.value("family", fid, "notes") == "kept"
    assert laptop.db.execute("SELECT count(*) FROM sync_change").fetchone()[0] == 1


def _one_sentence(message: str) -> None:
    assert "\n" not in message and "Traceback" not in message
    assert message.endswith(".") and len(message) < 240


def test_a_user_may_only_call_the_functions(hub_db: HubDb, tmp_path: Path) -> None:
    settings = hub_db.add_user()
    conn = _raw(settings, tmp_path)
    try:
        for statement in ("SELECT * FROM hub.record", "SELECT * FROM hub.conflict",
                          "DELETE FROM hub.applied_change",
                          "UPDATE hub.record SET fields = '{}'",
                          "INSERT INTO hub.audit_entry (device, local_seq, by_role, at, actor, "
                          "action, record_type, record_id, detail, mac) VALUES "
                          "('x', 1, 'x', 'x', 'x', 'x', 'x', 'x', 'x', 'x')",
                          "SELECT hub.apply_change('d', '{}'::jsonb)",
                          "SELECT * FROM public.hub_migration",
                          "CREATE TABLE public.mine (x int)",
                          "CREATE TABLE hub.mine (x int)"):
            with pytest.raises(psycopg.errors.InsufficientPrivilege):
                conn.execute(statement)
        info = conn.execute("SELECT hub.hub_info()").fetchone()[0]
        assert info["user"] == settings.user
    finally:
        conn.close()


def test_a_plain_tcp_connection_is_refused(hub_db: HubDb, tmp_path: Path) -> None:
    settings = hub_db.add_user()
    with pytest.raises(psycopg.OperationalError, match="no encryption|reject"):
        _raw(settings, tmp_path, sslmode="disable")


def test_a_removed_user_cannot_connect_and_is_told_plainly(hub_db: HubDb,
                                                           tmp_path: Path) -> None:
    laptop, fid = _laptop_with_work(hub_db, tmp_path)
    laptop.sync()
    with laptop.db.atomic():
        families.update_family(laptop.db, fid, "Kowalski", "kept", "ann")
        laptop.db.execute("DELETE FROM sync_change")
        families.insert_family(laptop.db, "Nowak", "ann")
    code = admin.main(hub_db.cluster.admin_args(hub_db.name, "remove-user",
                                                laptop.settings.user))
    assert code == 0
    with pytest.raises(HubError) as caught:
        laptop.sync()
    _one_sentence(str(caught.value))
    assert "no longer accepts" in str(caught.value)
    assert laptop.db.execute("SELECT count(*) FROM sync_change").fetchone()[0] == 1


def test_a_wrong_password_is_one_sentence_and_nothing_is_touched(hub_db: HubDb,
                                                                 tmp_path: Path) -> None:
    settings = dataclasses.replace(hub_db.add_user(), password="not-the-password")
    laptop, fid = _laptop_with_work(hub_db, tmp_path, settings)
    with pytest.raises(HubError) as caught:
        laptop.sync()
    _one_sentence(str(caught.value))
    assert "password" in str(caught.value)
    _untouched(laptop, fid)


def test_an_unreachable_hub_is_one_sentence(hub_db: HubDb, tmp_path: Path) -> None:
    settings = dataclasses.replace(hub_db.add_user(), port=1)
    laptop, fid = _laptop_with_work(hub_db, tmp_path, settings)
    with pytest.raises(HubError) as caught:
        laptop.sync()
    _one_sentence(str(caught.value))
    assert "cannot be reached" in str(caught.value)
    _untouched(laptop, fid)


def test_a_foreign_certificate_is_refused(hub_db: HubDb, tmp_path: Path) -> None:
    """A file whose CA is not the one that signed the hub's certificate (a different hub, or
    someone in the middle): TLS verification fails before any password is sent."""
    _, other_ca = certs.make_ca("Someone else")
    settings = dataclasses.replace(hub_db.add_user(),
                                   ca_pem=certs.cert_pem(other_ca).decode())
    laptop, fid = _laptop_with_work(hub_db, tmp_path, settings)
    with pytest.raises(HubError) as caught:
        laptop.sync()
    _one_sentence(str(caught.value))
    assert "certificate" in str(caught.value)
    _untouched(laptop, fid)


def test_an_expired_server_certificate_is_refused(pg: PgCluster, hub_db: HubDb,
                                                  tmp_path: Path) -> None:
    settings = hub_db.add_user()
    laptop, fid = _laptop_with_work(hub_db, tmp_path, settings)
    data = pg.data
    saved = {n: (data / n).read_bytes() for n in (admin.SERVER_CERT, admin.SERVER_KEY)}
    ca_key = certs.load_key((data / admin.CA_KEY).read_bytes())
    from cryptography import x509
    ca_cert = x509.load_pem_x509_certificate((data / admin.CA_CERT).read_bytes())
    key, cert = certs.make_server_cert(ca_key, ca_cert, ["127.0.0.1", "localhost"], days=1,
                                       not_before=datetime.now(UTC) - timedelta(days=30))
    try:
        (data / admin.SERVER_CERT).write_bytes(certs.cert_pem(cert))
        (data / admin.SERVER_KEY).write_bytes(certs.key_pem(key))
        with hub_db.admin() as conn:
            conn.execute("SELECT pg_reload_conf()")
        with pytest.raises(HubError) as caught:
            laptop.sync()
        _one_sentence(str(caught.value))
        assert "expired" in str(caught.value)
        _untouched(laptop, fid)
    finally:
        for name, content in saved.items():
            (data / name).write_bytes(content)
        with hub_db.admin() as conn:
            conn.execute("SELECT pg_reload_conf()")
    laptop.sync()  # the real certificate again


def test_a_hub_with_a_newer_schema_is_refused(hub_db: HubDb, tmp_path: Path) -> None:
    laptop, fid = _laptop_with_work(hub_db, tmp_path)
    with hub_db.admin() as conn:
        conn.execute("INSERT INTO public.hub_migration (version) VALUES (99)")
    with pytest.raises(HubError) as caught:
        laptop.sync()
    _one_sentence(str(caught.value))
    assert "update the app" in str(caught.value)
    _untouched(laptop, fid)
    code = admin.main(hub_db.cluster.admin_args(hub_db.name, "upgrade"))
    assert code == 1  # adviser-hub itself refuses to touch a newer hub


@pytest.mark.parametrize("edit", ["host", "user", "ca_pem", "signature", "garbage"])
def test_an_edited_connection_file_is_refused(hub_db: HubDb, tmp_path: Path,
                                              edit: str) -> None:
    name = "jo_tamper_" + edit.replace("_", "")
    hub_db.add_user(name)
    path = hub_db.folder / f"{name}.adviser-hub"
    body = json.loads(path.read_text())
    if edit == "signature":
        body["signature"] = body["signature"][:-8] + "AAAAAAA="
    elif edit == "ca_pem":
        _, other = certs.make_ca()
        body["hub"]["ca_pem"] = certs.cert_pem(other).decode()
    elif edit == "garbage":
        path.write_text("not json {")
    else:
        body["hub"][edit] = "evil.example" if edit == "host" else "somebody_else"
    if edit != "garbage":
        path.write_text(json.dumps(body))
    with pytest.raises(HubError) as caught:
        connection_file.read(path)
    _one_sentence(str(caught.value))


def test_the_connection_file_works_as_made(hub_db: HubDb, tmp_path: Path) -> None:
    settings = hub_db.add_user("jo_smith")
    assert settings.user == "jo_smith" and "BEGIN CERTIFICATE" in settings.ca_pem
    assert (hub_db.folder / "jo_smith.adviser-hub").stat().st_mode & 0o077 == 0
    with Hub(settings) as hub:
        assert hub.pull("device", 0, 10)["records"] == []


def test_the_it_command_says_one_sentence_on_bad_input(
        hub_db: HubDb, capsys: pytest.CaptureFixture[str]) -> None:
    args = hub_db.cluster.admin_args
    assert admin.main(args(hub_db.name, "add-user", "Robert'); DROP TABLE x;--")) == 1
    assert admin.main(args(hub_db.name, "remove-user", "nobody_here")) == 1
    assert admin.main(args("no_such_hub", "status")) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 3 and not any("Traceback" in line for line in err)
    assert admin.main(args(hub_db.name, "status")) == 0
    newest = known_hub_version()
    assert f"Schema version {newest}" in capsys.readouterr().out
    assert admin.main(args(hub_db.name, "upgrade")) == 0
    assert f"already at schema version {newest}" in capsys.readouterr().out
