"""A new laptop joins by pulling the whole register in pages, usable as the pages arrive;
stored letters, notes and deletes travel too; audit entries go to the hub, append-only."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from hub.laptops import Laptop
from hub.pg import HubDb

from adviser_app.domain.records import CaseDetails, ChildDetails, EntryDetails
from adviser_app.domain.vocab import CaseIssue, EntryKind
from adviser_app.services import casework
from adviser_app.store import cases, search, sync_first_load
from adviser_app.sync.engine import SyncResult
from adviser_app.sync.errors import HubError


def _case(laptop: Laptop, name: str, note: str) -> str:
    case_id = casework.open_new_family_case(
        laptop.db, family_name=name, person=None,
        children=[ChildDetails("Zoë", name, date(2015, 3, 14))],
        case=CaseDetails("Sam", date(2026, 11, 1), frozenset({CaseIssue.OTHER})), actor="sam")
    casework.add_timeline_entry(laptop.db, case_id, EntryDetails(
        EntryKind.HOME_VISIT, date(2026, 11, 2), "sam", note), "sam")
    return case_id


def test_a_new_laptop_can_search_and_open_cases_as_pages_arrive(hub_db: HubDb,
                                                                tmp_path: Path) -> None:
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    made = [_case(office, f"Family{n}", f"visited about transport{n}") for n in range(6)]
    office.sync()
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    seen: list[int] = []

    def between_pages(progress: SyncResult) -> None:
        found = search.search_hits(new.db, "transport")
        seen.append(len(found.scores) if found else 0)
        for case_id in (found.scores if found else {}):
            assert cases.get_case(new.db, case_id).id == case_id  # it opens

    result = new.sync(page_size=7, on_page=between_pages)
    assert result.pages >= 5 and result.parked == 0
    assert seen[0] < seen[-1] == len(made)  # usable early, complete at the end
    assert seen == sorted(seen)
    hits = search.search_hits(new.db, "family3 transport3")
    assert hits is not None and list(hits.scores) == [made[3]]
    assert new.sync().pulled == 0  # the cursor is at the end


def test_a_cut_off_pull_moves_no_cursor_and_loses_nothing(hub_db: HubDb,
                                                          tmp_path: Path) -> None:
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    _case(office, "Nowak", "first note")
    office.sync()
    new = Laptop(tmp_path, hub_db.add_user(), "new")

    def cut(number: int) -> None:
        if number == 2:
            raise OSError("the line dropped")

    try:
        new.sync(page_size=100, page_check=cut)
    except OSError:
        pass
    assert new.db.execute("SELECT pull_cursor FROM sync_state").fetchone()[0] == 0
    assert new.db.execute("SELECT count(*) FROM family").fetchone()[0] == 0
    assert new.sync().parked == 0
    assert new.rows("timeline_entry").keys() == office.rows("timeline_entry").keys()


def test_letters_deletes_and_the_audit_log_reach_the_hub(hub_db: HubDb,
                                                         tmp_path: Path) -> None:
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    case_id = _case(office, "Okafor", "a note")
    with office.db.atomic():
        office.db.execute(
            "INSERT INTO document (id, case_id, template_id, template_version, title, wording, "
            "pdf, created_at, updated_at, updated_by) VALUES ('doc1', ?, 't', 1, 'Letter', "
            "'w', ?, 'x', 'x', 'sam')", [case_id, b"%PDF-1.7 \x00\xff bytes"])
    office.sync()
    other = Laptop(tmp_path, hub_db.add_user(), "other")
    other.sync()
    pdf = other.db.execute("SELECT pdf FROM document WHERE id = 'doc1'").fetchone()[0]
    assert pdf == b"%PDF-1.7 \x00\xff bytes"
    task_case = case_id
    with other.db.atomic():
        other.db.execute("DELETE FROM timeline_entry WHERE case_id = ?", [task_case])
    other.sync()
    office.sync()
    assert office.db.execute("SELECT count(*) FROM timeline_entry WHERE case_id = ?",
                             [case_id]).fetchone()[0] == 0
    hits = search.search_hits(office.db, "note")
    assert hits is None or case_id not in hits.scores  # the deleted note left the index
    local = office.db.execute("SELECT count(*) FROM audit_log").fetchone()[0]
    with hub_db.admin() as conn:
        sent = conn.execute("SELECT count(*) FROM hub.audit_entry WHERE device = %s",
                            [office.db.execute("SELECT device FROM sync_state")
                             .fetchone()[0]]).fetchone()[0]
    assert local > 0 and sent == local


def test_a_row_that_cannot_be_written_here_is_parked_not_lost(hub_db: HubDb,
                                                              tmp_path: Path) -> None:
    """Two laptops gave different cases the same reference (references are numbered per
    laptop today): the other laptop's case is kept aside and reported, nothing is lost."""
    a = Laptop(tmp_path, hub_db.add_user(), "a")
    b = Laptop(tmp_path, hub_db.add_user(), "b")
    case_a = _case(a, "Adams", "note a")
    case_b = _case(b, "Brown", "note b")
    ref_a = a.db.execute("SELECT reference FROM case_file").fetchone()[0]
    assert ref_a == b.db.execute("SELECT reference FROM case_file").fetchone()[0]
    a.sync()
    result = b.sync()
    assert result.parked >= 1
    parked = b.db.execute("SELECT tbl, reason FROM sync_parked").fetchall()
    assert ("case_file", ) in [(t,) for t, _ in parked]
    assert any("UNIQUE" in reason for _, reason in parked)
    assert b.db.execute("SELECT count(*) FROM case_file WHERE id = ?", [case_b]).fetchone()[0]
    assert b.db.execute("SELECT count(*) FROM case_file WHERE id = ?", [case_a]).fetchone()[0] \
        == 0


