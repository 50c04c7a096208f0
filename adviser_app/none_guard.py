"""A guard against a reference-counting fault in the Qt bindings on Python 3.11.

Every PySide6/shiboken6 6.12.0 method that returns nothing (setText, show, update, a timer's
start, processEvents...) hands Python its `None` without counting the reference. From Python
3.12 `None` is immortal and this does no harm; on 3.11 each call takes one from None's count,
and once the calls outnumber None's references (a few thousand in a bare script; 300,000
setText calls abort it) Python stops with "none_dealloc: deallocating None". For an adviser
that is the app vanishing mid-visit, losing whatever was being typed.

The guard gives None's count a margin so large (2**40) that the fault can never bring it to
zero, which is what Python 3.12 does by making None immortal. It is applied once, before the
first window; on 3.12 and later it does nothing. Remove it when the pinned bindings count
correctly (tests/ui/test_none_guard.py shows the fault and the guard).

`True` and `False` get the same margin: a run of 86 UI tests ended with Python aborting at
exit on "bool_dealloc" (deallocating False), the same fault reaching a bool from a call we
have not pinned down. They too are immortal from Python 3.12.
"""

from __future__ import annotations

import ctypes
import sys

MARGIN = 1 << 40
_applied = False


def keep_none_alive() -> None:
    """Raise the reference counts of None, True and False by MARGIN, once per process
    (Python 3.11 only)."""
    global _applied
    if _applied or sys.version_info >= (3, 12):
        return
    # ob_refcnt is the first field of every object in a release build of CPython 3.11
    for singleton in (None, True, False):
        ctypes.c_ssize_t.from_address(id(singleton)).value += MARGIN
    _applied = True
