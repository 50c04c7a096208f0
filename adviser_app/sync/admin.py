"""adviser-hub: the IT command for the office hub (PostgreSQL on the same machine).

    adviser-hub init --public-host hub.office.example   database, roles, schema, TLS
    adviser-hub add-user NAME [--out FILE]               a person's role + connection file
    adviser-hub remove-user NAME                         revoke at once
    adviser-hub status                                   users, devices, conflicts, version
    adviser-hub upgrade                                  apply new hub migrations
    adviser-hub purge                                    erased rows out of files and WAL

It connects as the PostgreSQL superuser over the local socket (run it as root or as the
postgres user on the hub machine). Errors are one sentence; there are no tracebacks.
"""

from __future__ import annotations

import argparse
import os
import re
import secrets
import sys
import time
from pathlib import Path
from typing import Any

import psycopg
from psycopg import sql

from adviser_app.sync import certs, connection_file, restore_check
from adviser_app.sync.connection_file import HubSettings
from adviser_app.sync.schema import OWNER, USERS, HubTooNew, hub_version, known_hub_version
from adviser_app.sync.schema import upgrade as upgrade_schema

DEFAULT_DB = "adviser_hub"
_USER_NAME = re.compile(r"^[a-z][a-z0-9_]{1,40}$")
HBA_BEGIN = "# adviser-hub begin (managed by adviser-hub init)"
HBA_END = "# adviser-hub end"
HBA_RULES = f"""{HBA_BEGIN}
# Team-register users: encrypted connections with a password (scram-sha-256) only.
hostssl all +{USERS} 0.0.0.0/0 scram-sha-256
hostssl all +{USERS} ::/0 scram-sha-256
# Nobody else over the network (a removed user's role is no longer in the group above).
hostssl all all 0.0.0.0/0 reject
hostssl all all ::/0 reject
# No unencrypted network connections at all.
hostnossl all all 0.0.0.0/0 reject
hostnossl all all ::/0 reject
{HBA_END}
"""
CA_CERT, CA_KEY = "adviser-hub-ca.crt", "adviser-hub-ca.key"
SERVER_CERT, SERVER_KEY = "adviser-hub-server.crt", "adviser-hub-server.key"


class AdminError(Exception):
    """A sentence for IT."""


def admin_connect(args: argparse.Namespace, dbname: str) -> psycopg.Connection[Any]:
    try:
        return psycopg.connect(host=args.admin_host, port=args.admin_port,
                               user=args.admin_user, dbname=dbname, autocommit=True,
                               connect_timeout=10)
    except psycopg.Error as exc:
        raise AdminError(f"Could not reach PostgreSQL as {args.admin_user} through "
                         f"{args.admin_host} port {args.admin_port} ({_first_line(exc)}): "
                         "run this on the hub machine as root or postgres.") from None


def _scalar(conn: psycopg.Connection[Any], query: str, params: list[Any] | None = None) -> Any:
    row = conn.execute(query, params).fetchone()
    return None if row is None else row[0]


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _own(path: Path, like: Path, mode: int) -> None:
    """Files PostgreSQL reads must belong to its user, however this command was run."""
    path.chmod(mode)
    if os.geteuid() == 0:
        st = like.stat()
        os.chown(path, st.st_uid, st.st_gid)


def ensure_roles(conn: psycopg.Connection[Any]) -> None:
    for role in (OWNER, USERS):
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [role]).fetchone() is None:
            conn.execute(sql.SQL("CREATE ROLE {} NOLOGIN").format(sql.Identifier(role)))


