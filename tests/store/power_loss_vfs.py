"""A pretend disk for SQLite that can lose power (T2), for the tests only.

APSW lets Python supply SQLite's VFS, the layer through which it reads, writes and syncs
files. PowerCutVFS keeps every file in memory, twice over: what a reader would see now (the
OS cache) and what has reached the platter (as of that file's last sync). Writes and
truncations made since the last sync are kept in order. At a chosen operation the power goes:
the "after the reboot" image of each file is the durable copy plus each later change either
applied, dropped, or torn at 512-byte sectors (a torn sector may hold garbage). From that
moment every call fails, as it would on a dead machine; SQLite sometimes ignores a failure
(from xDelete, say) and carries on, so the writer must also throw away any acknowledgement
made after the cut. Deleting a file is durable at once, as in SQLite's own crash tests
(test6.c).

The same VFS can instead fail the Nth call with a chosen SQLite error, once or from then on,
like SQLite's "fail the Nth I/O" loops.

This runs SQLite through APSW, not SQLCipher: it tests our journal mode, sync setting and
transaction boundaries, not the cipher. APSW must never be imported by the app itself.
"""

from __future__ import annotations

import contextlib
import functools
import random
import shutil
import sys
import tempfile
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import apsw

SECTOR = 512


@dataclass
class _File:
    live: bytearray = field(default_factory=bytearray)
    durable: bytes = b""
    # changes since the last sync, oldest first: ("write", offset, data) or ("truncate", size)
    pending: list[tuple[Any, ...]] = field(default_factory=list)


class PowerCut(apsw.IOError):
    """Raised by every call once the power has gone."""


class PowerCutVFS(apsw.VFS):
    """An in-memory VFS that can simulate power loss or fail chosen calls.

    crash_at: cut the power at this numbered change (a write, truncate, sync, delete or
    create; 1-based), or never if None.
    fail_at: make this numbered call of any kind (reads too) raise fail_with; with
    fail_persist the calls after it fail as well, until clear_fault() is called.
    garbage: the share of torn sectors that come back as random bytes rather than old or
    new data.
    """

    def __init__(self, name: str, *, seed: int = 0, crash_at: int | None = None,
                 fail_at: int | None = None, fail_with: type[apsw.Error] = apsw.IOError,
                 fail_persist: bool = False, garbage: float = 0.1) -> None:
        self.vfs_name = name
        self.files: dict[str, _File] = {}
        self.rng = random.Random(seed)
        self.crash_at = crash_at
        self.fail_at, self.fail_with, self.fail_persist = fail_at, fail_with, fail_persist
        self.garbage = garbage
        self.changes = 0  # writes, truncates, syncs, deletes and creates so far
        self.calls = 0  # every file call so far, reads included
        self.crashed = False
        self.failing = False
        self.image: dict[str, bytes] | None = None
        self.device = real_device()
        super().__init__(name, base="", iVersion=1)

    # --- the fault machinery ---------------------------------------------------------------

    def call(self, what: str) -> None:
        """Every file call starts here: fail it if the power is off or a fault is due."""
        if self.crashed:
            raise PowerCut(f"power is off ({what})")
        self.calls += 1
        if self.failing and self.fail_persist:
            raise self.fail_with(f"injected fault continuing ({what})")
        if self.fail_at is not None and self.calls == self.fail_at:
            self.failing = True
            raise self.fail_with(f"injected fault at call {self.calls} ({what})")

    def change(self, what: str, in_flight: Callable[[], None] | None = None) -> None:
        """A call that changes the disk; the power may go now. in_flight records the change
        being made at that moment, so the image can hold all, none or part of it."""
        self.call(what)
        self.changes += 1
        if self.crash_at is not None and self.changes == self.crash_at:
            if in_flight is not None:
                in_flight()
            self.image = self._after_reboot()
            self.crashed = True
            raise PowerCut(f"power cut at change {self.changes} ({what})")

    def clear_fault(self) -> None:
        self.fail_at, self.failing = None, False

    def _after_reboot(self) -> dict[str, bytes]:
        """What each file holds when the machine comes back: durable bytes plus a random
        subset of the unsynced changes, some of them torn."""
        image = {}
        for name, stored in self.files.items():
            data = bytearray(stored.durable)
            for change in stored.pending:
                fate = self.rng.random()
                if change[0] == "truncate":
                    if fate < 0.5:
                        del data[change[1]:]
                    continue
                _, offset, payload = change
                if fate < 1 / 3:  # the whole write reached the disk
                    _put(data, offset, payload)
                elif fate < 2 / 3:  # torn: each sector written, lost, or left as garbage
                    for start, piece in _sectors(offset, payload):
                        roll = self.rng.random()
                        if roll < self.garbage:
                            _put(data, start, self.rng.randbytes(len(piece)))
                        elif roll < self.garbage + (1 - self.garbage) / 2:
                            _put(data, start, piece)
                # else none of the write reached the disk
            image[name] = bytes(data)
        return image

    # --- the VFS ---------------------------------------------------------------------------

    def xOpen(self, name: Any, flags: list[int]) -> _MemoryFile:
        path = name.filename() if isinstance(name, apsw.URIFilename) else name
        if path is None:
            path = f"/temporary-{self.rng.getrandbits(64):x}"
        if path not in self.files:
            if not flags[0] & apsw.SQLITE_OPEN_CREATE:
                self.call("open")
                raise apsw.CantOpenError(path)
            self.change("create")
            self.files[path] = _File()
        else:
            self.call("open")
        flags[1] = flags[0]
        return _MemoryFile(self, path)

    def xDelete(self, filename: str, syncdir: bool) -> None:
        def maybe_gone() -> None:  # the power went while unlinking: it may have happened
            if self.rng.random() < 0.5:
                self.files.pop(filename, None)

        self.change("delete", maybe_gone)
        if self.files.pop(filename, None) is None:
            missing = apsw.IOError("no such file")
            missing.extendedresult = apsw.SQLITE_IOERR_DELETE_NOENT  # type: ignore[attr-defined]
            raise missing

    def xAccess(self, pathname: str, flags: int) -> bool:
        self.call("access")
        return pathname in self.files

    def xFullPathname(self, name: str) -> str:
        return name if name.startswith("/") else "/" + name

    def excepthook(self, *exc_info: Any) -> bool:
        return True  # faults are expected here; SQLite sees them as error codes


