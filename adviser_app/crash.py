"""What happens on an unexpected error: a plain message, and a report that names where it
happened but never what data was involved (exception messages can hold a child's name)."""

from __future__ import annotations

import traceback
from types import TracebackType


def crash_report(kind: type[BaseException], tb: TracebackType | None) -> str:
    """The exception's type and the code locations only: no message, no local variables."""
    frames = traceback.extract_tb(tb)
    lines = [f"{kind.__module__}.{kind.__qualname__}"]
    lines += [f"  {f.filename.rsplit('/', 1)[-1]}:{f.lineno} in {f.name}" for f in frames]
    return "\n".join(lines)


PLAIN_MESSAGE = ("Something went wrong in Adviser Toolkit. Everything you saw as saved is "
                 "safe. If this keeps happening, tell your IT support what you were doing.")
