"""Finds a practice's theme: an explicit "Teema: ..." line wins, else a ranked keyword suggestion.

The suggestion is a lemmatised keyword model. Every word of the text is reduced to its dictionary
forms (`core.lemmas`: Voikko for Finnish, Snowball stems for Swedish and English) and
compared with the keywords of `THEME_KEYWORDS`, written in dictionary form too; a Finnish compound
also counts for its last part ("asukaskysely" for "kysely"). Each theme scores the words its
keywords cover, each word once, the subject's words `SUBJECT_WEIGHT` times (the subject names
what the practice is about). Themes are ranked by score, then by their earliest hit.

Only the sender's own answers vote: the caller passes the subject and the answers, never quoted
history, the signature or the "Lisätietoa" contacts, and `voting_text` drops greeting and thanks
sentences ("Kiitos kyselystänne!" must not vote for participation). With no keyword at all, a text
still gets a theme, `DEFAULT_THEME`, marked as a default. A suggestion is a hint for the editor:
`ThemeResult.suggested` says so and the review rules flag it.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache, lru_cache

from core.lemmas import compound_heads, name_key, word_keys
from core.vocabulary import THEME_KEYS
from ingest.understand.theme_explicit import explicit_theme, explicit_theme_line, stems_match
from ingest.understand.theme_tables import THEME_KEYWORDS, THEME_NAMES

__all__ = [
    "DEFAULT_THEME",
    "SUBJECT_WEIGHT",
    "THEME_KEYWORDS",
    "THEME_NAMES",
    "ThemeResult",
    "ThemeSuggestion",
    "detect_theme",
    "explicit_theme",
    "stems_match",
    "suggest_theme",
    "voting_text",
]

SUBJECT_WEIGHT = 1.0
"""How many times a subject word counts. scripts/accuracy cross-validates it over 1, 2 and 3; the
training folds chose 1 every time (a heavier subject lets "Avoin budjetti" outvote the answers)."""
DEFAULT_THEME = "open_operations"
"""The theme of a text that names no theme and hits no keyword: the programme's broadest."""
_MAX_SUGGEST_CHARS = 30_000
_MIN_PREFIX = 9  # a tagged key: "fi:" and at least six letters
_WORD = re.compile(r"[^\W\d_]+(?:-[^\W\d_]+)*", re.UNICODE)
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+|\n+")
_NOT_VOTING = re.compile(
    r"^\W*(?:hei|heippa|moi|moikka|terve|hyvä\s+vastaanottaja|hyvät\s+kollegat|kiitos|kiitoksia"
    r"|kiitokset|hej|hejsan|hallå|bästa|tack|hi|hello|dear|thank|thanks|many\s+thanks"
    r"|greetings|good\s+(?:morning|afternoon))\b",
    re.IGNORECASE,
)


@dataclass(frozen=True, slots=True)
class ThemeSuggestion:
    """The best-ranked theme, the words that hit it, every theme's score, and the ranking."""

    theme: str
    matched_words: tuple[str, ...]
    scores: dict[str, float]
    ranking: tuple[tuple[str, float], ...] = ()


@dataclass(frozen=True, slots=True)
class ThemeResult:
    """The theme a draft starts with, whether it was guessed, why, and the other candidates."""

    theme: str | None
    suggested: bool
    reason: str
    ranking: tuple[tuple[str, float], ...] = field(default=())


def voting_text(parts: Sequence[str]) -> str:
    """The parts joined, without sentences that only greet or thank."""
    kept: list[str] = []
    for part in parts:
        sentences = [s for s in _SENTENCE_END.split(part) if s.strip()]
        kept.extend(s for s in sentences if not _NOT_VOTING.match(s))
    return "\n".join(kept)


@dataclass(frozen=True, slots=True)
class _Keyword:
    theme: str
    keys: tuple[str, ...]


@cache
def _keywords() -> tuple[_Keyword, ...]:
    out = []
    for theme in THEME_KEYS:
        for language, listed in THEME_KEYWORDS[theme].items():
            for phrase in listed.split(","):
                words = _WORD.findall(phrase)
                if words:
                    keys = tuple(name_key(word, language) for word in words)
                    out.append(_Keyword(theme, keys))
    return tuple(out)


