"""Side-by-side diffs, the history as the console shows it, and the original message made safe."""

from __future__ import annotations

from email.message import EmailMessage

from review.diffs import folded, side_by_side
from review.history_view import change_views
from review.original import attachment, read_original, sanitise_html
from store.files import BlobStore
from store.models import InboundMessage


def test_a_changed_word_in_a_long_paragraph_is_marked_and_nothing_is_cut() -> None:
    old = "Puolen vuoden kokeilu " * 10 + "Niiden tulokset."
    new = "Puolen vuoden kokeilu " * 10 + "Niiden tulokset julkaistiin."
    (row,) = side_by_side(old, new)
    assert row.kind == "changed"
    assert "".join(part.text for part in row.right) == new
    assert [part.text for part in row.right if part.changed] == [" julkaistiin"]


def test_added_and_removed_lines_stand_alone_and_long_unchanged_runs_fold() -> None:
    old = "\n".join(f"rivi {n}" for n in range(20))
    new = old.replace("rivi 10", "rivi kymmenen") + "\nuusi rivi"
    rows = side_by_side(old, new)
    assert [r.kind for r in rows].count("changed") == 1 and rows[-1].kind == "added"
    runs = folded(rows, context=2)
    hidden = [len(run) for run in runs[1::2]]
    assert hidden == [8, 5]  # two lines of context kept on each side of a change
    assert sum(len(run) for run in runs) == len(rows)


def test_history_words_statuses_and_diffs_texts() -> None:
    views = change_views(
        {
            "status": {"from": "draft", "to": "approved"},
            "title": {"from": "Vanha", "to": "Uusi otsikko"},
            "correction": True,
        },
        "fi",
    )
    assert [(v.name, v.old, v.new) for v in views[:1]] == [("tila", "luonnos", "hyväksytty")]
    assert views[1].name == "otsikko" and views[1].runs is not None
    assert len(views) == 2


def test_html_of_a_message_keeps_structure_and_loses_everything_active() -> None:
    cleaned = sanitise_html(
        '<p onclick="x()">Teksti <b>lihava</b></p><script>alert(1)</script>'
        '<img src="http://seuranta.example/p.png"><a href="javascript:alert(1)">a</a>'
        '<a href="https://vm.fi">vm</a><style>p{}</style><iframe src="x"></iframe>'
    )
    assert "<p>Teksti <b>lihava</b></p>" in cleaned
    for gone in ("onclick", "script", "img", "javascript", "style", "iframe", "alert"):
        assert gone not in cleaned
    assert 'href="https://vm.fi"' in cleaned and "noreferrer" in cleaned


def stored(blobs: BlobStore, text: str, attachment: bytes, mime: str, name: str) -> InboundMessage:
    """A message of `text` with one attachment, kept as raw mail the way the poller keeps it."""
    message = EmailMessage()
    message["Subject"] = "Koe"
    message.set_content(text)
    maintype, subtype = mime.split("/")
    message.add_attachment(attachment, maintype=maintype, subtype=subtype, filename=name)
    raw = message.as_bytes()
    digest, relative = blobs.put_raw(raw)
    return InboundMessage(raw_path=relative, raw_size=len(raw), raw_sha256=digest)


def test_the_original_lists_attachments_and_shows_text_with_controls_visible(
    blobs: BlobStore,
) -> None:
    inbound = stored(blobs, "Rivi\x1b[2J\r\ntoinen", b"%PDF", "application/pdf", "liite.pdf")
    original = read_original(blobs, inbound, max_bytes=10_000)
    assert original.text.startswith("Rivi␛[2J\ntoinen")
    assert [(a.filename, a.content_type, a.size) for a in original.attachments] == [
        ("liite.pdf", "application/pdf", 4)
    ]
    assert read_original(blobs, inbound, max_bytes=10).too_large


def test_a_big_photo_is_listed_with_its_size_without_being_parsed_line_by_line(
    blobs: BlobStore,
) -> None:
    photo = bytes(range(256)) * 1600  # 400 KiB: lifted out before parsing
    inbound = stored(blobs, "Teksti", photo, "image/jpeg", "kuva.jpg")
    (listed,) = read_original(blobs, inbound, max_bytes=10_000_000).attachments
    assert listed.filename == "kuva.jpg" and abs(listed.size - len(photo)) <= 2
    assert attachment(blobs, inbound, listed.number) == ("kuva.jpg", photo)
