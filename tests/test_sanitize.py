"""clean_text: the one rule for characters in user text."""

from __future__ import annotations

from knowledge.sanitize import clean_text, has_control_characters


def test_every_control_character_but_newline_and_tab_is_removed() -> None:
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        ch = chr(code)
        cleaned = clean_text(f"a{ch}b")
        if ch in "\n\t":
            assert cleaned == f"a{ch}b"
        elif ch == "\r":
            assert cleaned == "a\nb"
        else:
            assert cleaned == "ab", hex(code)


def test_hidden_format_characters_are_removed_and_text_kept() -> None:
    text = "wij surveilleren al op vrijdag\x01\x02 avond \u202eevil\u202c \u200bzwj \ufeffbom"
    assert clean_text(text) == "wij surveilleren al op vrijdag avond evil zwj bom"
    assert has_control_characters(text)


def test_ordinary_dutch_emoji_and_line_breaks_stay() -> None:
    text = "Café 'De Ster' – €12,50 👍\r\nregel twee\tkolom"
    assert clean_text(text) == "Café 'De Ster' – €12,50 👍\nregel twee\tkolom"
    assert not has_control_characters("Café 'De Ster'\r\n")
