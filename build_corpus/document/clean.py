"""Clean: an ordered table of small named fixes, and the log of what they did.

The text between stages is one paragraph per line, no blank lines. `clean()` runs
the fixes (fixes.py) in FIXES order and, like ftfy's `fix_and_explain`, logs by fix
name what each fix that changed the text removed or replaced, counted, so the
report page and `inspect` can show it. Nothing is removed without a record: the
tests check the log against a diff of every fix's input and output.
"""
from __future__ import annotations

from collections import Counter
from collections.abc import Callable

from ..model import Removal
from ..safe_text import unholdable_named
from .fixes import (
    Change,
    Fixed,
    balance_bold_markers,
    break_run_on_lines,
    cleaning_data,
    drop_injected_junk,
    drop_page_footer,
    drop_page_numbers,
    drop_running_headers,
    drop_web_chrome,
    fullwidth_alphanumerics_to_ascii,
    halfwidth_punctuation_to_fullwidth,
    join_wrapped_lines,
    remove_invisible_characters,
    remove_spaces_next_to_chinese,
    remove_unholdable_characters,
    strip_line_indentation,
)

# The order matters: chrome is recognised on raw lines, punctuation before joining
# (joining looks at sentence ends), run-on lines are broken at spaces before those go,
# and bold pairs are balanced once the final lines exist.
FIXES: list[tuple[str, Callable[[str], Fixed]]] = [
    ("remove_unholdable_characters", remove_unholdable_characters),
    ("remove_invisible_characters", remove_invisible_characters),
    ("drop_injected_junk", drop_injected_junk),
    ("drop_page_footer", drop_page_footer),
    ("drop_web_chrome", drop_web_chrome),
    ("drop_page_numbers", drop_page_numbers),
    ("drop_running_headers", drop_running_headers),
    ("fullwidth_alphanumerics_to_ascii", fullwidth_alphanumerics_to_ascii),
    ("halfwidth_punctuation_to_fullwidth", halfwidth_punctuation_to_fullwidth),
    ("strip_line_indentation", strip_line_indentation),
    ("join_wrapped_lines", join_wrapped_lines),
    ("break_run_on_lines", break_run_on_lines),
    ("balance_bold_markers", balance_bold_markers),
    ("remove_spaces_next_to_chinese", remove_spaces_next_to_chinese),
]


MAX_PASSES = 4


def clean(text: str, fixes=FIXES) -> tuple[str, list[Removal]]:
    """Run the fixes in order until none changes anything; return the text and what each removed.

    One fix can expose work for an earlier one (removing the space in 睈 9; makes 9; a clause
    end to convert), so the table runs to a fixed point: cleaning clean text changes nothing.
    A pass ends early when it reaches, still unchanged, the fixes after the previous pass's
    last change: they have already left this very text as it is.
    """
    log: Counter = Counter()   # (fix, removed, replacement) -> how many times
    settled = len(fixes)   # fixes from this index on have left the current text as it is
    for _ in range(MAX_PASSES):
        last_change = None
        for index, (name, fix) in enumerate(fixes):
            if last_change is None and index >= settled:
                break
            fixed, changes = fix(text)
            if fixed != text:
                made = Counter(changes)
                for change in sorted(made, key=lambda change: text.find(change[0])):   # as a reader meets them
                    for removed, replacement in readable(*change):
                        log[name, removed, replacement] += made[change]
                text, last_change = fixed, index
        if last_change is None:
            break
        settled = last_change + 1
    return text, [Removal(fix, _junk_named(removed), replacement, n) for (fix, removed, replacement), n in log.items()]


# --- how the log shows a change --------------------------------------------

def readable(removed: str, replacement: str) -> list[Change]:
    """A change as the log records it: removed lines one by one, stripped (a blank one as \\n);
    whitespace by name (␣, \\n); a line broken in two not at all (nothing went).

    >>> readable("\\n责任编辑：\\n 李莎莎", ""), readable("\\u3000 ", ""), readable("", "\\n")
    ([('责任编辑：', ''), ('李莎莎', '')], [('␣␣', '')], [])
    """
    if "\n" in removed and not replacement and removed.strip():   # (a line break at either end joins it to the text around)
        return [(line.strip() or "\\n", "") for line in removed.removeprefix("\n").removesuffix("\n").split("\n")]
    if not removed and not replacement.strip():
        return []
    return [(_visible(removed), _visible(replacement))]


def _visible(text: str) -> str:
    """Whitespace-only text is named so the log stays readable, and so are characters no page can hold."""
    text = unholdable_named(text)
    if text and not text.strip():
        return text.replace("\n", "\\n").replace(" ", "␣").replace("\u3000", "␣").replace("\t", "\\t")
    return text


def _junk_named(text: str) -> str:
    """Junk strings are logged by their entry in cleaning.yml, so the output never repeats them."""
    junk = cleaning_data()["junk_strings"]
    return junk_reference(junk.index(text)) if text in junk else text


def junk_reference(index: int) -> str:
    """How the log names a removed junk string: its position in data/cleaning.yml."""
    return f"⟨cleaning.yml junk_strings #{index + 1}⟩"
