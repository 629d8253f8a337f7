"""Aligned plain-text tables whose long cells wrap onto further lines (terminal output)."""

from __future__ import annotations

import itertools
import textwrap


def text_table(headers: list[str], rows: list[list[str]], max_widths: list[int]) -> str:
    """An aligned table whose long cells wrap onto further lines."""
    widths = [max(min(mw, max([len(h)] + [len(r[i]) for r in rows])), *(len(w) for w in h.split()))
              for i, (h, mw) in enumerate(zip(headers, max_widths))]  # never narrower than a word of the header
    def line(cells: list[str]) -> str:
        return " | ".join(c.ljust(w) for c, w in zip(cells, widths)).rstrip()
    heads = [_wrap(h, w) for h, w in zip(headers, widths)]  # a long header wraps like a long cell
    out = [line(list(parts)) for parts in itertools.zip_longest(*heads, fillvalue="")]
    out.append("-+-".join("-" * w for w in widths))
    for r in rows:
        wrapped = [_wrap(cell, w) for cell, w in zip(r, widths)]
        if all(len(parts) == 1 for parts in wrapped):
            out.append(line([parts[0] for parts in wrapped]))
            continue
        for parts in itertools.zip_longest(*wrapped, fillvalue=""):
            out.append(line(list(parts)))
    return "\n".join(out) + "\n"


def _wrap(cell: str, width: int) -> list[str]:
    """The cell's lines: ``textwrap.wrap``, skipped for a cell that fits and that it would leave as it is."""
    if len(cell) <= width and cell.isprintable() and cell == cell.rstrip() and cell.strip():
        return [cell]
    return textwrap.wrap(cell, width, break_long_words=True) or [""]
