"""Scanned text loses every escape sequence and control character before a terminal sees it."""

from __future__ import annotations

import pytest

from cmkguard.report.sanitize import clean, clean_line


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("plain text", "plain text"),
        ("tab\tand\nnewline", "tab\tand\nnewline"),
        ("\x1b[31mred\x1b[0m", "red"),
        ("\x1b[2J\x1b[Hcleared", "cleared"),
        ("\x1b]0;window title\x07after", "after"),
        ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),
        ("\x1bPdevice control\x1b\\x", "x"),
        ("\x1b7saved\x1b8", "saved"),
        ("bell\x07 backspace\x08 del\x7f", "bell backspace del"),
        ("carriage\rreturn", "carriagereturn"),
        ("c1 csi\x9b31m", "c1 csi31m"),
        ("nul\x00byte", "nulbyte"),
        ("bidi \u202egnp.exe\u202c", "bidi gnp.exe"),
        ("isolate \u2066x\u2069", "isolate x"),
        ("ünïcödé → kept", "ünïcödé → kept"),
    ],
)
def test_clean(raw: str, expected: str) -> None:
    assert clean(raw) == expected


@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("nb\nPASS", "nb PASS"),
        ("a\tb", "a b"),
        ("\x1b[32mPASS\x1b[0m\r\n", "PASS "),
    ],
)
def test_clean_line(raw: str, expected: str) -> None:
    assert clean_line(raw) == expected
