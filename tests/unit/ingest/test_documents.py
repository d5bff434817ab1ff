"""Tests for text extraction from attached documents, built in code."""

from __future__ import annotations

import io
import zipfile
import zlib
from collections.abc import Callable
from pathlib import Path

import docx
import pytest
from odf.opendocument import OpenDocumentText
from odf.text import H, List, ListItem, P

from core.config import LimitSettings
from core.vocabulary import DocumentProblem
from ingest.documents import DocumentText, extract_documents
from ingest.message import Attachment
from tests.fixtures.labelled.builders import pdf_bytes, pdf_from_objects

LIMITS = LimitSettings()


def _attachment(payload: bytes, filename: str = "liite", content_type: str = "") -> Attachment:
    return Attachment(
        index=0,
        content_type=content_type or "application/octet-stream",
        filename=filename,
        payload=payload,
    )


def _docx() -> bytes:
    document = docx.Document()
    document.add_heading("Mitä tehtiin ja miksi?", level=2)
    document.add_paragraph("Avasimme päätökset, jotta kuntalaiset näkevät ne.")
    document.add_paragraph("Ensimmäinen kohta", style="List Bullet")
    table = document.add_table(rows=1, cols=2)
    table.rows[0].cells[0].text = "Yhteyshenkilö"
    table.rows[0].cells[1].text = "Liisa Laine"
    document.add_paragraph("Loppusanat.")
    out = io.BytesIO()
    document.save(out)
    return out.getvalue()


def _odt() -> bytes:
    document = OpenDocumentText()
    document.text.addElement(H(outlinelevel=1, text="Mitä saatiin aikaiseksi?"))
    document.text.addElement(P(text="Åbon kaupunki avasi datan."))
    items = List()
    item = ListItem()
    item.addElement(P(text="Öljyä ei tarvittu"))
    items.addElement(item)
    document.text.addElement(items)
    out = io.BytesIO()
    document.write(out)
    return out.getvalue()


def _flate_pdf(expanded: int) -> bytes:
    """A one-page PDF whose FlateDecode content stream expands to `expanded` zero bytes."""
    stream = zlib.compress(b"\0" * expanded, 9)
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Resources << >> /Contents 4 0 R >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    return pdf_from_objects(objects)


def _only(attachment: Attachment, limits: LimitSettings = LIMITS) -> DocumentText:
    (document,) = extract_documents([attachment], limits)
    return document


@pytest.mark.parametrize(
    ("content", "name", "lines"),
    [
        pytest.param(
            _docx,
            "kuvaus.docx",
            [
                "Mitä tehtiin ja miksi?",
                "",
                "Avasimme päätökset, jotta kuntalaiset näkevät ne.",
                "- Ensimmäinen kohta",
                "Yhteyshenkilö",  # the table's cells, in order
                "Liisa Laine",
                "",
                "Loppusanat.",
            ],
            id="docx",
        ),
        pytest.param(
            _odt,
            "kuvaus.odt",
            ["Mitä saatiin aikaiseksi?", "", "Åbon kaupunki avasi datan.", "- Öljyä ei tarvittu"],
            id="odt",
        ),
    ],
)
def test_document_text_keeps_order_headings_and_list_items(
    content: Callable[[], bytes], name: str, lines: list[str]
) -> None:
    document = _only(_attachment(content(), name))
    assert (document.kind, document.error) == (name.rsplit(".", 1)[1], "")
    assert document.text.split("\n") == lines


def test_pdf_text_is_extracted() -> None:
    document = _only(_attachment(pdf_bytes(["Hyvä käytäntö Åbo"]), "kuvaus.pdf"))
    assert (document.kind, document.error) == ("pdf", "")
    assert document.text == "Hyvä käytäntö Åbo"


def test_pdf_stream_over_the_decompression_limit_is_refused_not_read_as_empty() -> None:
    # pypdf stops at 75 MB of output and its text extraction would quietly return "".
    document = _only(_attachment(_flate_pdf(80 * 1024 * 1024), "pommi.pdf"))
    assert (document.text, document.problem) == ("", DocumentProblem.ZIP_BOMB)
    assert "PDF stream expands too much" in document.error


