"""Reads a theme the sender states: "Teema: avoin data", "Tema:\nDelaktighet", "The theme is ...".

An explicit theme wins over any suggestion. Theme names are short and fixed, so they are matched
on Snowball stems with a tolerant prefix rule (Finnish stems still differ by consonant
gradation: "hallinto"/"hallinno"), which needs no dictionary.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer

from core.vocabulary import THEME_KEYS
from ingest.understand.theme_tables import THEME_NAMES

_STEMMER_NAMES = {"fi": "finnish", "sv": "swedish", "en": "english"}
_LANGUAGES = tuple(_STEMMER_NAMES)
_WORD = re.compile(r"[^\W\d_]+", re.UNICODE)
_LABEL = re.compile(
    r"^[\s*_#>\-•]*(?:teemat?|teeman|teemana|tema|teman|temat|themes?)[\s*_]*[:\-–—]\s*"
    r"(?P<value>.*)$",
    re.IGNORECASE,
)
# "Teemana osallisuus", "Teema on osallisuus", "Temat är delaktighet", "The theme is openness":
# a sentence, so only a short one counts, or prose that merely mentions a theme would.
_LABEL_SENTENCE = re.compile(
    r"^[\s*_#>\-•]*(?:teemana|(?:teema|teemat|tema|temat|(?:the\s+)?themes?)\s+(?:on|är|is))"
    r"\s+(?P<value>(?:\S+\s*){1,6})$",
    re.IGNORECASE,
)
_NEXT_LINE_WINDOW = 2
_MAX_NEXT_LINE_WORDS = 6


@cache
def _stemmer(language: str) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer(_STEMMER_NAMES[language])


def _words(text: str) -> list[str]:
    return [word.lower() for word in _WORD.findall(text)]


@dataclass(frozen=True, slots=True)
class _Token:
    """A lower-cased word and its stem in one language."""

    word: str
    stem: str


@lru_cache(maxsize=200_000)
def _token(word: str, language: str) -> _Token:
    # Submissions repeat their words, and the daemon sees the same vocabulary all day:
    # stemming each distinct word once per process is most of this module's speed.
    return _Token(word, _stemmer(language).stemWord(word))


def _tokens(words: Sequence[str], language: str) -> tuple[_Token, ...]:
    return tuple(_token(word, language) for word in words)


def _common_prefix(left: str, right: str) -> int:
    size = 0
    for a, b in zip(left, right, strict=False):
        if a != b:
            break
        size += 1
    return size


def stems_match(token: str, keyword: str, language: str = "fi") -> bool:
    """Whether a text stem is an inflection or compound of a keyword stem.

    Exact, prefix ("osallist" in "osallistuiv") and, for long stems, compound tails
    ("asukasosallisuus") match. In Finnish, stems differing only in their last two letters match
    too, which covers consonant gradation ("hallinto" vs "hallino", "avo" vs "avoim"); Swedish
    and English stems are regular enough that this would only add noise ("status"/"statist").
    """
    if token == keyword:
        return True
    if len(keyword) >= 4 and token.startswith(keyword):
        return True
    if len(keyword) >= 7 and keyword in token:
        return True
    if language != "fi" or abs(len(token) - len(keyword)) > 2:
        return False
    shared = _common_prefix(token, keyword)
    shorter = min(len(token), len(keyword))
    # Gradation changes the last syllable only, so both stems may differ in at most their last
    # two letters: "tilant" (tilanne, a situation) is not "tilasto" (statistics).
    longer = max(len(token), len(keyword))
    return shorter >= 3 and shared >= min(4, shorter) and longer - shared <= 2


@lru_cache(maxsize=500_000)
def _token_matches(token: _Token, keyword: _Token, language: str) -> bool:
    # Very short Swedish/English stems conflate words ("data" and "date" both stem to "dat").
    if language != "fi" and len(keyword.stem) < 4 and not token.word.startswith(keyword.word):
        return False
    return stems_match(token.stem, keyword.stem, language)


@cache
def _phrase_tokens(phrase: str, language: str) -> tuple[_Token, ...]:
    return _tokens(_words(phrase), language)


def _index(tokens: Sequence[_Token]) -> dict[_Token, list[int]]:
    """Positions of each distinct token, so a keyword is compared once per distinct word."""
    positions: dict[_Token, list[int]] = {}
    for position, token in enumerate(tokens):
        positions.setdefault(token, []).append(position)
    return positions


def _occurrences(
    tokens: Sequence[_Token],
    phrase: Sequence[_Token],
    language: str,
    index: Mapping[_Token, list[int]] | None = None,
) -> list[tuple[int, int]]:
    """(start, width) of every run of `tokens` matching `phrase`, in text order."""
    width = len(phrase)
    if not width:
        return []
    positions = _index(tokens) if index is None else index
    starts = sorted(
        start
        for token, found in positions.items()
        if _token_matches(token, phrase[0], language)
        for start in found
    )
    return [
        (start, width)
        for start in starts
        if start + width <= len(tokens)
        and all(
            _token_matches(token, word, language)
            for token, word in zip(tokens[start + 1 : start + width], phrase[1:], strict=True)
        )
    ]


def explicit_theme(text: str) -> str | None:
    """The theme named on a "Teema:"/"Tema:"/"Theme:" line, or None.

    The value may follow the label on the same line, stand on the next line under a bare
    "Teema:", or complete a short sentence ("Teemana osallisuus", "Teema on avoin data").

    >>> explicit_theme("Teema: Avoimen datan hyödyntäminen")
    'open_data'
    >>> explicit_theme("Teema:\nOsallisuus")
    'participation'
    """
    found = explicit_theme_line(text)
    return found[0] if found else None


def explicit_theme_line(text: str) -> tuple[str, str] | None:
    """(theme, the line or lines that name it) for the first label naming a known theme."""
    lines = text.splitlines()
    for index, raw in enumerate(lines):
        line = raw.strip()
        label = _LABEL.match(line) or _LABEL_SENTENCE.match(line)
        if label is None:
            continue
        value, shown = label.group("value").strip(" \t*_"), line
        if not value:
            value = _value_below(lines, index)
            shown = f"{line} {value}"
        theme = _theme_named_in(value) if value else None
        if theme is not None:
            return theme, shown
    return None


def _value_below(lines: list[str], index: int) -> str:
    """The short line just under a bare label ("Teema:" then "Osallisuus"), or ""."""
    for line in lines[index + 1 : index + 1 + _NEXT_LINE_WINDOW]:
        text = line.strip()
        if text:
            return text if len(text.split()) <= _MAX_NEXT_LINE_WORDS else ""
    return ""


def _theme_named_in(value: str) -> str | None:
    """The theme whose name appears earliest in `value` (several may be listed)."""
    words = _words(value)
    best: tuple[int, int, str] | None = None
    for language in _LANGUAGES:
        tokens = _tokens(words, language)
        for theme in THEME_KEYS:
            for name in THEME_NAMES[theme][language]:
                phrase = _phrase_tokens(name, language)
                runs = _occurrences(tokens, phrase, language)
                position = runs[0][0] if runs else -1
                # Earliest first; at one position the longer phrase is the more specific.
                if position >= 0 and (best is None or (position, -len(phrase)) < best[:2]):
                    best = (position, -len(phrase), theme)
    return best[2] if best else None
