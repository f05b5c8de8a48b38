"""Stage 3 — classify: is a document a government work report, or some other article?

A work report is a speech to a people's congress: it addresses 各位代表 near
the start and says it reports the government's work. News items about the
same place share its vocabulary but never the salutation, so the two signals
together separate them; the reason is kept so the build can show it.
"""
from __future__ import annotations

import re

from .model import OTHER, WORK_REPORT

SALUTATION = re.compile(r"各位代表\s*[:：,，!！、]")
REPORTING = re.compile(r"(向大会|向本次大会)?(报告工作|作(政府)?工作报告|作报告|报告[一二]?[0-9〇零一二三四五六七八九]*年?政府工作)")
TITLE_SAYS_REPORT = re.compile(r"政府工作报告")
# How far into a document the salutation may stand (header, chrome and title come first).
SALUTATION_WINDOW = 1500
MIN_REPORT_CHARS = 2000


def classify(title: str, text: str) -> tuple[str, str]:
    """Return (kind, reason)."""
    head = text[:SALUTATION_WINDOW]
    salutation = SALUTATION.search(head)
    reporting = REPORTING.search(text[:SALUTATION_WINDOW + 500])
    titled = TITLE_SAYS_REPORT.search(title or "") or TITLE_SAYS_REPORT.search(head)
    long_enough = len(text) >= MIN_REPORT_CHARS
    if salutation and (reporting or titled) and long_enough:
        why = "称呼“各位代表”" + ("，并说明向大会报告工作" if reporting else "，标题为政府工作报告")
        return WORK_REPORT, why
    missing = []
    if not salutation:
        missing.append("开头没有“各位代表”称呼")
    if not (reporting or titled):
        missing.append("没有“报告工作”字样，标题也不是政府工作报告")
    if not long_enough:
        missing.append(f"正文不足 {MIN_REPORT_CHARS} 字")
    return OTHER, "；".join(missing)