def test_a_page_read_ahead_that_fails_moves_no_cursor_past_what_was_written(
        hub_db: HubDb, tmp_path: Path) -> None:
    """The next page is asked for while this one is written (on a thread of its own): if
    asking fails, the pull stops at the next page with what is written kept, and the page
    cache of the large pull is given back."""
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    made = [_case(office, f"Family{n}", f"visited about transport{n}") for n in range(4)]
    office.sync()
    new = Laptop(tmp_path, hub_db.add_user(), "new")
    cache = new.db.execute("PRAGMA cache_size").fetchone()[0]
    pulls: list[str] = []

    def second_pull_fails(point: str) -> None:
        if point == "pull:before":
            pulls.append(point)
            if len(pulls) == 2:
                raise OSError("the line dropped")

    try:
        new.sync(fault=second_pull_fails, page_size=5)
        raise AssertionError("the failed read-ahead was not reported")
    except HubError:
        pass
    # a first load: the cursor waits for its end; the load's place is the first page's end
    assert new.db.execute("SELECT pull_cursor FROM sync_state").fetchone()[0] == 0
    at = sync_first_load.position(new.db)
    assert at is not None and at.snapshot > 0
    first_page = new.db.execute("SELECT tbl, row_key FROM sync_row").fetchall()
    tables = [t for t, _ in first_page]
    assert len(first_page) == 5 and tables.count("family") == 4  # families first
    assert set(tables) <= {"family", "person", "child"}
    assert at.table == "child" and at.key == max(k for t, k in first_page if t == "child")
    assert new.db.execute("PRAGMA cache_size").fetchone()[0] == cache
    result = new.sync(page_size=5)
    assert result.pages >= 2 and result.parked == 0
    assert set(new.rows("case_file")) == set(made)
    assert new.db.execute("PRAGMA cache_size").fetchone()[0] == cache


