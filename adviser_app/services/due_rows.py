"""One line of the Deadlines view, whatever is due: a statutory deadline, a SEN support
review, a subject access request or a consent to share due for renewal."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Generic, Protocol, TypeVar

from adviser_app.domain.statutory.deadline import Deadline


class Dated(Protocol):
    """Anything the Deadlines view can show: it has a worked-out, explained deadline."""

    @property
    def deadline(self) -> Deadline: ...


ItemT = TypeVar("ItemT", bound=Dated, covariant=True)


@dataclass(frozen=True)
class DueRow(Generic[ItemT]):
    """What is due (`item.deadline`), the case it belongs to (no case id: a request from
    someone with no family in the case book), the person it is about, the case's adviser,
    and the kind it is filtered under in the view."""

    item: ItemT
    case_id: str
    reference: str
    family_name: str
    child_name: str
    adviser: str
    group: str