def create_hub_database(args: argparse.Namespace, dbname: str) -> list[int]:
    """The database, owned by the owner role, closed to everyone but hub users; its schema."""
    with admin_connect(args, "postgres") as conn:
        ensure_roles(conn)
        if conn.execute("SELECT 1 FROM pg_database WHERE datname = %s",
                        [dbname]).fetchone() is None:
            conn.execute(sql.SQL("CREATE DATABASE {} OWNER {}").format(
                sql.Identifier(dbname), sql.Identifier(OWNER)))
        conn.execute(sql.SQL("REVOKE ALL ON DATABASE {} FROM PUBLIC").format(
            sql.Identifier(dbname)))
        conn.execute(sql.SQL("GRANT CONNECT ON DATABASE {} TO {}").format(
            sql.Identifier(dbname), sql.Identifier(USERS)))
    with admin_connect(args, dbname) as conn:
        applied = upgrade_schema(conn)
        conn.execute("REVOKE ALL ON SCHEMA public FROM PUBLIC")
        return applied


def configure_tls(args: argparse.Namespace, hosts: list[str], days: int) -> Path:
    """CA (kept if already made) and a new server certificate in the data folder; ssl on,
    scram-sha-256 passwords, and the pg_hba rules. Returns the data folder."""
    with admin_connect(args, "postgres") as conn:
        data = Path(str(_scalar(conn, "SHOW data_directory")))
        hba = Path(str(_scalar(conn, "SHOW hba_file")))
        ca_cert_path, ca_key_path = data / CA_CERT, data / CA_KEY
        if ca_key_path.exists() and ca_cert_path.exists():
            ca_key = certs.load_key(ca_key_path.read_bytes())
            from cryptography import x509
            ca_cert = x509.load_pem_x509_certificate(ca_cert_path.read_bytes())
        else:
            ca_key, ca_cert = certs.make_ca()
            ca_key_path.write_bytes(certs.key_pem(ca_key))
            _own(ca_key_path, data, 0o600)
            ca_cert_path.write_bytes(certs.cert_pem(ca_cert))
            _own(ca_cert_path, data, 0o644)
        key, cert = certs.make_server_cert(ca_key, ca_cert, hosts, days)
        (data / SERVER_KEY).write_bytes(certs.key_pem(key))
        _own(data / SERVER_KEY, data, 0o600)
        (data / SERVER_CERT).write_bytes(certs.cert_pem(cert))
        _own(data / SERVER_CERT, data, 0o644)
        for name, value in (("ssl", "on"), ("ssl_cert_file", str(data / SERVER_CERT)),
                            ("ssl_key_file", str(data / SERVER_KEY)),
                            ("ssl_min_protocol_version", "TLSv1.2"),
                            ("password_encryption", "scram-sha-256")):
            conn.execute(sql.SQL("ALTER SYSTEM SET {} = {}").format(
                sql.Identifier(name), sql.Literal(value)))
        text = hba.read_text(encoding="utf-8")
        if HBA_BEGIN in text:
            start, end = text.index(HBA_BEGIN), text.index(HBA_END) + len(HBA_END)
            text = text[:start] + text[end:].lstrip("\n")
        hba.write_text(HBA_RULES + text, encoding="utf-8")
        conn.execute("SELECT pg_reload_conf()")
        problem = None
        for _ in range(50):  # the reload is asynchronous: wait until ssl is on
            problem = _scalar(conn, "SELECT error FROM pg_hba_file_rules WHERE error IS NOT "
                                    "NULL LIMIT 1")
            if not problem:
                break
            time.sleep(0.1)
        if problem:
            raise AdminError(f"PostgreSQL could not read {hba} ({problem}): look at its log.")
    return data


def cmd_init(args: argparse.Namespace) -> str:
    hosts = [args.public_host, "localhost", "127.0.0.1"]
    applied = create_hub_database(args, args.database)  # the roles first: pg_hba names one
    data = configure_tls(args, hosts, args.days)
    with admin_connect(args, args.database) as conn:
        for key, value in (("public_host", args.public_host),
                           ("public_port", str(args.public_port or args.admin_port))):
            conn.execute("INSERT INTO hub.setting (key, value) VALUES (%s, %s) ON CONFLICT "
                         "(key) DO UPDATE SET value = excluded.value", [key, value])
    return (f"The hub database {args.database} is ready (schema version "
            f"{known_hub_version()}, {len(applied)} step(s) applied); TLS certificates are in "
            f"{data}. Make sure listen_addresses includes the office address and open port "
            f"{args.public_port or args.admin_port} to the office network or VPN only.")