def test_rows_that_arrive_before_their_parents_wait_and_are_tried_only_when_it_comes(
        hub_db: HubDb, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """A family or case changed after its children comes after them in the ordinary pull,
    so a laptop that joined before gets the children first: they are parked, and written
    when the parent comes. Parked rows are tried again only when what they wait for has
    arrived (trying them all after every small page never finished on 1,000 families)."""
    from adviser_app.store import sync_pull, sync_rows

    office = Laptop(tmp_path, hub_db.add_user(), "office")
    new = _joined_before(tmp_path, hub_db, office)
    made = [_case(office, f"Family{n}", f"note {n}") for n in range(12)]
    office.sync()
    office.change_parents_last(made)
    office.sync()
    tries: list[int] = []  # records written or tried again, a batch at a time
    real = sync_pull._write_records

    def counted(page, records, *args, **kwargs):  # type: ignore[no-untyped-def]
        tries.append(len(records))
        return real(page, records, *args, **kwargs)
    monkeypatch.setattr(sync_pull, "_write_records", counted)
    parks: list[tuple[str, str]] = []
    real_park = sync_rows.park

    def park(page, table, key, record, reason):  # type: ignore[no-untyped-def]
        parks.append((key, reason))
        return real_park(page, table, key, record, reason)
    monkeypatch.setattr(sync_rows, "park", park)
    result = new.sync(page_size=3)
    waited = {key for key, reason in parks if reason.startswith(sync_rows.WAITING)}
    assert len(waited) >= 12  # children waited for their families
    assert result.parked == 0  # none left waiting
    assert new.db.execute("SELECT count(*) FROM sync_parked").fetchone()[0] == 0
    for table in ("family", "child", "case_file", "case_child", "timeline_entry"):
        assert new.rows(table) == office.rows(table), table
    # each parked row is tried about once more, not once for every later page
    assert sum(tries) <= result.pulled + 2 * len(waited), (sum(tries), len(waited))


def _joined_before(tmp_path: Path, hub_db: HubDb, office: Laptop) -> Laptop:
    """A laptop that loaded the register before the office's work that follows: it gets
    that work by the ordinary pull, in the order it changed on the hub (as a laptop back
    after weeks away would), not parents first as a new laptop's first load does."""
    _case(office, "Seed", "seed note")
    office.sync()
    early = Laptop(tmp_path, hub_db.add_user(), "new")
    early.sync()
    assert early.db.execute("SELECT pull_cursor FROM sync_state").fetchone()[0] > 0
    return early


def _big_case_after_its_entries(tmp_path: Path, hub_db: HubDb,
                                entries: int) -> tuple[Laptop, Laptop]:
    """An office whose case was changed after its entries, and a laptop that joined before:
    it gets the entries first (they wait, parked) and the case as the pull's last record."""
    office = Laptop(tmp_path, hub_db.add_user(), "office")
    early = _joined_before(tmp_path, hub_db, office)
    case_id = _case(office, "Bigcase", "first note")
    for n in range(entries):
        casework.add_timeline_entry(office.db, case_id, EntryDetails(
            EntryKind.HOME_VISIT, date(2026, 11, 3), "sam", f"visit{n}"), "sam")
    office.sync()
    with office.db.atomic():
        office.db.execute("UPDATE case_file SET summary = 'later' WHERE id = ?", [case_id])
    office.sync()
    return office, early


def test_a_window_writes_the_rows_waiting_for_a_case_a_chunk_at_a_time_none_lost(
        hub_db: HubDb, tmp_path: Path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    """When a case arrives, the entries parked until it came are not all written in the step
    that brought it (a big case has 2,000: seconds on the window's GUI thread): each step
    writes a chunk, the rest are listed as ready (sync_parked_ready) and follow in steps of
    their own; all arrive, searchable."""
    from adviser_app.store import sync_pull
    from adviser_app.sync import engine
    from adviser_app.sync.hub import Hub

    office, new = _big_case_after_its_entries(tmp_path, hub_db, 3 * sync_pull.CHUNK)
    unparked: list[int] = []
    for name in ("apply_page", "retry_parked"):
        real = getattr(sync_pull, name)

        def counted(*args, _real=real, **kwargs):  # type: ignore[no-untyped-def]
            done = _real(*args, **kwargs)
            unparked.append(done.unparked)
            return done
        monkeypatch.setattr(sync_pull, name, counted)
    with Hub(new.settings) as hub:  # no time to spare at all
        result = engine.run(engine.sync_steps(new.db, page_seconds=0.0), hub)
    assert sum(unparked) >= 3 * sync_pull.CHUNK  # the entries waited for their case
    assert max(unparked) <= sync_pull.CHUNK, unparked
    assert result.parked == 0 and not sync_pull.ready_parked(new.db)
    assert new.db.execute("SELECT count(*) FROM sync_parked").fetchone()[0] == 0
    for table in ("case_file", "timeline_entry", "timeline_entry_version"):
        assert new.rows(table) == office.rows(table), table
    found = search.search_hits(new.db, "visit17")  # their words are searchable too
    big = {k for k, row in new.rows("case_file").items() if row["summary"] == "later"}
    assert found and set(found.scores) == big and len(big) == 1


def test_a_window_stopped_while_parked_rows_are_written_loses_none(
        hub_db: HubDb, tmp_path: Path) -> None:
    """A window locked part way through writing the rows waiting for a case: what was
    written stays, the rest stay parked and listed as ready, and the next sync (here
    without a window) writes them all."""
    from adviser_app.store import sync_pull
    from adviser_app.sync import engine
    from adviser_app.sync.hub import Hub

    office, new = _big_case_after_its_entries(tmp_path, hub_db, 4 * sync_pull.CHUNK)
    with Hub(new.settings) as hub:
        steps = engine.sync_steps(new.db, page_seconds=0.0)
        step = next(steps)
        while step is not engine.pause or not sync_pull.ready_parked(new.db):
            step = steps.send(step(hub))
        before = new.db.execute("SELECT count(*) FROM sync_parked").fetchone()[0]
        steps.send(step(hub))  # one chunk of the waiting entries written, then the lock
        steps.close()
    waiting = new.db.execute("SELECT count(*) FROM sync_parked").fetchone()[0]
    assert 0 < waiting < before and sync_pull.ready_parked(new.db)
    assert new.sync().parked == 0
    assert not sync_pull.ready_parked(new.db)
    for table in ("case_file", "timeline_entry"):
        assert new.rows(table) == office.rows(table), table
