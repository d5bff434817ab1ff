"""Messages at an import path are found as byte ranges, exactly as Python's mailbox reads them."""

from __future__ import annotations

import hashlib
import mailbox
from pathlib import Path

import pytest

from ingest.importer import find_messages

MBOXES = {
    "blank lines between": b"From a\nSubject: 1\n\nyksi\n\nFrom b\nSubject: 2\n\nkaksi\n",
    "no blank line": b"From a\nSubject: 1\n\nyksi\nFrom b\nSubject: 2\n\nkaksi",
    "crlf": b"From a\r\nSubject: 1\r\n\r\nyksi\r\n\r\nFrom b\r\nSubject: 2\r\n\r\nkaksi\r\n",
    "empty message": b"From a\nFrom b\nSubject: 2\n\nkaksi\n\n",
    "long lines": b"From " + b"x" * 3_000_000 + b"\nSubject: " + b"y" * 3_000_000 + b"\n\n\n",
}


@pytest.mark.parametrize("content", list(MBOXES.values()), ids=list(MBOXES))
def test_an_mbox_splits_as_mailbox_mbox_splits_it(tmp_path: Path, content: bytes) -> None:
    path = tmp_path / "vienti.mbox"
    path.write_bytes(content)
    box = mailbox.mbox(path, create=False)
    expected = [box.get_bytes(key) for key in sorted(box.keys())]
    box.close()
    found = list(find_messages(path))
    assert [message.read() for message in found] == expected
    assert [message.label for message in found] == [
        f"vienti.mbox#{n}" for n in range(1, len(expected) + 1)
    ]


def test_a_maildir_is_found_by_key_as_mailbox_maildir_finds_it(tmp_path: Path) -> None:
    box = mailbox.Maildir(tmp_path / "Maildir")
    keys = [box.add(f"Subject: {n}\n\nteksti {n}\n".encode()) for n in range(3)]
    message = box.get_message(keys[1])
    message.set_subdir("cur")
    box[keys[1]] = message
    expected = {key: box.get_bytes(key) for key in box.iterkeys()}
    found = {message.label: message.read() for message in find_messages(tmp_path / "Maildir")}
    assert found == expected


def test_a_message_can_be_hashed_and_its_head_read_without_reading_it_whole(
    tmp_path: Path,
) -> None:
    path = tmp_path / "iso.eml"
    path.write_bytes(b"Subject: iso\r\n\r\n" + b"a" * 5_000_000)
    (found,) = find_messages(path)
    assert found.size == path.stat().st_size
    assert found.read(9) == b"Subject: "
    assert found.sha256() == hashlib.sha256(path.read_bytes()).hexdigest()