def _settings(conn: psycopg.Connection[Any]) -> dict[str, str]:
    return {k: v for k, v in conn.execute("SELECT key, value FROM hub.setting").fetchall()}


def _ca(conn: psycopg.Connection[Any]) -> tuple[Any, str]:
    data = Path(str(_scalar(conn, "SHOW data_directory")))
    try:
        return (certs.load_key((data / CA_KEY).read_bytes()),
                (data / CA_CERT).read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise AdminError("The hub's certificate authority is missing: run "
                         "adviser-hub init first.") from None


def _check_name(name: str) -> str:
    if not _USER_NAME.match(name):
        raise AdminError("A user name is 2 to 41 lower-case letters, digits or underscores, "
                         "starting with a letter (for example jo_smith).")
    return name


def cmd_add_user(args: argparse.Namespace) -> str:
    name = _check_name(args.name)
    password = secrets.token_urlsafe(24)
    with admin_connect(args, args.database) as conn:
        _require_hub(conn)
        settings = _settings(conn)
        ca_key, ca_pem = _ca(conn)
        hashed = conn.pgconn.encrypt_password(password.encode(), name.encode(),
                                              b"scram-sha-256").decode()
        exists = conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone()
        verb = "ALTER" if exists else "CREATE"
        conn.execute(sql.SQL(verb + " ROLE {} LOGIN PASSWORD {}").format(
            sql.Identifier(name), sql.Literal(hashed)))
        conn.execute(sql.SQL("GRANT {} TO {}").format(sql.Identifier(USERS),
                                                      sql.Identifier(name)))
        hub = HubSettings(settings["public_host"], int(settings["public_port"]), args.database,
                          name, password, ca_pem)
    out = Path(args.out or f"{name}.adviser-hub")
    connection_file.write(out, hub, ca_key)
    return (f"{name} can now sync. Give them {out} safely (it holds their password); they "
            "import it once on their laptop.")


def cmd_remove_user(args: argparse.Namespace) -> str:
    name = _check_name(args.name)
    with admin_connect(args, args.database) as conn:
        if conn.execute("SELECT 1 FROM pg_roles WHERE rolname = %s", [name]).fetchone() is None:
            raise AdminError(f"There is no hub user called {name}.")
        conn.execute(sql.SQL("ALTER ROLE {} NOLOGIN PASSWORD NULL").format(
            sql.Identifier(name)))
        conn.execute(sql.SQL("REVOKE {} FROM {}").format(sql.Identifier(USERS),
                                                         sql.Identifier(name)))
        conn.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                     "WHERE usename = %s", [name])
    return (f"{name} can no longer connect to the hub; what they synced stays in the "
            "register and its history.")


def _require_hub(conn: psycopg.Connection[Any]) -> int:
    version = hub_version(conn)
    if version == 0:
        raise AdminError("This database has no hub schema yet: run adviser-hub init first.")
    return version


def cmd_status(args: argparse.Namespace) -> str:
    with admin_connect(args, args.database) as conn:
        version = _require_hub(conn)
        users = conn.execute(
            "SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid "
            "JOIN pg_roles g ON g.oid = m.roleid WHERE g.rolname = %s AND r.rolcanlogin "
            "ORDER BY 1", [USERS]).fetchall()
        devices = conn.execute(
            "SELECT device, by_role, greatest(last_push, last_pull) FROM hub.device "
            "ORDER BY 3 DESC NULLS LAST").fetchall()
        open_conflicts = _scalar(conn, "SELECT count(*) FROM hub.conflict WHERE status = 'open'")
        records = _scalar(conn, "SELECT count(*) FROM hub.record")
        waiting = _scalar(conn, "SELECT count(*) FROM hub.erasure WHERE purged_at IS NULL"
                          ) if version >= _ERASURE_VERSION else 0
    lines = [f"Schema version {version} (this adviser-hub knows {known_hub_version()}).",
             f"Records: {records}. Open conflicts: {open_conflicts}.",
             f"Erased rows whose old versions wait for adviser-hub purge: {waiting}.",
             f"Users ({len(users)}): " + (", ".join(u for (u,) in users) or "none")]
    lines.append(f"Devices ({len(devices)}):")
    for device, role, last in devices:
        when = last.strftime("%d/%m/%Y %H:%M") if last else "never"
        lines.append(f"  {device[:8]}  {role:<20} last sync {when}")
    return "\n".join(lines)