def test_pdf_with_a_compressed_text_stream_is_read() -> None:
    stream = zlib.compress(b"BT /F1 12 Tf 72 720 Td (Pakattu teksti) Tj ET")
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
        b"<< /Length %d /Filter /FlateDecode >>\nstream\n" % len(stream) + stream + b"\nendstream",
    ]
    document = _only(_attachment(pdf_from_objects(objects), "pakattu.pdf"))
    assert (document.text, document.error) == ("Pakattu teksti", "")


def test_txt_attachment_is_decoded() -> None:
    document = _only(_attachment("Päätös".encode("cp1252"), "muistio.TXT"))
    assert (document.kind, document.text) == ("txt", "Päätös")


def test_kind_is_sniffed_not_declared() -> None:
    fake = _attachment(b"\x89PNG not a pdf", "kuvaus.pdf", "application/pdf")
    real = _attachment(pdf_bytes(["x"]), "kuva.jpg", "image/jpeg")
    [document] = extract_documents([fake, real], LIMITS)
    assert (document.name, document.kind, document.text) == ("kuva.jpg", "pdf", "x")


def test_plain_zip_is_not_a_document() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr("readme.txt", "hello")
    assert extract_documents([_attachment(out.getvalue(), "x.docx")], LIMITS) == []


def test_too_large_document_is_refused() -> None:
    document = _only(_attachment(pdf_bytes(["x"]), "a.pdf"), LimitSettings(max_document_bytes=100))
    assert document.error == "too large"


def test_zip_bomb_docx_is_rejected() -> None:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as archive:
        archive.writestr("word/document.xml", "<w:document/>")
        archive.writestr("word/padding.xml", b"\0" * 20_000_000)
    document = _only(_attachment(out.getvalue(), "pommi.docx"))
    assert document.kind == "docx"
    assert document.error.startswith("zip bomb suspected")
    assert document.text == ""


def test_uncompressed_size_limit() -> None:
    limits = LimitSettings(max_uncompressed_bytes=1000)
    document = _only(_attachment(_docx(), "a.docx"), limits)
    assert "uncompressed" in document.error


def test_text_is_capped_at_max_document_chars() -> None:
    document = _only(_attachment(b"sana " * 10_000, "a.txt"), LimitSettings(max_document_chars=100))
    assert len(document.text) == 100
    assert document.truncated


def test_pdf_pages_are_capped() -> None:
    document = _only(_attachment(pdf_bytes(["x"]), "a.pdf"), LimitSettings(max_pdf_pages=0))
    assert document.text == ""


@pytest.mark.parametrize(
    "payload",
    [
        b"%PDF-1.4\nthis is not a pdf at all",
        b"PK\x03\x04" + b"\x00" * 100,
        _docx()[:2000],
        pdf_bytes(["x"])[:-30],
    ],
    ids=["garbage pdf", "garbage zip", "truncated docx", "truncated pdf"],
)
def test_broken_documents_never_raise(payload: bytes) -> None:
    for document in extract_documents([_attachment(payload, "a.pdf")], LIMITS):
        assert isinstance(document.error, str)


def test_broken_pdf_reports_error() -> None:
    document = _only(_attachment(b"%PDF-1.4\nnot really", "a.pdf"))
    assert document.error.startswith("unreadable pdf")


def test_non_documents_are_skipped() -> None:
    image = _attachment(b"\xff\xd8\xff\xe0JFIF", "kuva.jpg", "image/jpeg")
    assert extract_documents([image], LIMITS) == []


def test_unsupported_zip_version_is_not_a_document() -> None:
    payload = bytearray(_docx())
    central = payload.rfind(b"PK\x01\x02")
    payload[central + 6] = 82  # "version needed to extract" 8.2: zipfile refuses it
    attachment = _attachment(bytes(payload), "a.docx")
    assert extract_documents([attachment], LIMITS) == []


