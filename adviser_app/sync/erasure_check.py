"""adviser-hub check: erasures the laptops hold that the hub has no record of.

Restoring the hub from an older backup brings back every record erased since that backup,
and the hub forgets those erasures. Each laptop reports the erasures it holds at every sync
(db/hub/0006), so after a restore the first sync of any laptop that holds one tells the hub
what it has lost. This lists them, for IT to have each case erased again."""

from __future__ import annotations

from typing import Any

from adviser_app.domain.validation import format_date

CHECK_VERSION = 6
"""The hub schema that takes the laptops' reports (db/hub/0006)."""

AGAIN = ("The records of these cases are on the hub again, and every laptop that joins or "
         "syncs from scratch receives them. To erase them again: on a laptop joined to the "
         "hub, find each case by its reference (it is back in the register), erase or "
         "anonymise it again as before, and sync. Then run adviser-hub purge. Run this check "
         "again once every laptop has synced.")


def missing(conn: Any) -> list[tuple[str, str, str, str, int]]:
    """(case reference, kind, erased at, erasure id, how many laptops hold it) for each
    erasure reported by a laptop that the hub holds no record of."""
    rows = conn.execute(
        "SELECT min(r.case_reference), min(r.kind), min(r.erased_at), r.erasure_id, "
        "count(DISTINCT r.device) FROM hub.erasure_report r "
        "WHERE r.erasure_id IN (SELECT hub.missing_erasures(jsonb_agg(jsonb_build_object("
        "'id', q.erasure_id))) FROM (SELECT DISTINCT erasure_id FROM hub.erasure_report) q) "
        "GROUP BY r.erasure_id ORDER BY 3, 1").fetchall()
    return [(str(a), str(b), str(c), str(d), int(e)) for a, b, c, d, e in rows]


def _day(text: str) -> str:
    from datetime import datetime

    try:
        return format_date(datetime.fromisoformat(text).date())
    except ValueError:
        return text


def report(conn: Any) -> tuple[bool, str]:
    """(all well, what to say)."""
    reported = int(conn.execute(
        "SELECT count(DISTINCT erasure_id) FROM hub.erasure_report").fetchone()[0])
    lost = missing(conn)
    if not lost:
        return True, (f"Every erasure the laptops have reported ({reported}) is on the hub. "
                      "(A laptop reports its erasures each time it syncs.)")
    lines = [f"The hub has no record of {len(lost)} erasure(s) that laptops hold: it was "
             "probably restored from a backup older than them."]
    for reference, kind, at, _id, laptops in lost:
        lines.append(f"  {reference}: {kind} on {_day(at)} (held by {laptops} laptop(s))")
    lines.append(AGAIN)
    return False, "\n".join(lines)
