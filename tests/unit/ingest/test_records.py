"""From analysis to draft rows: flags as codes, notes kept, planted controls stored visible.

Each test analyses a message built in code, as the pipeline does, and maps it with `new_draft`;
no database is needed, since the rows are only built.
"""

from __future__ import annotations

from pathlib import Path

import pytest

import ingest.analysis
from core.vocabulary import FlagCode
from ingest.analysis import Analysis, analyse
from ingest.records import apply_analysis, new_draft
from ingest.rules.base import Flag, RuleContext
from ingest.rules.no_photo import NoPhoto
from store.files import BlobStore
from store.models import PracticeDraft, utcnow
from store.repository import DuplicateHit
from tests.configs import parsed_settings
from tests.integration.harness import submission

FORWARD = (
    "Tässä hyvä esimerkki kokemuksiin.\n\n"
    "---------- Välitetty viesti ---------\n"
    "Lähettäjä: Aino Kemppainen <aino.kemppainen@ouka.fi>\n"
    "Päivämäärä: ma 23.2.2026 klo 9.20\n"
    "Aihe: Hyvä käytäntö: selkokieliset lupaohjeet\n"
    "Vastaanottaja: Ville Rautio <ville.rautio@kuntaliitto.fi>\n\n"
    "Mitä tehtiin ja miksi?\nKirjoitimme lupaohjeet selkokielelle, koska hakemuksia palautui.\n\n"
    "Mitä saatiin aikaiseksi?\nPuutteelliset hakemukset vähenivät neljänneksellä.\n"
)


class _NoHistory:
    def duplicates(
        self, message_id: str, raw_sha256: str, text_fingerprint: str
    ) -> tuple[DuplicateHit, ...]:
        return ()

    def is_recurring_image(self, sha256: str) -> bool:
        return False


class _Exploding:
    name = "exploding"
    description = "A rule with a bug."

    def check(self, context: RuleContext) -> Flag | None:
        raise KeyError("missing")


def _draft(raw: bytes, tmp_path: Path) -> PracticeDraft:
    settings = parsed_settings(tmp_path)
    blobs = BlobStore(tmp_path, fsync=False)
    analysis = analyse(raw, "0" * 64, settings=settings, blobs=blobs, lookups=_NoHistory())
    return new_draft(analysis)


def test_flags_are_stored_as_codes_with_parameters(tmp_path: Path) -> None:
    draft = _draft(submission(X_Spam_Flag="YES", X_Spam_Status="Yes, score=9.1"), tmp_path)
    flags = {flag.code: flag.params for flag in draft.flags}
    assert flags["spam_verdict"] == {"status": "Yes, score=9.1"}
    assert flags["no_photo"] == {}
    assert all(flag.is_open for flag in draft.flags)


def test_the_forwarders_note_is_kept_on_the_draft(tmp_path: Path) -> None:
    raw = submission("VL: Hyvä käytäntö: selkokieliset lupaohjeet", FORWARD)
    draft = _draft(raw, tmp_path)
    assert {"code": "forwarder_note", "params": {"text": "Tässä hyvä esimerkki kokemuksiin."}} in (
        draft.notes
    )


def test_a_rule_that_raises_is_a_broken_rule_flag_and_the_draft_is_still_made(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(ingest.analysis, "RULES", (_Exploding(), NoPhoto()))
    draft = _draft(submission(), tmp_path)
    assert draft.title == "Selkokielinen lomake"
    assert [(f.code, f.params) for f in draft.flags] == [
        (FlagCode.BROKEN_RULE, {"rule": "exploding", "error": "KeyError: 'missing'"}),
        (FlagCode.NO_PHOTO, {}),
    ]


def test_controls_planted_in_the_message_are_stored_as_visible_marks(tmp_path: Path) -> None:
    body = (
        "Mitä tehtiin ja miksi?\nAvasimme \x1b[8mpiilotetun\x1b[0m datan \u202eesrevni.\n\n"
        "Mitä saatiin aikaiseksi?\nRivi\x1b[1A\x1b[2K pyyhitty.\n"
    )
    draft = _draft(submission("Otsikko \x1b]0;PWNED\x07", body), tmp_path)
    assert "\x1b" not in draft.what_and_why + draft.achieved + draft.title
    assert "␛[8mpiilotetun␛[0m" in draft.what_and_why
    assert "⟨U+202E⟩esrevni" in draft.what_and_why
    assert draft.title.startswith("Otsikko ␛]0;PWNED␇")


def test_a_reanalysis_keeps_a_dismissal_while_the_flags_facts_are_unchanged(tmp_path: Path) -> None:
    settings = parsed_settings(tmp_path)
    blobs = BlobStore(tmp_path, fsync=False)

    def analysed(status: str) -> Analysis:
        raw = submission(X_Spam_Flag="YES", X_Spam_Status=status)
        return analyse(raw, "0" * 64, settings=settings, blobs=blobs, lookups=_NoHistory())

    draft = new_draft(analysed("Yes, score=9.1"))
    spam = next(flag for flag in draft.flags if flag.code == "spam_verdict")
    spam.dismissed_at, spam.dismissed_by, spam.dismissal_reason = utcnow(), "anna", "Tuttu"
    draft.flags = [spam]  # an edit settled the others; the re-analysis raises them again
    apply_analysis(draft, analysed("Yes, score=9.1"), keep=frozenset())
    again = next(flag for flag in draft.flags if flag.code == "spam_verdict")
    assert len(draft.flags) > 1 and again is not spam
    assert (again.dismissed_by, again.dismissal_reason) == ("anna", "Tuttu")
    apply_analysis(draft, analysed("Yes, score=12.0"), keep=frozenset())
    changed = next(flag for flag in draft.flags if flag.code == "spam_verdict")
    assert changed.is_open