def test_malformed_odt_xml_prints_nothing(capsys: pytest.CaptureFixture[str]) -> None:
    source = zipfile.ZipFile(io.BytesIO(_odt()))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as broken:
        for info in source.infolist():
            data = source.read(info)
            broken.writestr(
                info, data.replace(b"<text:p>", b"<text:p<") if "content" in info.filename else data
            )
    _only(_attachment(out.getvalue(), "a.odt"))
    assert capsys.readouterr().out == ""


def _with_member(payload: bytes, member: str, edit: Callable[[bytes], bytes]) -> bytes:
    """The zip `payload` with one member's bytes replaced by `edit(bytes)`."""
    source = zipfile.ZipFile(io.BytesIO(payload))
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w", zipfile.ZIP_DEFLATED) as copy:
        for info in source.infolist():
            data = source.read(info)
            copy.writestr(info.filename, edit(data) if info.filename == member else data)
    return out.getvalue()


def _docx_with(extra_xml: bytes) -> bytes:
    return _with_member(
        _docx(), "word/document.xml", lambda xml: xml.replace(b"<w:body>", b"<w:body>" + extra_xml)
    )


def _odt_with(extra_xml: bytes) -> bytes:
    return _with_member(
        _odt(),
        "content.xml",
        lambda xml: xml.replace(b"<office:text>", b"<office:text>" + extra_xml),
    )


@pytest.mark.parametrize(
    ("name", "payload"),
    [("a.docx", _docx_with(b"<w:p/>" * 5000)), ("a.odt", _odt_with(b"<text:p/>" * 5000))],
    ids=["docx", "odt"],
)
def test_a_document_of_too_many_elements_is_skipped_as_such(name: str, payload: bytes) -> None:
    document = _only(_attachment(payload, name), LimitSettings(max_document_elements=1000))
    assert (document.problem, document.text) == (DocumentProblem.TOO_MANY_ELEMENTS, "")


def test_a_space_run_longer_than_the_text_limit_is_never_built() -> None:
    payload = _odt_with(b'<text:p>a<text:s text:c="999999999999"/>b</text:p>')
    document = _only(_attachment(payload, "a.odt"))
    assert (document.problem, document.text) == (DocumentProblem.TOO_MUCH_TEXT, "")


def test_reading_a_document_stops_at_its_time_limit() -> None:
    payload = _docx_with(b"<w:p/>" * 3000)
    document = _only(_attachment(payload, "a.docx"), LimitSettings(max_document_seconds=0))
    assert document.problem is DocumentProblem.TOO_SLOW


def test_external_entities_are_never_resolved(tmp_path: Path) -> None:
    secret = tmp_path / "salainen.txt"
    secret.write_text("SALAISUUS", encoding="utf-8")
    doctype = f'<!DOCTYPE w:document [<!ENTITY x SYSTEM "file://{secret}">]>'.encode()
    payload = _with_member(
        _docx(),
        "word/document.xml",
        lambda xml: xml.replace(b"<w:document", doctype + b"<w:document", 1).replace(
            b"Loppusanat.", b"&x;"
        ),
    )
    document = _only(_attachment(payload, "a.docx"))
    assert "SALAISUUS" not in document.text


def test_every_cell_of_a_merged_table_is_read_once() -> None:
    made = docx.Document()
    table = made.add_table(rows=2, cols=3)
    for row in range(2):
        for column in range(3):
            table.cell(row, column).text = f"solu {row}{column}"
    table.cell(0, 0).merge(table.cell(0, 1))
    table.cell(0, 2).merge(table.cell(1, 2))
    out = io.BytesIO()
    made.save(out)
    document = _only(_attachment(out.getvalue(), "a.docx"))
    assert document.text.split("\n") == [
        "solu 00", "solu 01", "solu 02", "solu 12", "solu 10", "solu 11",
    ]  # fmt: skip
