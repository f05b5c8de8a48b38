"""Stage 1, decode: real report text in every encoding a source arrives in, and
the files that must be refused with a one-line reason (never a traceback)."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from build_corpus.document.decode import DecodeError, decode_bytes

SOURCES = Path(__file__).resolve().parent.parent / "sources"

# Real text: the opening of the 2026 Inner Mongolia report (——, “”, %, ，：； and digits),
# every character of which exists in GBK as well as GB18030.
NEIMENGGU = (SOURCES / "2026_neimenggu_report_web.txt").read_text(encoding="utf-8")
OPENING = "\n".join(NEIMENGGU.split("\n")[15:21])
SHORT = "各位代表：\n现在，我代表自治区人民政府向大会报告工作，请予审议。\n"


def test_opening_fixture_is_real_and_mixed():
    assert OPENING.startswith("各位代表：\n现在，我代表自治区人民政府向大会报告工作")
    assert "——这五年" in OPENING and "“十四五”" in OPENING and "71.5%" in NEIMENGGU


# --- encodings ----------------------------------------------------------------

@pytest.mark.parametrize("data, encoding", [
    (OPENING.encode("utf-8"), "utf-8"),
    (codecs.BOM_UTF8 + OPENING.encode("utf-8"), "utf-8-sig"),
    (OPENING.encode("gb18030"), "gb18030"),
    # GBK is a subset of GB18030: reported under the codec that read it.
    (OPENING.encode("gbk"), "gb18030"),
    (codecs.BOM_UTF16_LE + OPENING.encode("utf-16-le"), "utf-16"),
    (codecs.BOM_UTF16_BE + OPENING.encode("utf-16-be"), "utf-16"),
], ids=["utf-8", "utf-8-bom", "gb18030", "gbk", "utf-16-le-bom", "utf-16-be-bom"])
def test_real_text_in_each_encoding(data, encoding):
    assert decode_bytes(data) == (OPENING, encoding)


def test_bom_is_not_part_of_the_text():
    text, _ = decode_bytes(codecs.BOM_UTF8 + SHORT.encode("utf-8"))
    assert not text.startswith("\ufeff")
    text, _ = decode_bytes(codecs.BOM_UTF16_LE + SHORT.encode("utf-16-le"))
    assert not text.startswith("\ufeff")


def test_gb18030_only_characters():
    # 㐀 (CJK Extension A) is four bytes in GB18030 and absent from GBK.
    text = "各位代表：㐀\n"
    assert decode_bytes(text.encode("gb18030")) == (text, "gb18030")


# --- line endings -------------------------------------------------------------

@pytest.mark.parametrize("ending", ["\r\n", "\r", "\n"], ids=["crlf", "cr", "lf"])
@pytest.mark.parametrize("codec", ["utf-8", "gb18030"])
def test_line_endings_become_newlines(ending, codec):
    raw = OPENING.replace("\n", ending)
    text, _ = decode_bytes(raw.encode(codec))
    assert text == OPENING
    assert "\r" not in text


def test_mixed_line_endings():
    raw = "各位代表：\r\n现在，\r我代表市人民政府\n向大会报告工作。\r\n\r\n一、2022年工作回顾\r"
    text, _ = decode_bytes(raw.encode("utf-8"))
    assert text == "各位代表：\n现在，\n我代表市人民政府\n向大会报告工作。\n\n一、2022年工作回顾\n"


@pytest.mark.parametrize("bom, codec", [(codecs.BOM_UTF16_LE, "utf-16-le"), (codecs.BOM_UTF16_BE, "utf-16-be")])
def test_utf16_crlf(bom, codec):
    text, _ = decode_bytes(bom + SHORT.replace("\n", "\r\n").encode(codec))
    assert text == SHORT


@pytest.mark.parametrize("separator", ["\u2028", "\u2029", "\x85"])
def test_unicode_line_separators_become_newlines(separator):
    text, _ = decode_bytes(f"各位代表：{separator}现在，".encode())
    assert text == "各位代表：\n现在，"


def test_ordinary_content_is_kept_byte_for_byte():
    """Full-width punctuation, ideographic spaces and tabs are not decode's business."""
    raw = "\u3000\u3000增长７．２％，（一）“两新”：R&D\tPM2.5\n"
    assert decode_bytes(raw.encode("utf-8")) == (raw, "utf-8")


