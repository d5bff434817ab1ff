"""Credit lines in Finnish, Swedish and English body text."""

from __future__ import annotations

import pytest

from ingest.photos.credit import find_credit


@pytest.mark.parametrize(
    ("text", "credit"),
    [
        ("Kuva: Maija Meikäläinen", "Maija Meikäläinen"),
        ("Kuvaaja: Matti Virtanen.", "Matti Virtanen"),
        ("Foto: Anna Andersson", "Anna Andersson"),
        ("Fotograf: Erik Berg", "Erik Berg"),
        ("Photo: Jane Doe", "Jane Doe"),
        ("Photo by Jane Doe", "Jane Doe"),
        ("Kuva ja teksti: Liisa Laine", "Liisa Laine"),
        ("Osallistujat työpajassa (kuva: Pekka P.)", "Pekka P"),
        ("Tiimi työpajassa. Kuva: Ville V", "Ville V"),
    ],
)
def test_credit_markers_are_recognised(text: str, credit: str) -> None:
    assert find_credit(f"Hei,\n\n{text}\nTerveisin\n") == credit


def test_description_is_not_a_credit() -> None:
    assert find_credit("Kuvaus: työpaja kunnantalolla\nTietokuva: kaavio") == ""


def test_quoted_reply_lines_are_skipped() -> None:
    assert find_credit("> Kuva: Vanha Viesti\nKiitos!") == ""


def test_text_without_credit_gives_empty() -> None:
    assert find_credit("Hyvä käytäntö kuvattiin videolla.") == ""
