"""A writer process for the random I/O error test (T3), run under libfiu's fiu-run, which
makes a random share of the real pwrite() and fsync() calls fail:

    fiu-run -x -c "enable_random name=posix/io/rw/pwrite,probability=P" ... \
        python fiu_writer.py DATA_DIR CASE_ID SAVES TAG FAULTS [--no-transactions]
                                                           [--fail-from-connect=K,ERRNO]

It opens the real encrypted case book with the app's own functions and adds timeline notes
with the app's own save (services.casework.add_timeline_entry). It prints one JSON line per
event on stdout:

    {"event": "open_failed", ...}  opening raised (it tries again, up to 20 times)
    {"event": "saved", "n": N, "entry": ID}  the save returned: the "Saved" an adviser sees
    {"event": "failed", "n": N, "error": ..., "name": ..., "shown": ...}  the save raised;
        "shown" is what the app would put on screen (ui.form_support.save_failure_message)
    {"event": "retried", "n": N, "entry": ID} or {"event": "retry_failed", ...}  the same
        save tried again at once with the faults paused, as an adviser pressing Save again
        once the disk has recovered
    {"event": "done"}

FAULTS is the fault list as "name=probability,name=probability": the writer pauses and
resumes those points through libfiu's C API (loaded into the process by fiu-run).

With --no-transactions each statement of a save commits on its own (the test's "teeth" run,
which must find half-saved notes).

With --fail-from-connect=K,ERRNO every pwrite fails with ERRNO from the K-th connection the app
makes to a database file onwards (so a fault can be aimed at a stage of opening); the writer
tries to open once, reports how that went, then opens again with the fault gone ("reopened").
"""

from __future__ import annotations

import contextlib
import ctypes
import json
import sys
from datetime import date
from pathlib import Path
from typing import Any

import sqlcipher3

from adviser_app.domain.records import EntryDetails
from adviser_app.domain.vocab import EntryKind
from adviser_app.services import case_books, casework
from adviser_app.store.db import close_case_book
from adviser_app.store.errors import CaseBookError
from adviser_app.ui.form_support import save_failure_message
from support import open_book


def say(event: str, **fields: Any) -> None:
    print(json.dumps({"event": event, **fields}), flush=True)


def describe(exc: BaseException) -> dict[str, Any]:
    return {"error": type(exc).__name__, "name": getattr(exc, "sqlite_errorname", None),
            "text": str(exc), "worded": isinstance(exc, CaseBookError)}


class Faults:
    """Pause and resume the fault points fiu-run switched on."""

    def __init__(self, spec: str) -> None:
        self.points = [(name.encode(), float(p)) for name, p in
                       (item.split("=") for item in spec.split(",") if item)]
        self.lib = ctypes.CDLL(None)  # libfiu comes in with fiu-run's preload library
        self.lib.fiu_enable_random.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p,
                                               ctypes.c_uint, ctypes.c_float]
        self.lib.fiu_disable.argtypes = [ctypes.c_char_p]
        self.lib.fiu_enable.argtypes = [ctypes.c_char_p, ctypes.c_int, ctypes.c_void_p,
                                        ctypes.c_uint]

    def pause(self) -> None:
        self.aimed = False  # a fault aimed at a later connection is called off too
        for name, _ in self.points:
            self.lib.fiu_disable(name)

    def resume(self) -> None:
        for name, probability in self.points:
            self.lib.fiu_enable_random(name, 1, None, 0, probability)

    def fail_from_connect(self, number: int, errno: int) -> None:
        """Make every pwrite fail with *errno* from the *number*-th sqlcipher3 connection to a
        file on (in-memory ones, like the cipher version check, do not count). store/db.py
        calls sqlcipher3.connect through the module, so this sees each one."""
        real = sqlcipher3.connect
        made = 0
        self.aimed = True

        def connect(*args: Any, **kwargs: Any) -> Any:
            nonlocal made
            if str(args[0] if args else kwargs.get("database")) == ":memory:":
                return real(*args, **kwargs)
            made += 1
            if made == number and self.aimed:
                self.lib.fiu_enable(b"posix/io/rw/pwrite", 1, errno, 0)
                self.points.append((b"posix/io/rw/pwrite", 1.0))
            return real(*args, **kwargs)

        sqlcipher3.connect = connect


def main() -> None:
    data_dir, case_id, saves, tag, spec = sys.argv[1:6]
    faults = Faults(spec)
    place = case_books.real_place(Path(data_dir))
    aimed = [a.split("=", 1)[1] for a in sys.argv if a.startswith("--fail-from-connect=")]
    if aimed:
        number, errno = (int(part) for part in aimed[0].split(","))
        faults.fail_from_connect(number, errno)
        try:
            opened = open_book(place)
        except Exception as exc:
            say("open_failed", **describe(exc))
        else:
            say("opened")
            faults.pause()
            close_case_book(opened)
        faults.pause()
        close_case_book(open_book(place))
        say("reopened")
        return
    db = None
    for _ in range(20):
        try:
            db = open_book(place)
            break
        except Exception as exc:
            say("open_failed", **describe(exc))
    if db is None:
        return
    if "--no-transactions" in sys.argv:
        db.atomic = contextlib.nullcontext  # type: ignore[method-assign,assignment]

    def note(n: int, attempt: str) -> EntryDetails:
        return EntryDetails(EntryKind.NOTE, date(2026, 11, 2), "Writer",
                            f"{tag} save {n} {attempt} " + "evidence " * (n % 40))

    for n in range(1, int(saves) + 1):
        try:
            entry = casework.add_timeline_entry(db, case_id, note(n, "first"), "writer")
            say("saved", n=n, entry=entry)
            continue
        except Exception as exc:
            say("failed", n=n, shown=save_failure_message(exc), **describe(exc))
        faults.pause()
        try:
            entry = casework.add_timeline_entry(db, case_id, note(n, "again"), "writer")
            say("retried", n=n, entry=entry)
        except Exception as exc:
            say("retry_failed", n=n, **describe(exc))
        finally:
            faults.resume()
    faults.pause()  # closing is not under test here
    close_case_book(db)
    say("done")


if __name__ == "__main__":
    main()
