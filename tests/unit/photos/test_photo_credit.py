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


NO_CREDIT = [
    # (why there is no credit, the text)
    ("a description and a diagram's label", "Kuvaus: työpaja kunnantalolla\nTietokuva: kaavio"),
    ("the credit is in a quoted reply line", "> Kuva: Vanha Viesti\nKiitos!"),
    ("no credit marker at all", "Hyvä käytäntö kuvattiin videolla."),
]


@pytest.mark.parametrize("text", [text for _why, text in NO_CREDIT], ids=[w for w, _t in NO_CREDIT])
def test_text_without_a_credit_line_gives_empty(text: str) -> None:
    assert find_credit(text) == ""
