"""`visible`: controls, escape sequences and bidi overrides are shown, never obeyed."""

from __future__ import annotations

import json

import pytest

from core.display import json_visible, visible

ESC, BEL = "\x1b", "\x07"


def test_an_osc_title_and_screen_clear_become_visible_marks() -> None:
    shown = visible(f"{ESC}]0;PWNED{BEL}{ESC}[2J{ESC}[31mRED")
    assert shown == "␛]0;PWNED␇␛[2J␛[31mRED"


def test_an_osc_8_link_shows_its_target() -> None:
    shown = visible(f"{ESC}]8;;https://evil.example/{ESC}\\klikkaa{ESC}]8;;{ESC}\\")
    assert ESC not in shown
    assert "https://evil.example/" in shown and shown.count("␛") == 4


@pytest.mark.parametrize("code", [*range(0x202A, 0x202F), *range(0x2066, 0x206A)])
def test_bidi_overrides_and_isolates_are_named(code: int) -> None:
    assert visible(f"a{chr(code)}b") == f"a⟨U+{code:04X}⟩b"


def test_c1_controls_and_del_are_shown() -> None:
    assert visible("\x9b31m\x7f") == "⟨U+009B⟩31m␡"


def test_a_multi_line_text_keeps_its_line_breaks_and_tabs() -> None:
    assert visible("yksi\n\tkaksi\r") == "yksi\n\tkaksi␍"


def test_a_single_line_field_shows_its_line_breaks() -> None:
    assert visible("otsikko\nrivi", multiline=False) == "otsikko␊rivi"


def test_ordinary_finnish_and_swedish_text_is_unchanged() -> None:
    text = "Mitä jatkossa? Hur går vi vidare – “lainaus” ääkköset ÅÄÖ € 😀"
    assert visible(text) == text


def test_visible_is_idempotent() -> None:
    once = visible(f"{ESC}[8m\u202e\x00")
    assert visible(once) == once


def test_json_keeps_the_data_but_escapes_what_a_terminal_would_obey() -> None:
    document = json.dumps({"subject": "a\u202eb\x9bc"}, ensure_ascii=False)
    shown = json_visible(document)
    assert "\u202e" not in shown and "\x9b" not in shown
    assert json.loads(shown) == {"subject": "a\u202eb\x9bc"}
