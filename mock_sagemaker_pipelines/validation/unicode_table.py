"""The Unicode general-category table behind Java's ``\\p{..}`` classes, precomputed.

Scanning every code point with :func:`unicodedata.category` (about 320,000 calls, 0.2 s of CPU)
on the first model pattern with a ``\\p{..}`` class made every process, ``simulate`` included,
start slower. :func:`general_category_ranges` reads ``unicode_categories.json`` instead: the same
table, written by this module's script for one Unicode database version. When the running
Python's :data:`unicodedata.unidata_version` differs from the file's, the table is scanned as
before, so a pattern matches the same strings on every Python.

Regenerate after a Python upgrade (``tests/test_unicode_table.py`` regenerates it and compares)::

    python scripts/generate_unicode_table.py
"""

from __future__ import annotations

import functools
import json
import unicodedata
from pathlib import Path

#: The precomputed table: ``{"unidata_version": "14.0.0", "ranges": {"Lu": [[65, 90], ...]}}``.
TABLE_PATH = Path(__file__).with_name("unicode_categories.json")

Ranges = dict[str, tuple[tuple[int, int], ...]]


def scan_general_categories() -> Ranges:
    """Inclusive code-point ranges of every Unicode general category (``Lu``, ``Zs``, ...).

    Planes 0-3 and 14 are scanned with :func:`unicodedata.category`; planes 4-13 hold no assigned
    code points and planes 15-16 are private use, so they are filled in without scanning.
    """
    ranges: dict[str, list[tuple[int, int]]] = {}

    def scan(first: int, stop: int) -> None:
        category = unicodedata.category
        current = category(chr(first))
        start = first
        for cp in range(first + 1, stop):
            cat = category(chr(cp))
            if cat != current:
                ranges.setdefault(current, []).append((start, cp - 1))
                current, start = cat, cp
        ranges.setdefault(current, []).append((start, stop - 1))

    scan(0x0, 0x40000)
    scan(0xE0000, 0xF0000)
    ranges.setdefault("Cn", []).append((0x40000, 0xDFFFF))
    ranges.setdefault("Co", []).extend(((0xF0000, 0xFFFFD), (0x100000, 0x10FFFD)))
    ranges["Cn"].extend(((0xFFFFE, 0xFFFFF), (0x10FFFE, 0x10FFFF)))
    return {cat: tuple(spans) for cat, spans in ranges.items()}


def render_table(ranges: Ranges) -> str:
    """The JSON text of ``unicode_categories.json`` for ``ranges`` (one category a line)."""
    lines = [
        f"  {json.dumps(cat)}: {json.dumps([list(span) for span in spans], separators=(',', ':'))}"
        for cat, spans in sorted(ranges.items())
    ]
    version = json.dumps(unicodedata.unidata_version)
    return '{"unidata_version": ' + version + ', "ranges": {\n' + ",\n".join(lines) + "\n}}\n"


@functools.lru_cache(maxsize=1)
def general_category_ranges() -> Ranges:
    """The general-category ranges of the running Python's Unicode database (read or scanned)."""
    try:
        stored = json.loads(TABLE_PATH.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return scan_general_categories()
    if stored.get("unidata_version") != unicodedata.unidata_version:
        return scan_general_categories()
    return {
        cat: tuple((first, last) for first, last in spans)
        for cat, spans in stored["ranges"].items()
    }


def main() -> None:
    """Write ``unicode_categories.json`` for the running Python's Unicode database."""
    TABLE_PATH.write_text(render_table(scan_general_categories()), encoding="utf-8")
    print(f"wrote {TABLE_PATH} (Unicode {unicodedata.unidata_version})")
