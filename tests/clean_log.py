"""The cross-check of the cleaning log: does it account for every character each fix removed?

clean() logs what the fixes say they changed (clean.readable of each fix's changes). Here
the fix's input and output are compared directly: the visible characters the output lacks
(or gained) must be exactly those the fix's log entries removed (or put in), each entry's
removed text must stand in the input and its replacement in the output. Whitespace is
logged by name (␣, \\n) and a removed line stripped, so the count leaves whitespace out;
a junk string counts as the string its cleaning.yml reference stands for.
"""
from __future__ import annotations

import re
from collections import Counter

from build_corpus.document.clean import FIXES, MAX_PASSES, cleaning_data, junk_reference, readable

WHITESPACE_NAMES = ("\\n", "\\t", "␣")


def runs(text: str, fixes=FIXES):
    """(fix, input, output, log entries) of each fix that changed the text, as clean() runs them."""
    for _ in range(MAX_PASSES):
        changed = False
        for name, fix in fixes:
            fixed, changes = fix(text)
            if fixed != text:
                yield name, text, fixed, [entry for change in changes for entry in readable(*change)]
                text, changed = fixed, True
        if not changed:
            return


def junk_string(text: str) -> str:
    """The junk string a log entry's cleaning.yml reference stands for (clean() never repeats it); other text as it is."""
    junk = cleaning_data()["junk_strings"]
    return next((string for i, string in enumerate(junk) if text == junk_reference(i)), text)


_NAMED_CHARACTER = re.compile(r"⟨U\+([0-9A-F]{4,6})⟩")


def logged_text(text: str) -> str:
    """What a log entry's text stands for: a junk string for its reference, "" for named whitespace,
    the character for a code point the log names (⟨U+202E⟩)."""
    text = _NAMED_CHARACTER.sub(lambda m: chr(int(m.group(1), 16)), junk_string(text))
    named = text
    for name in WHITESPACE_NAMES:
        named = named.replace(name, "")
    return "" if not named.strip() else text


def visible(text: str) -> Counter:
    return Counter(ch for ch in text if not ch.isspace())


def unaccounted(before: str, after: str, entries: list[tuple[str, str]]) -> list[str]:
    """What the log entries of one fix fail to account for (empty when they account for all)."""
    went = visible(before)
    went.subtract(visible(after))
    logged: Counter = Counter()
    problems = []
    for removed, replacement in entries:
        removed, replacement = logged_text(removed), logged_text(replacement)
        logged.update(visible(removed))
        logged.subtract(visible(replacement))
        if removed.strip() and removed not in before:
            problems.append(f"logged as removed but not in the input: {removed!r}")
        if replacement.strip() and replacement not in after:
            problems.append(f"logged as put in but not in the output: {replacement!r}")
    went.subtract(logged)
    if any(went.values()):
        problems.append("not accounted for (+ removed but not logged, − logged but not removed, or put in "
                        f"unlogged): {dict((ch, n) for ch, n in went.items() if n)}")
    if not entries and len(after) < len(before):
        problems.append("characters were removed but nothing was logged")
    return problems
