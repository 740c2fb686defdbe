"""Escaping of data strings, one function per output format.

Data strings (names, notes, sources, route names) come from files anyone can
edit. Each output format has its own live syntax, and each gets one function
here that every writer of that format calls:

- :func:`markdown` — HTML (``<``, ``>``, ``&``) escaped, link and table syntax
  neutralised (``[``, ``]``, ``|``, backticks), control characters replaced;
  :func:`markdown_code` — a code span that no backtick in the text can close;
- :func:`spreadsheet` — CSV and XLSX cells: text that a spreadsheet would run
  as a formula (starting with ``=``, ``+``, ``-``, ``@``, tab or carriage
  return) is prefixed with an apostrophe, the usual marker for literal text,
  and control characters are replaced (XLSX cannot even store most of them);
- :func:`terminal` — control characters, escape sequences and bidirectional
  overrides shown as visible ``\\xNN`` escapes, never sent to the terminal.

HTML uses :func:`html.escape` where it is written; the map keeps data in JSON
and reaches the page through ``textContent`` only.
"""

from __future__ import annotations

import html
import re

#: C0 controls but tab and newline, DEL, C1 controls, and the Unicode bidirectional overrides.
_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_ANY_CONTROL = re.compile("[\x00-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069]")
_MARKDOWN = {"\\": "\\\\", "|": "\\|", "[": "\\[", "]": "\\]", "`": "\\`"}
_FORMULA = ("=", "+", "-", "@", "\t", "\r")
REPLACEMENT = "\ufffd"


def markdown(text: str) -> str:
    """``text`` as inert Markdown: no HTML, no links, no table breaks, no control characters."""
    text = _ANY_CONTROL.sub(lambda m: " " if m.group() in "\n\r\t" else REPLACEMENT, str(text))
    text = html.escape(text, quote=False)
    return "".join(_MARKDOWN.get(c, c) for c in text)


def markdown_code(text: str) -> str:
    """``text`` as a Markdown code span, fenced by more backticks than it holds in a row."""
    text = _ANY_CONTROL.sub(REPLACEMENT, str(text))
    longest = max((len(run) for run in re.findall(r"`+", text)), default=0)
    fence = "`" * (longest + 1)
    pad = " " if text.startswith("`") or text.endswith("`") else ""
    return f"{fence}{pad}{text}{pad}{fence}"


def spreadsheet(text: str) -> str:
    """``text`` as a literal spreadsheet cell: never a formula, no control characters."""
    text = str(text)
    if text.startswith(_FORMULA):
        text = "'" + text
    return _ANY_CONTROL.sub(REPLACEMENT, text)


def terminal(text: str) -> str:
    """``text`` safe to print: control characters and escape sequences made visible, newlines kept."""
    return _CONTROL.sub(
        lambda m: f"\\x{ord(m.group()):02x}" if ord(m.group()) < 0x100 else f"\\u{ord(m.group()):04x}", str(text)
    )
