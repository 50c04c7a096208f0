"""Letters and summaries as plain values, and the small template language their wording is
written in (under resources/letters/, one file per document, with a version).

Template files: a header of "key: value" lines, a line "---", then the wording. In the
wording, "{field}" is filled from the case; a line "# Heading" is a heading; "- text" a bullet;
a line "{{block}}" alone is a table or list the app builds (next dates, deadlines, notes); a
blank line ends a paragraph.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field

_FIELD = re.compile(r"\{([a-z_]+)\}")
_BLOCK = re.compile(r"^\{\{([a-z_]+)\}\}$")


@dataclass(frozen=True)
class Template:
    id: str
    version: int
    title: str
    audience: str
    body: str

    @property
    def fields(self) -> list[str]:
        return list(dict.fromkeys(_FIELD.findall(_BLOCK.sub("", self.body))))

    @property
    def reference(self) -> str:
        return f"{self.id} v{self.version}"


def parse_template(text: str) -> Template:
    head, sep, body = text.partition("\n---\n")
    if not sep:
        raise ValueError("a letter template needs a header, a line '---', then the wording")
    meta = {}
    for line in head.splitlines():
        if line.strip():
            key, _, value = line.partition(":")
            meta[key.strip()] = value.strip()
    return Template(meta["id"], int(meta["version"]), meta["title"],
                    meta.get("audience", "family"), body.strip("\n") + "\n")


@dataclass(frozen=True)
class Block:
    """One piece of a letter: a heading, a paragraph, a bullet, or a table of rows."""

    kind: str  # "heading" | "paragraph" | "bullet" | "table"
    text: str = ""
    rows: tuple[tuple[str, ...], ...] = ()


@dataclass(frozen=True)
class Letter:
    template: str  # e.g. "case_summary v1": which template and version produced it
    title: str
    blocks: tuple[Block, ...]
    date_line: str = ""
    recipient: tuple[str, ...] = ()
    signature: tuple[str, ...] = ()
    meta: Mapping[str, str] = field(default_factory=dict)

    def plain_text(self) -> str:
        out = list(self.recipient) + ([self.date_line] if self.date_line else []) + [""]
        for b in self.blocks:
            if b.kind == "table":
                out += ["  ".join(r) for r in b.rows]
            elif b.kind == "bullet":
                out.append(f"\u2022 {b.text}")
            else:
                out.append(b.text)
        return "\n".join(out + [""] + list(self.signature))


def missing_fields(template_text: str, values: Mapping[str, str]) -> list[str]:
    """Fields the wording uses that have no value: never printed as blanks."""
    used = _FIELD.findall(_BLOCK.sub("", "\n".join(
        line for line in template_text.splitlines() if not _BLOCK.match(line.strip()))))
    return [name for name in dict.fromkeys(used) if not str(values.get(name, "")).strip()]


def fill(text: str, values: Mapping[str, str]) -> str:
    """Put the case's values into the wording (blocks stay as {{name}} for the builder)."""
    return _FIELD.sub(lambda m: str(values.get(m.group(1), m.group(0))), text)


def to_blocks(filled: str, tables: Mapping[str, list[tuple[str, ...]]]) -> tuple[Block, ...]:
    """Turn filled wording into blocks; {{name}} lines become the tables the app built."""
    blocks: list[Block] = []
    paragraph: list[str] = []

    def flush() -> None:
        if paragraph:
            blocks.append(Block("paragraph", "\n".join(paragraph)))  # its line breaks kept
            paragraph.clear()

    for raw in filled.splitlines():
        line = raw.strip()
        block = _BLOCK.match(line)
        if not line:
            flush()
        elif block:
            flush()
            rows = tables.get(block.group(1))
            if rows:
                blocks.append(Block("table", rows=tuple(rows)))
            elif rows is not None:
                blocks.append(Block("paragraph", "(None at the moment.)"))
            else:
                raise ValueError(f"the wording asks for {{{{{block.group(1)}}}}}, which this "
                                 "document does not have")
        elif line.startswith("# "):
            flush()
            blocks.append(Block("heading", line[2:].strip()))
        elif line.startswith("- "):
            flush()
            blocks.append(Block("bullet", line[2:].strip()))
        else:
            paragraph.append(line)
    flush()
    return tuple(blocks)


def reading_text(wording: str) -> str:
    """Kept wording as plain text a family can read (for the subject access copy): headings
    and bullets without their markers, and each table the app built named in words, since
    only the letter as sent holds it."""
    lines = []
    for raw in wording.splitlines():
        line = raw.strip()
        block = _BLOCK.match(line)
        if block:
            lines.append(f"[a list the app made here ({block.group(1).replace('_', ' ')}) is "
                         "in the letter as sent]")
        elif line.startswith("# "):
            lines.append(line[2:].strip().upper())
        elif line.startswith("- "):
            lines.append("\u2022 " + line[2:].strip())
        else:
            lines.append(line)
    return "\n".join(lines)

