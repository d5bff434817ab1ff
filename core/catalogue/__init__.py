"""One catalogue of every word editors read, in Finnish (the default), Swedish and English.

Flags, notes, statuses, outcomes, themes, fields, the four questions and the labels of the text
views are stored as stable keys and parameters (`core.vocabulary`); they become words only where
shown, through this package, so one draft reads in any of the three languages and every word is
written once. The words are data, in `words.toml` beside this module (translators edit only
that); this module loads them once and makes text from keys, codes and parameters.

Nothing here raises for an unknown key or a missing parameter: a view must show what it can (the
key itself, "?" for a missing value) rather than fail in front of an editor; the catalogue tests
make sure no shipped key is unknown.

    >>> flag_name("no_photo", "fi"), flag_name("no_photo", "en")
    ('ei kuvaa', 'no photo')
"""

from __future__ import annotations

import tomllib
import unicodedata
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from core.vocabulary import LANGUAGES as LANGUAGES  # every word is in each of these
from core.vocabulary import MISSING_SECTION_CODES, SECTION_KEYS, FlagCode

DEFAULT_LANGUAGE = "fi"

# key -> {"fi": ..., "sv": ..., "en": ...}
Table = Mapping[str, Mapping[str, str]]
Params = Mapping[str, Any]


def _load() -> dict[str, dict[str, dict[str, str]]]:
    with (Path(__file__).with_name("words.toml")).open("rb") as file:
        loaded: dict[str, dict[str, dict[str, str]]] = tomllib.load(file)
    return loaded


TABLES = _load()
STATUSES: Table = TABLES["statuses"]
OUTCOMES: Table = TABLES["outcomes"]
IGNORE_REASONS: Table = TABLES["ignore_reasons"]
THEMES: Table = TABLES["themes"]
SECTIONS: Table = TABLES["sections"]
LANGUAGE_NAMES: Table = TABLES["languages"]
PHOTO_ROLES: Table = TABLES["photo_roles"]
CHANGES: Table = TABLES["changes"]
PURGED_PARTS: Table = TABLES["purged_parts"]
FLAG_NAMES: Table = TABLES["flag_names"]
FLAG_MESSAGES: Table = TABLES["flag_messages"]
LABELS: Table = TABLES["labels"]
_SECTION_FIELD = TABLES["section_fields"]["section"]
# A section is a field too, named from its question, so the questions stay written once.
FIELDS: Table = {
    **TABLES["fields"],
    **{
        key: {lang: _SECTION_FIELD[lang].format(question=SECTIONS[key][lang]) for lang in LANGUAGES}
        for key in SECTION_KEYS
    },
}
_MISSING_ANSWER = "missing_answer"
_SECTION_OF = {code.value: section for section, code in MISSING_SECTION_CODES.items()}


def language(lang: str | None) -> str:
    """`lang` if the catalogue has it, else Finnish."""
    return lang if lang in LANGUAGES else DEFAULT_LANGUAGE


class _Lenient(dict[str, Any]):
    def __missing__(self, key: str) -> str:
        return "?"


def fill(template: str, params: Params) -> str:
    """`template` with its `{name}` placeholders filled from `params` ("?" where one is missing)."""
    return template.format_map(_Lenient(params))


