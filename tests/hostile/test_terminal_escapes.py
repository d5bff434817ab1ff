"""A sender cannot steer the editor's terminal: escapes in a submission are shown, not obeyed.

The message's subject decodes (RFC 2047) to an OSC title change, a screen clear and a colour; its
body hides text (SGR 8), erases the line above, carries an OSC 8 link and a right-to-left
override. After a real `practices import`, the real CLI in its own process prints the drafts and
messages: no ESC, BEL, C1 CSI or U+202E byte may reach stdout, and the editor sees a mark where
each was.
"""

from __future__ import annotations

import base64
import functools
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.configs import write_config
from tests.integration.harness import REPO

SUBJECT = "\x1b]0;PWNED\x07\x1b[2J\x1b[31mRED"
BODY = (
    "Mitä tehtiin ja miksi?\n"
    "Avasimme datan.\x1b[8m Tämä teksti on piilotettu toimittajalta.\x1b[0m\n"
    "Edellinen rivi pyyhitään:\x1b[1A\x1b[2K\n"
    "Linkki: \x1b]8;;https://evil.example/\x1b\\virallinen sivu\x1b]8;;\x1b\\\n"
    "Käänteinen: \u202etxet\u202c ja C1 \x9b31m.\n\n"
    "Mitä saatiin aikaiseksi?\nEnemmän avoimuutta.\n"
)
FORBIDDEN = (b"\x1b", b"\x07", "\u202e".encode(), "\x9b".encode())


def _message() -> bytes:
    subject = base64.b64encode(SUBJECT.encode()).decode("ascii")
    body = base64.encodebytes(BODY.encode()).decode("ascii")
    return (
        "From: Maija Virtanen <maija.virtanen@vm.fi>\r\n"
        "To: avoinhallinto@vm.fi\r\n"
        f"Subject: =?utf-8?b?{subject}?=\r\n"
        "Date: Mon, 02 Nov 2026 09:30:00 +0200\r\n"
        "Message-ID: <escapes@vm.fi>\r\n"
        "MIME-Version: 1.0\r\n"
        "Content-Type: text/plain; charset=utf-8\r\n"
        "Content-Transfer-Encoding: base64\r\n\r\n" + body
    ).encode("ascii")


Practices = Callable[..., bytes]


@pytest.fixture(scope="module")
def practices(tmp_path_factory: pytest.TempPathFactory) -> Practices:
    root = tmp_path_factory.mktemp("escapes")
    config = write_config(
        root / "practices.toml", storage={"fsync": False}, logging={"level": "WARNING"}
    )

    @functools.cache
    def run(*args: str) -> bytes:
        """stdout of `practices ARGS` in its own process (each command runs once per module)."""
        done = subprocess.run(
            [sys.executable, "-m", "practices", "--config", str(config), *args],
            cwd=REPO,
            capture_output=True,
            check=True,
        )
        return done.stdout

    run("db", "upgrade")
    eml = Path(root / "escapes.eml")
    eml.write_bytes(_message())
    assert b"draft 1" in run("import", str(eml))
    return run


@pytest.mark.parametrize(
    "command",
    [
        ("review", "list"),
        ("review", "show", "1"),
        ("review", "show", "1", "--lang", "en"),
        ("messages",),
        ("review", "show", "1", "--json"),
        ("messages", "--json"),
    ],
    ids=" ".join,
)
def test_no_escape_reaches_the_terminal(practices: Practices, command: tuple[str, ...]) -> None:
    out = practices(*command)
    assert [b for b in FORBIDDEN if b in out] == []


@pytest.mark.parametrize("command", [("review", "list"), ("review", "show", "1"), ("messages",)])
def test_the_editor_sees_a_mark_where_the_subjects_escapes_were(
    practices: Practices, command: tuple[str, ...]
) -> None:
    assert "␛]0;PWNED␇".encode() in practices(*command)


def test_the_editor_sees_the_hidden_text_the_link_target_and_the_override(
    practices: Practices,
) -> None:
    shown = practices("review", "show", "1").decode()
    assert "␛[8m Tämä teksti on piilotettu toimittajalta.␛[0m" in shown
    assert "pyyhitään:␛[1A␛[2K" in shown
    assert "␛]8;;https://evil.example/␛\\virallinen sivu" in shown
    assert "⟨U+202E⟩txet⟨U+202C⟩" in shown and "⟨U+009B⟩31m" in shown


def test_json_keeps_the_stored_text_readable_for_scripts(practices: Practices) -> None:
    shown = json.loads(practices("review", "show", "1", "--json"))
    assert shown["message"]["subject"] == SUBJECT  # the inbound row keeps the header as received
    assert "\x1b" not in shown["title"] and shown["title"].startswith("␛]0;PWNED␇")
