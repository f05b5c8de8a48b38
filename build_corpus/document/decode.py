"""Decode: raw bytes to text, or a one-line reason why not.

Sources arrive as UTF-8 (with or without BOM), GB18030/GBK, or UTF-16 with a
BOM, with any line endings. We try the encodings in that order because UTF-8
is strict (GB18030 bytes almost never decode as UTF-8) while GB18030 accepts
almost anything, so it must come last.
"""
from __future__ import annotations

import codecs
import re

# Share of NUL / control bytes above which a file is taken for binary.
_BINARY_CONTROL_SHARE = 0.05
_CONTROL_BYTES = set(range(0, 9)) | {11, 12} | set(range(14, 32)) - {27}
# Counted by the regex engine: a Python loop over every character was most of this stage.
_CONTROL_CHARS = re.compile("[" + "".join(re.escape(chr(b)) for b in sorted(_CONTROL_BYTES)) + "]")


class DecodeError(Exception):
    """The file cannot be read as text; the message says why, in one line."""


def decode_bytes(data: bytes) -> tuple[str, str]:
    """Return (text with \\n line endings, encoding name) or raise DecodeError.

    >>> decode_bytes("各位代表：\\r\\n".encode("gb18030"))
    ('各位代表：\\n', 'gb18030')
    """
    if not data:
        raise DecodeError("文件为空 / the file is empty")
    text, encoding = _decode(data)
    text = normalise_line_endings(text)
    if not text.strip():
        raise DecodeError("文件只有空白 / the file holds only whitespace")
    if "\x00" in text or _control_share(text) > _BINARY_CONTROL_SHARE:
        raise DecodeError("文件似乎是二进制 / the file looks binary (control bytes), not text")
    return text, encoding


def _decode(data: bytes) -> tuple[str, str]:
    if data.startswith(codecs.BOM_UTF8):
        return _strict(data[len(codecs.BOM_UTF8):], "utf-8", "utf-8-sig")
    if data.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return _strict(data, "utf-16", "utf-16")
    if b"\x00" in data[:4096]:
        raise DecodeError("文件似乎是二进制 / the file looks binary (NUL bytes) and has no UTF-16 BOM")
    try:
        return data.decode("utf-8"), "utf-8"
    except UnicodeDecodeError as err:
        utf8_error = err.start
    try:
        return data.decode("gb18030"), "gb18030"
    except UnicodeDecodeError as err:
        # Where UTF-8 fails is where the file is damaged; GB18030 may stumble anywhere earlier.
        raise DecodeError(
            f"无法解码（试过 UTF-8、GB18030）/ cannot decode as UTF-8 (bad byte at offset {utf8_error}) "
            f"or GB18030 (at offset {err.start})") from None


def _strict(data: bytes, codec: str, name: str) -> tuple[str, str]:
    try:
        return data.decode(codec), name
    except UnicodeDecodeError as err:
        raise DecodeError(f"{name} 解码失败 / invalid {name} at byte {err.start}") from None


def normalise_line_endings(text: str) -> str:
    """CRLF, CR, and Unicode line/paragraph separators all become \\n."""
    return (text.replace("\r\n", "\n").replace("\r", "\n")
            .replace("\u2028", "\n").replace("\u2029", "\n").replace("\x85", "\n"))


def _control_share(text: str) -> float:
    sample = text[:20000]
    controls = len(_CONTROL_CHARS.findall(sample))
    return controls / max(1, len(sample))