def _put(data: bytearray, offset: int, payload: bytes) -> None:
    if len(data) < offset:
        data.extend(bytes(offset - len(data)))
    data[offset:offset + len(payload)] = payload


def _sectors(offset: int, payload: bytes) -> Iterable[tuple[int, bytes]]:
    """Split a write at the 512-byte sector boundaries of the file."""
    position, end = offset, offset + len(payload)
    while position < end:
        stop = min(end, (position // SECTOR + 1) * SECTOR)
        yield position, payload[position - offset:stop - offset]
        position = stop


@functools.cache
def real_device() -> tuple[int, int]:
    """The sector size and device characteristics SQLite's ordinary VFS reports for a file on
    this machine, so SQLite makes the same choices here as on the real disk (notably whether
    a write can damage bytes beside it: "powersafe overwrite")."""
    with tempfile.TemporaryDirectory() as folder:
        probe = apsw.VFSFile("", str(Path(folder) / "probe.db"),
                             [apsw.SQLITE_OPEN_CREATE | apsw.SQLITE_OPEN_READWRITE |
                              apsw.SQLITE_OPEN_MAIN_DB, 0])
        try:
            return probe.xSectorSize(), probe.xDeviceCharacteristics()
        finally:
            probe.xClose()


class _MemoryFile(apsw.VFSFile):
    """One open file of a PowerCutVFS."""

    def __init__(self, vfs: PowerCutVFS, path: str) -> None:
        self.vfs, self.path = vfs, path

    def _stored(self) -> _File:
        try:
            return self.vfs.files[self.path]
        except KeyError:
            raise apsw.IOError(f"{self.path} was deleted") from None

    def xRead(self, amount: int, offset: int) -> bytes:
        self.vfs.call("read")
        # Past the end of the file this returns fewer bytes than asked for; APSW passes that
        # on as a short read, which SQLite expects there.
        return bytes(self._stored().live[offset:offset + amount])

    def xWrite(self, data: Any, offset: int) -> None:
        payload = bytes(data)
        stored = self._stored()
        self.vfs.change("write", lambda: stored.pending.append(("write", offset, payload)))
        _put(stored.live, offset, payload)
        stored.pending.append(("write", offset, payload))

    def xTruncate(self, newsize: int) -> None:
        stored = self._stored()
        self.vfs.change("truncate", lambda: stored.pending.append(("truncate", newsize)))
        del stored.live[newsize:]
        stored.pending.append(("truncate", newsize))

    def xSync(self, flags: int) -> None:
        self.vfs.change("sync")
        stored = self._stored()
        stored.durable = bytes(stored.live)
        stored.pending.clear()

    def xFileSize(self) -> int:
        self.vfs.call("size")
        return len(self._stored().live)

    # Locks live in memory and there is only ever one connection: they never fail, so that
    # closing a connection after the power cut does not report errors nobody can receive.
    def xLock(self, level: int) -> None:
        pass

    def xUnlock(self, level: int) -> None:
        pass

    def xCheckReservedLock(self) -> bool:
        return False

    def xFileControl(self, op: int, ptr: int) -> bool:
        return False

    def xSectorSize(self) -> int:
        return self.vfs.device[0]

    def xDeviceCharacteristics(self) -> int:
        return self.vfs.device[1]

    def xClose(self) -> None:
        pass

    def excepthook(self, *exc_info: Any) -> bool:
        return True


@contextlib.contextmanager
def unraisable_faults() -> Iterator[list[BaseException]]:
    """While a campaign runs, APSW reports a VFS error it cannot hand back (a second failure
    while SQLite is already handling the first, or one during a close) as "unraisable".
    Those are expected here; anything else is collected so the test can fail on it."""
    unexpected: list[BaseException] = []
    previous = sys.unraisablehook

    def hook(info: Any) -> None:
        if not isinstance(info.exc_value, apsw.Error):
            unexpected.append(info.exc_value)

    sys.unraisablehook = hook
    try:
        yield unexpected
    finally:
        sys.unraisablehook = previous


def write_image(image: dict[str, bytes], folder: Path) -> Path:
    """Put the files of a power-cut image in *folder*; returns the folder."""
    if folder.exists():
        shutil.rmtree(folder)
    folder.mkdir(parents=True)
    for name, data in image.items():
        (folder / Path(name).name).write_bytes(data)
    return folder


# --- the writer and the checks -------------------------------------------------------------
#
# The writer imitates the app's note save (services.casework.add_timeline_entry): one
# transaction adds the entry (the parent row), its child rows, a search-index row with its
# FTS5 index entries (through a trigger, as store/search.py does), an audit row, and bumps a
# counter on the case. The case book is closed and reopened every few saves, with the same
# checkpoint the app does on close, so checkpoints into the main file and the WAL's deletion
# are exercised too.

SCHEMA = """
CREATE TABLE case_file (id INTEGER PRIMARY KEY, notes INTEGER NOT NULL DEFAULT 0);
CREATE TABLE entry (id INTEGER PRIMARY KEY, case_id INTEGER NOT NULL REFERENCES case_file(id),
                    parts INTEGER NOT NULL, body TEXT NOT NULL);
CREATE TABLE entry_part (entry_id INTEGER NOT NULL REFERENCES entry(id), n INTEGER NOT NULL,
                         text TEXT NOT NULL, PRIMARY KEY (entry_id, n));
CREATE TABLE search_doc (id INTEGER PRIMARY KEY, source TEXT NOT NULL UNIQUE,
                         words TEXT NOT NULL);
CREATE VIRTUAL TABLE case_search USING fts5(words, content='search_doc', content_rowid='id');
CREATE TRIGGER search_doc_insert AFTER INSERT ON search_doc BEGIN
    INSERT INTO case_search (rowid, words) VALUES (new.id, new.words);
END;
CREATE TABLE audit_log (seq INTEGER PRIMARY KEY, record_id INTEGER NOT NULL);
INSERT INTO case_file (id) VALUES (1), (2), (3);
"""

WORDS = ("tribunal appeal annex school needs provision draft plan review ehcp parent carer "
         "therapy speech language occupational transport deadline weeks letter").split()
PART = 1000  # characters of body per child row


@dataclass(frozen=True)
class Settings:
    """The connection pragmas under test, applied in this order."""
    pragmas: tuple[tuple[str, str], ...]

    def apply(self, conn: apsw.Connection) -> None:
        for name, value in self.pragmas:
            conn.execute(f"PRAGMA {name} = {value}")
        wanted = dict(self.pragmas)
        if "journal_mode" in wanted:
            got = conn.execute("PRAGMA journal_mode").fetchall()[0][0]
            assert got == wanted["journal_mode"].lower(), f"journal_mode is {got}"


def body_for(rng: random.Random) -> str:
    words: list[str] = []
    size, length = rng.choice((60, 300, 1200, 2500, 5000)), 0
    while length < size:
        words.append(rng.choice(WORDS))
        length += len(words[-1]) + 1
    return " ".join(words)


@dataclass
class WriterResult:
    acknowledged: list[int] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)  # class names of errors the saves raised
    failed_saves: list[int] = field(default_factory=list)  # saves that raised (not acked)
    finished: bool = False


def _open(vfs: PowerCutVFS, settings: Settings) -> apsw.Connection:
    conn = apsw.Connection("/book.db", vfs=vfs.vfs_name)
    try:
        settings.apply(conn)
        if not conn.execute("SELECT count(*) FROM sqlite_schema").fetchall()[0][0]:
            atomic(conn, lambda: conn.execute(SCHEMA))  # made once, in its own transaction
    except BaseException:
        conn.close(True)
        raise
    return conn


def _close(conn: apsw.Connection) -> None:
    try:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")  # what the app does on close
    finally:
        conn.close(True)


def atomic(conn: apsw.Connection, work: Callable[[], Any]) -> None:
    """BEGIN, the work, COMMIT; on any error ROLLBACK if a transaction is still open (what
    sqlite-utils' atomic() does for the app)."""
    conn.execute("BEGIN")
    try:
        work()
        conn.execute("COMMIT")
    except BaseException:
        if not conn.get_autocommit():
            try:
                conn.execute("ROLLBACK")
            except apsw.Error:
                pass  # the first error is the one to report
        raise


def save(conn: apsw.Connection, number: int, body: str) -> None:
    """One note save, in one transaction."""
    parts = [body[i:i + PART] for i in range(0, len(body), PART)]

    def work() -> None:
        conn.execute("INSERT INTO entry (id, case_id, parts, body) VALUES (?, ?, ?, ?)",
                     (number, number % 3 + 1, len(parts), body))
        for n, text in enumerate(parts):
            conn.execute("INSERT INTO entry_part (entry_id, n, text) VALUES (?, ?, ?)",
                         (number, n, text))
        conn.execute("INSERT INTO search_doc (source, words) VALUES (?, ?)",
                     (f"entry:{number}", body))
        conn.execute("UPDATE case_file SET notes = notes + 1 WHERE id = ?", (number % 3 + 1,))
        conn.execute("INSERT INTO audit_log (record_id) VALUES (?)", (number,))

    atomic(conn, work)


def run_writer(vfs: PowerCutVFS, settings: Settings, *, saves: int, per_session: int,
               workload_seed: int, retry: bool = False,
               before_save: Callable[[int], None] | None = None) -> WriterResult:
    """Save *saves* notes, reopening every *per_session*. An acknowledgement counts only if
    the power was still on when COMMIT returned. With *retry* (the fault-injection runs) a
    save that raised is tried again once, as a person pressing Save again would."""
    rng = random.Random(workload_seed)
    result = WriterResult()
    conn: apsw.Connection | None = None
    try:
        for number in range(1, saves + 1):
            if before_save is not None:
                before_save(number)
            body = body_for(rng)
            for attempt in range(2 if retry else 1):
                try:
                    if conn is None:
                        conn = _open(vfs, settings)
                    save(conn, number, body)
                except apsw.Error as exc:
                    if vfs.crashed:
                        return result
                    result.errors.append(type(exc).__name__)
                    if attempt == 0:
                        result.failed_saves.append(number)
                    if not retry:
                        raise
                    continue
                if not vfs.crashed:
                    result.acknowledged.append(number)
                break
            if conn is not None and number % per_session == 0:
                try:
                    _close(conn)
                except apsw.Error as exc:
                    if vfs.crashed:
                        return result
                    result.errors.append(type(exc).__name__)
                    conn.close(True)
                conn = None
        if conn is not None:
            try:
                _close(conn)
            except apsw.Error as exc:
                if not vfs.crashed:
                    result.errors.append(type(exc).__name__)
            conn = None
        result.finished = not vfs.crashed
        return result
    finally:
        if conn is not None:
            try:
                conn.close(True)
            except apsw.Error:
                pass


@dataclass
class Verdict:
    lost: list[int] = field(default_factory=list)  # acknowledged but missing
    half_saved: list[int] = field(default_factory=list)  # entries without all their rows
    corrupt: str = ""  # why the file is not sound
    stuck: str = ""  # saving did not work again after a fault (fault runs only)

    @property
    def ok(self) -> bool:
        return not (self.lost or self.half_saved or self.corrupt or self.stuck)


def check_files(folder: Path, acknowledged: Iterable[int]) -> Verdict:
    """Open the files in *folder* with SQLite's ordinary VFS (so its own recovery runs, not
    ours) and check: integrity, every acknowledged save present, every save whole."""
    verdict = Verdict()
    acked = set(acknowledged)
    try:
        conn = apsw.Connection(str(folder / "book.db"))
    except apsw.Error as exc:
        verdict.corrupt = f"could not open: {exc}"
        return verdict
    try:
        rows = conn.execute("PRAGMA integrity_check").fetchall()
        if rows != [("ok",)]:
            verdict.corrupt = f"integrity_check: {rows[:3]}"
            return verdict
        tables = {r[0] for r in conn.execute("SELECT name FROM sqlite_schema")}
        if "entry" not in tables:  # cut before the schema was committed
            verdict.lost = sorted(acked)
            return verdict
        conn.execute("INSERT INTO case_search (case_search) VALUES ('integrity-check')")
        present = {r[0] for r in conn.execute("SELECT id FROM entry")}
        verdict.lost = sorted(acked - present)
        verdict.half_saved = sorted(
            {r[0] for r in conn.execute(
                "SELECT e.id FROM entry e WHERE e.parts != "
                "(SELECT count(*) FROM entry_part p WHERE p.entry_id = e.id) "
                "OR e.body != (SELECT group_concat(text, '') FROM "
                "(SELECT text FROM entry_part p WHERE p.entry_id = e.id ORDER BY n)) "
                "OR (SELECT count(*) FROM search_doc s WHERE s.source = 'entry:' || e.id) != 1 "
                "OR (SELECT count(*) FROM audit_log a WHERE a.record_id = e.id) != 1")}
            | {r[0] for r in conn.execute(
                "SELECT entry_id FROM entry_part WHERE entry_id NOT IN (SELECT id FROM entry) "
                "UNION SELECT record_id FROM audit_log WHERE record_id NOT IN "
                "(SELECT id FROM entry)")})
        wrong_counts = conn.execute(
            "SELECT id FROM case_file c WHERE notes != "
            "(SELECT count(*) FROM entry e WHERE e.case_id = c.id)").fetchall()
        if wrong_counts:
            verdict.half_saved.append(-1)  # a case's note count disagrees with its notes
        if conn.execute("PRAGMA foreign_key_check").fetchall():
            verdict.corrupt = "foreign_key_check found orphans"
    except apsw.Error as exc:
        verdict.corrupt = f"{type(exc).__name__}: {exc}"
    finally:
        conn.close(True)
    return verdict


def check_live(vfs: PowerCutVFS, folder: Path, acknowledged: Iterable[int]) -> Verdict:
    """Check the files as they stand (no power cut: everything written is on disk)."""
    write_image({name: bytes(f.live) for name, f in vfs.files.items()}, folder)
    return check_files(folder, acknowledged)


# --- campaigns -----------------------------------------------------------------------------

@dataclass
class Tally:
    runs: int = 0
    acknowledged: int = 0
    sound: int = 0  # runs after which everything checked out
    lost: int = 0  # runs that lost at least one acknowledged save
    half_saved: int = 0  # runs that left a save in part
    corrupt: int = 0  # runs that left a file SQLite calls damaged
    stuck: int = 0  # fault runs after which saving did not work again
    first_failures: list[str] = field(default_factory=list)  # how to replay them
    error_kinds: set[str] = field(default_factory=set)

    def add(self, verdict: Verdict, acknowledged: int, replay: str) -> None:
        self.runs += 1
        self.acknowledged += acknowledged
        self.sound += verdict.ok
        self.lost += bool(verdict.lost)
        self.half_saved += bool(verdict.half_saved)
        self.corrupt += bool(verdict.corrupt)
        self.stuck += bool(verdict.stuck)
        if not verdict.ok and len(self.first_failures) < 5:
            self.first_failures.append(
                f"{replay}: lost={verdict.lost[:5]} half={verdict.half_saved[:5]} "
                f"corrupt={verdict.corrupt!r} stuck={verdict.stuck!r}")

    def line(self) -> str:
        return (f"{self.runs} runs, {self.acknowledged} acknowledged saves; sound {self.sound}, "
                f"lost saves in {self.lost}, half-saved in {self.half_saved}, "
                f"corrupt in {self.corrupt}, stuck in {self.stuck}")


_names = iter(range(1 << 62))


def _vfs(**options: Any) -> PowerCutVFS:
    return PowerCutVFS(f"powercut-{next(_names)}", **options)


def power_cut_campaign(settings: Settings, *, runs: int, seed: int, workdir: Path,
                       saves: int = 40, per_session: int = 15,
                       workloads: int = 4) -> Tally:
    """Cut the power at a random change in each of *runs* runs, and check what is left.
    Each of a few workloads is first run without a cut, which counts its changes (the range
    the cut is drawn from) and checks that the writer and the checks agree when all is
    well."""
    rng = random.Random(seed)
    totals = {}
    for workload in range(workloads):
        dry = _vfs()
        result = run_writer(dry, settings, saves=saves, per_session=per_session,
                            workload_seed=seed + workload)
        assert result.finished and len(result.acknowledged) == saves, result
        verdict = check_live(dry, workdir / "dry", result.acknowledged)
        assert verdict.ok, f"without a power cut: {verdict}"
        totals[seed + workload] = dry.changes
    tally = Tally()
    for run in range(runs):
        workload_seed = seed + run % workloads
        cut = rng.randint(1, totals[workload_seed])
        fates = rng.getrandbits(32)
        vfs = _vfs(seed=fates, crash_at=cut)
        result = run_writer(vfs, settings, saves=saves, per_session=per_session,
                            workload_seed=workload_seed)
        assert vfs.crashed and vfs.image is not None, "the power cut never happened"
        verdict = check_files(write_image(vfs.image, workdir / "image"), result.acknowledged)
        tally.add(verdict, len(result.acknowledged),
                  f"workload_seed={workload_seed} crash_at={cut} seed={fates}")
    return tally


def fault_campaign(settings: Settings, *, fail_with: type[apsw.Error], persist: bool,
                   workdir: Path, points: int | None = None, saves: int = 6,
                   per_session: int = 3, workload_seed: int = 1) -> tuple[Tally, int, int]:
    """Fail call N with *fail_with*, once or from then on, for every N the workload reaches
    (or for about *points* of them, evenly spaced). Each failed save is tried again once;
    before the last save the fault is cleared, and that save must work. Returns the tally,
    how many calls the workload makes and the spacing used."""
    dry = _vfs()
    run_writer(dry, settings, saves=saves + 1, per_session=per_session,
               workload_seed=workload_seed, retry=True)
    total = dry.calls
    stride = 1 if points is None else max(1, total // points)
    tally = Tally()
    for n in range(1, total + 1, stride):
        vfs = _vfs(fail_at=n, fail_with=fail_with, fail_persist=persist)

        def heal(number: int, vfs: PowerCutVFS = vfs) -> None:
            if number == saves + 1:
                vfs.clear_fault()

        result = run_writer(vfs, settings, saves=saves + 1, per_session=per_session,
                            workload_seed=workload_seed, retry=True, before_save=heal)
        verdict = check_live(vfs, workdir / "live", result.acknowledged)
        tally.error_kinds.update(result.errors)
        replay = f"fail_at={n} fail_with={fail_with.__name__} persist={persist}"
        missing = sorted(set(range(1, saves + 2)) - set(result.acknowledged))
        if missing and not persist:
            verdict.stuck = f"after one fault, saves {missing} failed even when tried again"
        elif saves + 1 in missing:
            verdict.stuck = "saving did not work again once the fault had cleared"
        tally.add(verdict, len(result.acknowledged), replay)
    return tally, total, stride