@pytest.mark.parametrize("path", sorted(SOURCES.glob("*.txt")), ids=lambda p: p.name)
def test_every_real_source_decodes_as_utf8(path):
    data = path.read_bytes()
    text, encoding = decode_bytes(data)
    assert encoding == "utf-8"
    assert text == data.decode("utf-8")   # the sources use \n already


# --- refused files --------------------------------------------------------------

PNG_HEADER = bytes.fromhex("89504e470d0a1a0a0000000d49484452000000100000001008060000001ff3ff61")

REFUSED = [
    pytest.param(b"", ("空", "empty"), id="empty"),
    pytest.param(b"   \r\n\t\n  \r\n", ("空白", "whitespace"), id="whitespace"),
    pytest.param("\u3000\u3000\n\n".encode(), ("空白", "whitespace"), id="ideographic-spaces"),
    pytest.param(codecs.BOM_UTF16_LE + "  \r\n".encode("utf-16-le"), ("空白", "whitespace"), id="utf16-whitespace"),
    pytest.param(PNG_HEADER, ("二进制", "binary"), id="png-header"),
    pytest.param(b"\x00\x00\x00\x00", ("二进制", "binary"), id="nul-bytes"),
    pytest.param(SHORT.encode("utf-8") + b"\x00" + SHORT.encode("utf-8"), ("二进制", "binary"), id="nul-in-text"),
    pytest.param(b"\xff\xd8\xff\xe0\x00\x10JFIF\x00\x01", ("二进制", "binary"), id="jpeg-header"),
    # UTF-16 without a BOM is full of NULs and is not guessed at.
    pytest.param(SHORT.encode("utf-16-le"), ("二进制", "binary"), id="utf16-without-bom"),
    # Control characters that are not NUL: a text file has almost none.
    pytest.param(bytes(range(1, 9)) * 20 + "各位代表".encode(), ("二进制", "binary"), id="control-bytes"),
    # 0x80 and 0xFF are invalid as UTF-8 lead bytes and as GB18030 bytes, alone or
    # between characters (checked: b"\x80".decode("gb18030") raises).
    pytest.param(b"\x80", ("UTF-8", "GB18030"), id="lone-0x80"),
    pytest.param(b"\xff", ("UTF-8", "GB18030"), id="lone-0xff"),
    pytest.param("各位代表：".encode("gb18030") + b"\xff" + "现在，".encode("gb18030"),
                 ("UTF-8", "GB18030"), id="gb18030-with-0xff"),
    pytest.param("各位代表：".encode("gb18030") + b"\x81\x7f", ("UTF-8", "GB18030"), id="gb18030-bad-trail-byte"),
    pytest.param(codecs.BOM_UTF8 + "各位代表".encode() + b"\xff", ("utf-8",), id="utf8-bom-then-invalid"),
    pytest.param(codecs.BOM_UTF16_LE + b"\x41", ("utf-16",), id="utf16-odd-length"),
]


@pytest.mark.parametrize("data, words", REFUSED)
def test_refused_with_one_line_reason(data, words):
    with pytest.raises(DecodeError) as caught:
        decode_bytes(data)
    message = str(caught.value)
    assert message and "\n" not in message and "\r" not in message
    for word in words:
        assert word in message


def test_bom_only_file_is_refused():
    for data in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        with pytest.raises(DecodeError) as caught:
            decode_bytes(data)
        assert "\n" not in str(caught.value)


def test_undecodable_message_gives_an_offset():
    data = "各位代表：".encode("gb18030") + b"\xff" + "现在，".encode("gb18030")
    with pytest.raises(DecodeError, match=r"offset 10\b"):
        decode_bytes(data)


JIAXING = (SOURCES / "2024_jiaxing_report.txt").read_text(encoding="utf-8")
# The first 200 characters of a real UTF-8 report, then one stray byte.
STRAY_AT = len(JIAXING[:200].encode("utf-8"))
UTF8_WITH_STRAY_BYTE = JIAXING[:200].encode("utf-8") + b"\xff" + JIAXING[200:].encode("utf-8")


def test_utf8_with_a_stray_byte_is_refused():
    assert STRAY_AT == 580
    with pytest.raises(DecodeError) as caught:
        decode_bytes(UTF8_WITH_STRAY_BYTE)
    assert "\n" not in str(caught.value) and "UTF-8" in str(caught.value)


def test_undecodable_utf8_names_the_bad_byte():
    with pytest.raises(DecodeError) as caught:
        decode_bytes(UTF8_WITH_STRAY_BYTE)
    assert f"offset {STRAY_AT}" in str(caught.value)