_ERASURE_VERSION = 3  # db/hub/0003_erasure.sql
_MAY_HOLD_ERASED = ("record", "field_history", "conflict", "audit_entry")


def cmd_purge(args: argparse.Namespace) -> str:
    """Erasures take the values out of the hub's tables at once (0003), but PostgreSQL keeps
    old row versions in the table files until they are vacuumed, and the changes themselves in
    its write-ahead log. Rewrite the tables that may hold them (VACUUM FULL: each is locked
    while it is rewritten, so run it out of hours, for example nightly from cron), then retire
    the write-ahead log written so far (see _retire_wal). Says what still holds copies."""
    with admin_connect(args, args.database) as conn:
        if _require_hub(conn) < _ERASURE_VERSION:
            raise AdminError("This hub's schema predates erasure: run adviser-hub upgrade "
                             "first.")
        mark = _scalar(conn, "SELECT coalesce(max(id), 0) FROM hub.erasure")
        waiting = _scalar(conn, "SELECT count(*) FROM hub.erasure WHERE purged_at IS NULL")
        for table in _MAY_HOLD_ERASED:
            conn.execute(f"VACUUM FULL hub.{table}")
        conn.execute("UPDATE hub.erasure SET purged_at = now() WHERE purged_at IS NULL "
                     "AND id <= %s", [mark])
        held = _retire_wal(conn)
    return (f"Old row versions purged from the hub's tables ({waiting} erased row"
            f"{'s' if waiting != 1 else ''} waiting), and the write-ahead log written before "
            "now retired. " + " ".join(held))


def _retire_wal(conn: psycopg.Connection[Any]) -> list[str]:
    """Make every write-ahead log file written before now unneeded, so that PostgreSQL deletes
    it: wal_recycle off first (a retired file is then deleted, not renamed for reuse with its
    old bytes inside), a checkpoint, a switch to a new file and a second checkpoint (which
    deletes the files before it). Files renamed for reuse before wal_recycle was off are
    overwritten by switching through them. What cannot be done from here comes back as plain
    sentences: the WAL archive, files kept for a standby, and the backups."""
    if _scalar(conn, "SELECT setting FROM pg_settings WHERE name = 'wal_recycle'") == "on":
        conn.execute("ALTER SYSTEM SET wal_recycle = off")
        conn.execute("SELECT pg_reload_conf()")
    conn.execute("CHECKPOINT")  # (the checkpointer reads the new setting before this one)
    current = _scalar(conn, "SELECT pg_walfile_name(pg_current_wal_lsn())")
    ahead = _scalar(conn, "SELECT count(*) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' "
                    "AND name > %s", [current])
    for _ in range(int(ahead) + 1):  # a file renamed for reuse is overwritten when it is used
        conn.execute("SELECT pg_logical_emit_message(false, 'adviser-hub', 'purge')")
        conn.execute("SELECT pg_switch_wal()")
    conn.execute("CHECKPOINT")
    current = _scalar(conn, "SELECT pg_walfile_name(pg_current_wal_lsn())")
    kept = _scalar(conn, "SELECT count(*) FROM pg_ls_waldir() WHERE name ~ '^[0-9A-F]{24}$' "
                   "AND name < %s", [current])
    held = []
    if kept:
        held.append(f"{kept} older write-ahead log file{'s are' if kept != 1 else ' is'} still "
                    "kept by PostgreSQL (for the WAL archive, a replication slot or "
                    "wal_keep_size): run purge again once they have been archived or the "
                    "standby has caught up.")
    if _scalar(conn, "SELECT setting FROM pg_settings WHERE name = 'archive_mode'") != "off":
        held.append("The WAL archive and the backups still hold copies made before now until "
                    "their retention ends (pgBackRest: repo1-retention-full); nothing here can "
                    "reach into them.")
    else:
        held.append("Backups made before now still hold copies until their retention ends.")
    if _scalar(conn, "SELECT count(*) FROM pg_stat_replication"):
        held.append("Standby servers replay this purge, but keep their own write-ahead log "
                    "until their next restartpoint.")
    return held


