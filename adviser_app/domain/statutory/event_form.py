"""Turning the statutory-event form into event details, or plain-English problems."""

from __future__ import annotations

from datetime import date
from typing import Any

from adviser_app.domain.statutory.events import OUTCOMES, EventDetails, EventKind
from adviser_app.domain.statutory.ehc_plan_rules import TransferKind
from adviser_app.domain.statutory.mediation_rules import AgreedAction, UnopposedAppeal
from adviser_app.domain.validation import Checker, Problem


def event_from_form(*, kind: EventKind, event_date: str, child_id: str | None,
                    outcome: str = "", transfer_kind: TransferKind | None = None,
                    transfer_year: str = "", move_date: str = "",
                    action: AgreedAction | None = None, contents: bool = False,
                    appealed: UnopposedAppeal | None = None, order_sent: str = "",
                    document: str = "", notes: str = "", today: date
                    ) -> tuple[EventDetails | None, list[Problem]]:
    c = Checker()
    when = c.date("event_date", "Date", event_date, required=True,
                  not_after=None if kind is EventKind.PHASE_TRANSFER else today)
    if not child_id:
        c.fail("child", "Choose the child or young person this is about.")
    params: dict[str, Any] = {}
    if kind in OUTCOMES:
        if outcome not in OUTCOMES[kind]:
            c.fail("outcome", "Choose what the local authority decided.")
        params["outcome"] = outcome
    if kind is EventKind.PHASE_TRANSFER:
        if transfer_kind is None:
            c.fail("transfer_kind", "Choose the kind of move.")
        elif transfer_kind is TransferKind.POST16_TO_POST16:
            moving = c.date("move_date", "Date of the move", move_date, required=True)
            if moving:
                params = {"transfer_kind": transfer_kind.value, "move_date": moving.isoformat()}
        else:
            year = transfer_year.strip()
            if not (year.isdigit() and 2000 <= int(year) <= 2100):
                c.fail("transfer_year", "Give the year of the move as four digits, "
                                        "e.g. 2027.")
            else:
                params = {"transfer_kind": transfer_kind.value, "transfer_year": int(year)}
    if kind is EventKind.TRIBUNAL_ORDER:
        if action is None or action is AgreedAction.NOT_APPEALABLE:
            c.fail("action", "Choose what the order tells the local authority to do.")
        else:
            params["action"] = action.value
        sent = c.date("order_sent", "Date the order was sent", order_sent, not_after=today)
        if sent is not None and when is not None and sent < when:
            c.fail("order_sent", "The order can't be sent before the date it was made.")
        elif sent is not None:
            params["sent"] = sent.isoformat()
    if kind is EventKind.UNOPPOSED_APPEAL:
        if appealed is None and contents:  # the older yes/no form (training data)
            appealed = UnopposedAppeal.CONTENTS
        if appealed is None:
            c.fail("appealed", "Choose which decision the appeal was about: each has its "
                               "own time limit.")
        else:
            params["appealed"] = appealed.value
    details = EventDetails(
        kind=kind, event_date=when or today, child_id=child_id or "", params=params,
        document=c.text("document", "Document it came from", document),
        notes=c.text("notes", "Notes", notes, multiline=True, max_len=5000))
    return (details if c.ok else None), c.problems
