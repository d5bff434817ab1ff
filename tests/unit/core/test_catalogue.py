"""The catalogue: every key in every language, every code worded, names resolve in any language."""

from __future__ import annotations

import string

import pytest

from core.catalogue import (
    FIELDS,
    FLAG_MESSAGES,
    FLAG_NAMES,
    IGNORE_REASONS,
    LANGUAGES,
    OUTCOMES,
    SECTIONS,
    STATUSES,
    TABLES,
    THEMES,
    Table,
    flag_detail,
    flag_message,
    flag_message_key,
    note_text,
    resolve,
    theme_reason_text,
)
from core.vocabulary import (
    FLAG_SEVERITY,
    SECTION_KEYS,
    THEME_KEYS,
    DocumentProblem,
    DraftStatus,
    FlagCode,
    IgnoreReason,
    NoteCode,
    Outcome,
)


def _placeholders(text: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(text) if name}


def _entries() -> list[tuple[str, str, dict[str, str]]]:
    return [
        (table, key, dict(words))
        for table, entries in TABLES.items()
        for key, words in entries.items()
    ]


@pytest.mark.parametrize(("table", "key", "words"), _entries(), ids=lambda v: str(v)[:40])
def test_every_entry_has_finnish_swedish_and_english(
    table: str, key: str, words: dict[str, str]
) -> None:
    assert set(words) == set(LANGUAGES), f"{table}.{key}"
    assert all(text.strip() for text in words.values()), f"{table}.{key} has an empty text"


@pytest.mark.parametrize(("table", "key", "words"), _entries(), ids=lambda v: str(v)[:40])
def test_every_language_of_an_entry_has_the_same_placeholders(
    table: str, key: str, words: dict[str, str]
) -> None:
    assert len({frozenset(_placeholders(text)) for text in words.values()}) == 1, f"{table}.{key}"


@pytest.mark.parametrize("code", list(FlagCode))
def test_every_flag_code_has_a_name_a_message_and_a_severity(code: FlagCode) -> None:
    assert code.value in FLAG_NAMES
    assert flag_message_key(code.value) in FLAG_MESSAGES
    assert code in FLAG_SEVERITY


def test_every_stable_key_an_editor_meets_is_in_the_catalogue() -> None:
    assert set(STATUSES) == {s.value for s in DraftStatus}
    assert set(OUTCOMES) == {o.value for o in Outcome}
    assert set(IGNORE_REASONS) == {r.value for r in IgnoreReason}
    assert set(THEMES) == set(THEME_KEYS)
    assert set(SECTIONS) == set(SECTION_KEYS)
    assert set(SECTION_KEYS) <= set(FIELDS)
    assert {n.value for n in NoteCode} <= set(TABLES["notes"])
    assert set(TABLES["document_problems"]) == {p.value for p in DocumentProblem}


def test_the_four_questions_are_worded_once_and_reused_by_flags() -> None:
    assert (
        flag_message("missing_next_steps", {}, "fi")
        == "Vastaus kysymykseen ”Mitä jatkossa?” puuttuu."
    )
    assert "Hur går vi vidare?" in flag_message("missing_next_steps", {}, "sv")
    assert "“What was done and why?”" in flag_message("no_headings", {}, "en")


def test_a_flag_reads_in_each_language_from_its_parameters() -> None:
    params = {"longer_side": 800, "target": 1600, "image": "k.jpg", "width": 800, "height": 600}
    assert "(800 px, tavoite 1600 px)" in flag_message("photo_too_small", params, "fi")
    assert "(800 px, mål 1600 px)" in flag_message("photo_too_small", params, "sv")
    assert "(800 px, target 1600 px)" in flag_message("photo_too_small", params, "en")
    assert flag_detail("photo_too_small", params) == "k.jpg: 800×600"


def test_a_duplicate_names_the_earlier_draft_and_why_in_the_readers_language() -> None:
    params = {
        "matches": [
            {"draft_id": 3, "reason": "message_id"},
            {"draft_id": 5, "reason": "similar_text"},
        ]
    }
    assert flag_detail("possible_duplicate", params, "fi") == (
        "luonnos #3 (sama Message-ID), luonnos #5 (lähes sama teksti)"
    )
    assert flag_detail("possible_duplicate", params, "en") == (
        "draft #3 (same Message-ID), draft #5 (nearly the same text)"
    )


def test_an_image_without_a_name_is_an_attachment_number_in_words() -> None:
    params = {"images": ["logo.png", 3]}
    assert flag_detail("only_signature_images", params, "fi") == "logo.png, liite 3"
    assert flag_detail("only_signature_images", params, "sv") == "logo.png, bilaga 3"


def test_a_broken_rule_is_named_by_its_flag_never_by_its_id() -> None:
    params = {"rule": "sender_not_public_sector", "error": "KeyError: 'x'"}
    message = flag_message("broken_rule", params, "fi")
    assert "”lähettäjä ei julkishallinnosta”" in message
    assert "sender_not_public_sector" not in message
    assert flag_detail("broken_rule", params) == "KeyError: 'x'"


def test_a_missing_parameter_shows_a_question_mark_instead_of_failing() -> None:
    assert "(? px, tavoite ? px)" in flag_message("photo_too_small", {}, "fi")


def test_notes_and_theme_reasons_are_worded() -> None:
    assert note_text("forwarder_note", {"text": "Hei!"}, "fi") == "Välittäjän saate: Hei!"
    small = {"image": "logo.png", "reason": "small_image", "width": 40, "height": 20}
    assert note_text("signature_image", small, "en") == (
        "logo.png: signature image or logo (small image, 40×20)"
    )
    assert theme_reason_text("keywords: datan, rajapinnan", "fi") == "avainsanat: datan, rajapinnan"


@pytest.mark.parametrize(
    ("table", "text", "key"),
    [
        (STATUSES, "hyväksytty", "approved"),
        (STATUSES, "Hyvaksytty", "approved"),
        (STATUSES, "godkänt", "approved"),
        (STATUSES, "approved", "approved"),
        (FLAG_NAMES, "ei kuvaa", "no_photo"),
        (FLAG_NAMES, "no_photo", "no_photo"),
        (FLAG_NAMES, "No photo", "no_photo"),
        (THEMES, "avoin data", "open_data"),
        (THEMES, "öppna data", "open_data"),
        (FIELDS, "otsikko", "title"),
        (OUTCOMES, "ohitettu", "ignored"),
    ],
)
def test_names_resolve_to_keys_in_any_language(table: Table, text: str, key: str) -> None:
    assert resolve(table, text) == key


def test_an_unknown_name_resolves_to_nothing() -> None:
    assert resolve(STATUSES, "valmis") is None