def cmd_upgrade(args: argparse.Namespace) -> str:
    with admin_connect(args, args.database) as conn:
        before = _require_hub(conn)
        try:
            applied = upgrade_schema(conn)
        except HubTooNew as exc:
            raise AdminError(str(exc)) from None
    if not applied:
        return f"The hub is already at schema version {before}; nothing to do."
    return f"The hub went from schema version {before} to {applied[-1]}."


def cmd_check(args: argparse.Namespace) -> str:
    """What a restore of the hub from an older backup has lost, as the laptops report it."""
    with admin_connect(args, args.database) as conn:
        if _require_hub(conn) < restore_check.CHECK_VERSION:
            raise AdminError("This hub's schema cannot take the laptops' reports: run "
                             "adviser-hub upgrade first.")
        well, text = restore_check.report(conn)
    if not well:
        raise AdminError(text)
    return text


def parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(prog="adviser-hub", description=__doc__.splitlines()[0])
    p.add_argument("--admin-host", default=os.environ.get("PGHOST", "/var/run/postgresql"),
                   help="PostgreSQL socket folder (default /var/run/postgresql)")
    p.add_argument("--admin-port", type=int, default=int(os.environ.get("PGPORT", "5432")))
    p.add_argument("--admin-user", default="postgres")
    p.add_argument("--database", default=DEFAULT_DB)
    sub = p.add_subparsers(dest="command", required=True)
    init = sub.add_parser("init", help="database, roles, schema and TLS certificates")
    init.add_argument("--public-host", required=True,
                      help="the name or address laptops use to reach the hub")
    init.add_argument("--public-port", type=int, default=None)
    init.add_argument("--days", type=int, default=825,
                      help="how long the server certificate lasts")
    add = sub.add_parser("add-user", help="a person's role and their connection file")
    add.add_argument("name")
    add.add_argument("--out", help="where to write the connection file")
    remove = sub.add_parser("remove-user", help="stop a person connecting, at once")
    remove.add_argument("name")
    sub.add_parser("status", help="users, last sync per device, open conflicts, version")
    sub.add_parser("upgrade", help="apply new hub schema versions")
    sub.add_parser("purge", help="remove old row versions of erased records (run nightly)")
    sub.add_parser("check", help="what a restore from an older backup lost (erasures, "
                   "changes), as the laptops report it; exits 1 if anything")
    return p


COMMANDS = {"init": cmd_init, "add-user": cmd_add_user, "remove-user": cmd_remove_user,
            "status": cmd_status, "upgrade": cmd_upgrade, "purge": cmd_purge,
            "check": cmd_check}


def main(argv: list[str] | None = None) -> int:
    args = parser().parse_args(argv)
    try:
        print(COMMANDS[args.command](args))
    except AdminError as exc:
        print(str(exc), file=sys.stderr)
        return 1
    except psycopg.Error as exc:
        print(f"PostgreSQL refused: {_first_line(exc)}", file=sys.stderr)
        return 1
    except OSError as exc:
        print(f"Could not read or write a file: {exc.strerror} ({exc.filename}).",
              file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
