"""adviser-hub check: what a restore of the hub from an older backup has lost.

Restoring the hub from an older backup brings back every record erased since that backup
(the hub forgets those erasures), loses the changes it accepted since, and winds its
sequence back. Each laptop reports at every sync the erasures it holds and the last records
it pulled (db/hub/0006), so after a restore the first sync of each laptop tells the hub what
it has lost. This lists it, for IT to act on."""

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


BEHIND = ("Changes the hub accepted after that backup was taken are on the laptops that "
          "made them, not on the hub, and a laptop may not receive records changed on the "
          "hub since the restore. The app cannot yet mend this by itself: until it can, "
          "keep the laptops working offline (stop the hub) and ask for support.")


def behind(conn: Any) -> list[tuple[str, str, Any, Any]]:
    """(device, user, laptop number, when) for each laptop that found the hub holding less
    than it had already fetched."""
    rows = conn.execute("SELECT device, by_role, number, found_behind FROM hub.device "
                        "WHERE found_behind IS NOT NULL ORDER BY found_behind").fetchall()
    return [(str(d), str(u), n, w) for d, u, n, w in rows]


def report(conn: Any) -> tuple[bool, str]:
    """(all well, what to say)."""
    reported = int(conn.execute(
        "SELECT count(DISTINCT erasure_id) FROM hub.erasure_report").fetchone()[0])
    lost, older = missing(conn), behind(conn)
    if not lost and not older:
        return True, (f"Every erasure the laptops have reported ({reported}) is on the hub, "
                      "and no laptop has found the hub holding less than it had already "
                      "fetched. (Laptops report each time they sync.)")
    lines = []
    if older:
        lines.append(f"{len(older)} laptop(s) found the hub holding less than they had "
                     "already fetched from it: it was restored from an older backup.")
        for _device, user, number, when in older:
            laptop = f"laptop {number}" if number is not None else "a laptop"
            lines.append(f"  {laptop} ({user}), at its sync on "
                         f"{when.strftime('%d/%m/%Y %H:%M')}")
        lines.append(BEHIND)
    if lost:
        lines.append(f"The hub has no record of {len(lost)} erasure(s) that laptops hold: it "
                     "was probably restored from a backup older than them.")
        for reference, kind, at, _id, laptops in lost:
            lines.append(f"  {reference}: {kind} on {_day(at)} (held by {laptops} laptop(s))")
        lines.append(AGAIN)
    return False, "\n".join(lines)