def word(table: Table, key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """The words for `key` in `lang`, placeholders filled; `key` itself when the table lacks it."""
    entry = table.get(key)
    if entry is None:
        return key
    return fill(entry[language(lang)], params)


def label(key: str, lang: str = DEFAULT_LANGUAGE, **params: Any) -> str:
    """A label of the text views; one that names a field or a change is that name ("otsikko")."""
    for table in (LABELS, FIELDS, CHANGES):
        if key in table:
            return word(table, key, lang, **params)
    return key


def status_name(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A review status ("hyväksytty")."""
    return word(STATUSES, key, lang)


def outcome_name(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """What became of a message ("ohitettu")."""
    return word(OUTCOMES, key, lang)


def theme_name(key: str | None, lang: str = DEFAULT_LANGUAGE) -> str:
    """A theme's name ("avoin data"), or "" when there is none."""
    return word(THEMES, key, lang) if key else ""


def section_heading(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """One of the four questions as published ("Mitä jatkossa?")."""
    return word(SECTIONS, key, lang)


def field_name(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A draft field's name ("otsikko", "kohta ”Mitä jatkossa?”")."""
    return word(FIELDS, key, lang)


def flag_name(code: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A flag's short name ("ei kuvaa")."""
    return word(FLAG_NAMES, code, lang)


def severity_name(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """What a flag's severity means for approval ("estää hyväksynnän")."""
    return word(TABLES["severities"], key, lang)


def action_name(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """What an event in a draft's history did ("hyväksyntä")."""
    return word(TABLES["actions"], key, lang)


def change_name(key: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """A key of an event's changes: a draft field or one of the `changes` table."""
    return word(CHANGES, key, lang) if key in CHANGES else field_name(key, lang)


def flag_message_key(code: str) -> str:
    """Which `flag_messages` entry words a flag: the four missing answers share one."""
    return _MISSING_ANSWER if code in _SECTION_OF else code


def flag_message(code: str, params: Params, lang: str = DEFAULT_LANGUAGE) -> str:
    """The sentence an editor reads for a flag."""
    values: dict[str, Any] = {
        **params,
        # Supplied, not stored: the question is in the catalogue, a rule is named as its flag.
        "question": section_heading(_SECTION_OF.get(code, "what_and_why"), lang),
        "rule": flag_name(str(params.get("rule", "?")), lang),
    }
    key = flag_message_key(code)
    return word(FLAG_MESSAGES, key, lang, **values) if key in FLAG_MESSAGES else code


def image_ref(ref: Any, lang: str = DEFAULT_LANGUAGE) -> str:
    """An image named in parameters: its file name, or "liite 3" when it had none (an int)."""
    if isinstance(ref, int):
        return word(TABLES["detail_words"], "attachment", lang, number=ref)
    return str(ref)


def _images(params: Params, lang: str) -> str:
    return ", ".join(image_ref(ref, lang) for ref in params.get("images", ()))


def _duplicates(params: Params, lang: str) -> str:
    return ", ".join(
        word(
            TABLES["detail_words"],
            "duplicate_of",
            lang,
            draft_id=match.get("draft_id", "?"),
            reason=word(TABLES["duplicate_reasons"], str(match.get("reason", "")), lang),
        )
        for match in params.get("matches", ())
    )


def _defects(params: Params, lang: str) -> str:
    defects = [str(d) for d in params.get("defects", ())]
    count = int(params.get("count", len(defects)))
    listed = "; ".join(defects)
    if count > len(defects):
        listed += "; " + word(TABLES["detail_words"], "more_defects", lang, count=count)
    return listed


def _rejected(params: Params, lang: str) -> str:
    return "; ".join(
        f"{image_ref(item.get('image', ''), lang)}: {item.get('reason', '')}".strip(": ")
        for item in params.get("images", ())
    )


def _skipped(params: Params, lang: str) -> str:
    return "; ".join(
        f"{item.get('name', '')}: "
        + word(TABLES["document_problems"], str(item.get("problem", "")), lang)
        for item in params.get("documents", ())
    )


def _too_small(params: Params, lang: str) -> str:
    image = image_ref(params.get("image", ""), lang)
    return fill("{image}: {width}×{height}", {**params, "image": image})


def _length(params: Params, lang: str) -> str:
    return word(TABLES["detail_words"], "characters", lang, count=params.get("length", "?"))


def _theme(params: Params, lang: str) -> str:
    name = theme_name(params.get("theme"), lang)
    reason = theme_reason_text(str(params.get("reason", "")), lang)
    return f"{name}: {reason}" if reason else name


Detail = Callable[[Params, str], str]


def _one(name: str) -> Detail:
    return lambda params, _lang: str(params.get(name, ""))


_DETAILS: dict[str, Detail] = {
    FlagCode.SPAM_VERDICT: _one("status"),
    FlagCode.DMARC_FAIL: _one("header"),
    FlagCode.SENDER_NOT_PUBLIC_SECTOR: _one("address"),
    FlagCode.POSSIBLE_DUPLICATE: _duplicates,
    FlagCode.FALLBACK_PARSER: _one("parser"),
    FlagCode.PARSE_DEFECTS: _defects,
    FlagCode.FORWARDED: _one("forwarded_by"),
    FlagCode.FROM_DOCUMENT: _one("document"),
    FlagCode.DOCUMENT_SKIPPED: _skipped,
    FlagCode.UNKNOWN_ORGANISATION: _one("found"),
    FlagCode.TEXT_TOO_SHORT: _length,
    FlagCode.TEXT_TOO_LONG: _length,
    FlagCode.THEME_SUGGESTED: _theme,
    FlagCode.ONLY_SIGNATURE_IMAGES: _images,
    FlagCode.LOCATION_REMOVED: _images,
    FlagCode.PHOTO_TOO_SMALL: _too_small,
    FlagCode.PHOTO_REJECTED: _rejected,
    FlagCode.BROKEN_RULE: _one("error"),
}


def flag_detail(code: str, params: Params, lang: str = DEFAULT_LANGUAGE) -> str:
    """The particulars of a flag (which addresses, files, drafts), or "" when it has none."""
    render = _DETAILS.get(code)
    if render is None or not params:
        return ""
    return render(params, lang)


def note_text(code: str, params: Params, lang: str = DEFAULT_LANGUAGE) -> str:
    """A note from ingestion as a sentence ("Välittäjän saate: ...")."""
    values: dict[str, Any] = {**params}
    for name in ("image", "earlier"):
        if name in values:
            values[name] = image_ref(values[name], lang)
    if "reason" in values:
        reason = str(values["reason"])
        values["reason"] = word(TABLES["signature_reasons"], reason, lang, **params)
    return word(TABLES["notes"], code, lang, **values)


def theme_reason_text(reason: str, lang: str = DEFAULT_LANGUAGE) -> str:
    """How the theme was found, from the stored reason: "keywords: datan; ranking: open_data 4,
    participation 1" -> "avainsanat: datan; pisteet: avoin data 4, osallisuus 1"."""
    parts = []
    for part in reason.split("; "):
        kind, sep, text = part.partition(": ")
        if kind == "ranking" and sep:
            text = ", ".join(_ranked(item, lang) for item in text.split(", "))
        if sep and kind in TABLES["theme_reasons"]:
            parts.append(word(TABLES["theme_reasons"], kind, lang, text=text))
        else:
            parts.append(part)
    return "; ".join(parts)


def _ranked(item: str, lang: str) -> str:
    theme, _sep, score = item.rpartition(" ")
    return f"{theme_name(theme, lang)} {score}" if theme in THEMES else item


def fold(text: str) -> str:
    """Text as compared for names: lower case, no accents, "_" and "-" as spaces."""
    decomposed = unicodedata.normalize("NFKD", text.strip().lower())
    plain = "".join(c for c in decomposed if not unicodedata.combining(c))
    return " ".join(plain.replace("_", " ").replace("-", " ").split())


def resolve(table: Table, text: str) -> str | None:
    """The key whose key or name in any language is `text` (folded), or None.

    >>> resolve(STATUSES, "Hyväksytty")
    'approved'
    """
    wanted = fold(text)
    for key, names in table.items():
        if wanted == fold(key) or wanted in {fold(name) for name in names.values()}:
            return key
    return None