@lru_cache(maxsize=200_000)
def _theme_keys(word: str) -> frozenset[str]:
    """`word_keys` plus the base of a Finnish compound's last part."""
    return word_keys(word) | compound_heads(word)


def _hits(key: str, keys: frozenset[str]) -> bool:
    return key in keys or (len(key) >= _MIN_PREFIX and any(k.startswith(key) for k in keys))


@cache
def _by_first_key() -> dict[str, tuple[_Keyword, ...]]:
    grouped: dict[str, list[_Keyword]] = {}
    for keyword in _keywords():
        grouped.setdefault(keyword.keys[0], []).append(keyword)
    return {key: tuple(found) for key, found in grouped.items()}


@lru_cache(maxsize=200_000)
def _starting_here(word: str) -> tuple[_Keyword, ...]:
    """Keywords whose first word `word` may be (each distinct word is looked up once).

    A key matches a keyword key equal to it or, for keyword keys of `_MIN_PREFIX` characters or
    more, one it starts with: each of its prefixes is looked up, not every keyword compared.
    """
    table = _by_first_key()
    found: list[_Keyword] = []
    for key in _theme_keys(word):
        found.extend(table.get(key, ()))
        for end in range(_MIN_PREFIX, len(key)):
            found.extend(table.get(key[:end], ()))
    return tuple(dict.fromkeys(found))


def suggest_theme(
    text: str, subject: str = "", subject_weight: float = SUBJECT_WEIGHT
) -> ThemeSuggestion | None:
    """The ranked themes whose keywords occur in `subject` and `text`; None when none occur."""
    subject_words = _WORD.findall(subject)
    words = subject_words + _WORD.findall(text[:_MAX_SUGGEST_CHARS])
    weights = [subject_weight] * len(subject_words) + [1.0] * (len(words) - len(subject_words))
    covered: dict[str, set[int]] = {theme: set() for theme in THEME_KEYS}
    matched: dict[str, list[str]] = {theme: [] for theme in THEME_KEYS}
    for start, word in enumerate(words):
        for keyword in _starting_here(word):
            end = start + len(keyword.keys)
            if end > len(words) or not all(
                _hits(key, _theme_keys(following))
                for key, following in zip(keyword.keys[1:], words[start + 1 : end], strict=True)
            ):
                continue
            span = set(range(start, end))
            if not span <= covered[keyword.theme]:
                covered[keyword.theme] |= span
                matched[keyword.theme].append(" ".join(words[start:end]).lower())
    scores = {theme: sum(weights[i] for i in covered[theme]) for theme in THEME_KEYS}
    if not any(scores.values()):
        return None
    order = sorted(
        (theme for theme in THEME_KEYS if scores[theme]),
        key=lambda theme: (-scores[theme], min(covered[theme])),
    )
    ranking = tuple((theme, scores[theme]) for theme in order)
    best = order[0]
    return ThemeSuggestion(best, tuple(dict.fromkeys(matched[best])), scores, ranking)


def _shown(ranking: Sequence[tuple[str, float]]) -> str:
    return ", ".join(f"{theme} {score:g}" for theme, score in ranking)


def detect_theme(
    text: str, *, subject: str = "", voting: str | None = None, weight: float = SUBJECT_WEIGHT
) -> ThemeResult:
    """Explicit theme if stated in `subject` or `text`, else a ranked suggestion from `voting`
    (the sender's answers; `text` when not given), else the default for a text with words."""
    explicit = explicit_theme_line("\n".join((subject, text)))
    if explicit is not None:
        theme, line = explicit
        return ThemeResult(theme, suggested=False, reason=f"explicit: {line}")
    votes = text if voting is None else voting
    suggestion = suggest_theme(votes, subject, weight)
    if suggestion is not None:
        words = ", ".join(suggestion.matched_words)
        reason = f"keywords: {words}; ranking: {_shown(suggestion.ranking)}"
        return ThemeResult(suggestion.theme, True, reason, suggestion.ranking)
    if _WORD.search(votes) or _WORD.search(subject):
        return ThemeResult(DEFAULT_THEME, True, "default: no theme keyword in the text")
    return ThemeResult(None, suggested=False, reason="")
