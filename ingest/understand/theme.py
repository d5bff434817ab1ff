"""Finds a practice's theme: an explicit "Teema: ..." line wins, else a keyword-based suggestion.

Senders write in Finnish, Swedish or English and inflect freely ("Avoimen datan", "osallisuutta"),
so every word is reduced with the Snowball stemmer of the keyword's language and compared with a
tolerant prefix rule (Finnish stems still differ by consonant gradation: "hallinto"/"hallinno").
A suggestion is only a hint for the editor; `ThemeResult.suggested` says so and the review rules
flag it.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer

from core.vocabulary import THEME_KEYS

_STEMMER_NAMES = {"fi": "finnish", "sv": "swedish", "en": "english"}
_LANGUAGES = tuple(_STEMMER_NAMES)

# Names a sender uses when they state the theme ("Teema: ..."), per theme and language.
THEME_NAMES: dict[str, dict[str, tuple[str, ...]]] = {
    "understandability": {
        "fi": ("ymmärrettävyys", "selkokieli", "selkeä kieli", "ymmärrettävä hallinto"),
        "sv": ("begriplighet", "klarspråk", "tydligt språk", "begriplig förvaltning"),
        "en": ("understandability", "plain language", "clear language"),
    },
    "participation": {
        "fi": ("osallisuus", "osallistaminen", "osallistuminen"),
        "sv": ("delaktighet", "deltagande", "inkludering"),
        "en": ("participation", "inclusion", "engagement"),
    },
    "open_operations": {
        "fi": ("avoin toiminta", "avoimuus", "läpinäkyvyys"),
        "sv": ("öppen verksamhet", "öppenhet", "transparens"),
        "en": ("open operations", "openness", "transparency"),
    },
    "enabling_administration": {
        "fi": ("hallinto mahdollistajana", "mahdollistava hallinto"),
        "sv": ("förvaltningen som möjliggörare", "möjliggörande förvaltning"),
        "en": (
            "enabling administration",
            "administration as an enabler",
            "administration as enabler",
        ),
    },
    "open_data": {
        "fi": ("avoin data", "avoimet tiedot", "avoin tieto", "avoindata"),
        "sv": ("öppna data", "öppen data"),
        "en": ("open data",),
    },
}

# Words that hint at a theme in free text, comma-separated per language. Phrases must appear as
# consecutive words; each is stemmed with its language's stemmer before matching. Avoid words whose
# stem is a common word ("openness" -> "open", "accountability" -> "account").
THEME_KEYWORDS: dict[str, dict[str, str]] = {
    "understandability": {
        "fi": (
            "ymmärrettävyys, ymmärrettävä, selkokieli, selkokielinen, selkeä kieli, "
            "selkeyttäminen, selkiyttää, virkakieli, kielenhuolto, saavutettavuus, saavutettava, "
            "ymmärtää"
        ),
        "sv": (
            "begriplighet, begriplig, klarspråk, lättläst, tydligt språk, språkvård, "
            "tillgänglighet, myndighetsspråk, förståelig"
        ),
        "en": (
            "understandability, understandable, plain language, clear language, easy read, "
            "accessibility, plain english, jargon"
        ),
    },
    "participation": {
        "fi": (
            "osallisuus, osallistuminen, osallistaminen, osallistaa, osallistua, kuuleminen, "
            "vuorovaikutus, asukas, asukasilta, kansalainen, kansalaisraati, yhteiskehittäminen, "
            "työpaja, kysely, lausuntokierros, otakantaa, kansalaisaloite, nuorisovaltuusto, "
            "vaikuttaminen, palaute"
        ),
        "sv": (
            "delaktighet, deltagande, delta, inkludering, engagemang, samråd, hörande, "
            "medborgare, invånare, dialog, workshop, enkät, remiss, påverkan, medborgarpanel"
        ),
        "en": (
            "participation, participatory, participate, inclusion, inclusive, engagement, "
            "consultation, citizen, resident, co-creation, workshop, survey, dialogue, "
            "stakeholder, feedback, deliberative"
        ),
    },
    "open_operations": {
        "fi": (
            "avoin toiminta, avoimuus, läpinäkyvyys, läpinäkyvä, avoimesti, julkisuus, "
            "julkisuusperiaate, avoimuusrekisteri, lobbaus, tietopyyntö, päätöksenteko, avoin "
            "valmistelu, valmistelu, hankerekisteri, tilivelvollisuus, luottamus, korruptio, "
            "sidonnaisuus"
        ),
        "sv": (
            "öppen verksamhet, öppenhet, transparens, insyn, offentlighet, offentlighetsprincip, "
            "öppenhetsregister, lobbning, beslutsfattande, beredning, förtroende, korruption"
        ),
        "en": (
            "open operations, transparency, transparent, lobbying, transparency register, "
            "decision-making, freedom of information, public access, trust, corruption"
        ),
    },
    "enabling_administration": {
        "fi": (
            "hallinto mahdollistajana, mahdollistaja, mahdollistaa, mahdollistava, kokeilu, "
            "kokeilukulttuuri, yhteistyö, verkosto, palvelumuotoilu, innovaatio, rahoitus, "
            "avustus, kansalaisyhteiskunta, järjestö, toimintaympäristö, sääntely, lupaprosessi"
        ),
        "sv": (
            "förvaltningen som möjliggörare, möjliggörare, möjliggöra, försök, samarbete, "
            "nätverk, tjänstedesign, innovation, finansiering, understöd, civilsamhälle, "
            "reglering"
        ),
        "en": (
            "enabling administration, enabler, enable, experiment, pilot, collaboration, "
            "cooperation, network, service design, innovation, funding, grant, civil society, "
            "regulation"
        ),
    },
    "open_data": {
        "fi": (
            "avoin data, avoimet tiedot, avoin tieto, data, avoindata, tietoaineisto, aineisto, "
            "rajapinta, tietovaranto, lisenssi, koneluettava, tilasto, paikkatieto, tietokanta, "
            "tiedonhallinta, dataportaali, metatieto"
        ),
        "sv": (
            "öppna data, öppen data, datamängd, gränssnitt, licens, maskinläsbar, statistik, "
            "geodata, databas, informationshantering, dataportal, metadata"
        ),
        "en": (
            "open data, data, dataset, api, interface, licence, license, machine-readable, "
            "statistics, geospatial, database, data portal, metadata"
        ),
    },
}

_MAX_SUGGEST_CHARS = 30_000
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


@dataclass(frozen=True, slots=True)
class ThemeSuggestion:
    """The best-scoring theme, the words that hit it, and every theme's score."""

    theme: str
    matched_words: tuple[str, ...]
    scores: dict[str, int]


@dataclass(frozen=True, slots=True)
class ThemeResult:
    """The theme a draft starts with, whether it was guessed, and why."""

    theme: str | None
    suggested: bool
    reason: str


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
    found = _explicit(text)
    return found[0] if found else None


def _explicit(text: str) -> tuple[str, str] | None:
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


@cache
def _keyword_phrases(language: str) -> tuple[tuple[str, tuple[_Token, ...]], ...]:
    """(theme, keyword tokens) for every keyword of `language`, in table order."""
    return tuple(
        (theme, _phrase_tokens(keyword, language))
        for theme in THEME_KEYS
        for keyword in THEME_KEYWORDS[theme][language].split(",")
        if _phrase_tokens(keyword, language)
    )


@lru_cache(maxsize=200_000)
def _keywords_starting_with(token: _Token, language: str) -> tuple[int, ...]:
    """Indexes into `_keyword_phrases(language)` whose first word `token` matches."""
    return tuple(
        number
        for number, (_theme, phrase) in enumerate(_keyword_phrases(language))
        if _token_matches(token, phrase[0], language)
    )


def _keyword_runs(tokens: Sequence[_Token], language: str) -> dict[int, list[tuple[int, int]]]:
    """For each keyword (by index) the (start, width) runs where it occurs, in text order.

    Each distinct word of the text is compared with the keyword table once per process (cached),
    so the cost grows with the text's vocabulary, not with text length times table size.
    """
    phrases = _keyword_phrases(language)
    starts: dict[int, list[int]] = {}
    for token, positions in _index(tokens).items():
        for number in _keywords_starting_with(token, language):
            starts.setdefault(number, []).extend(positions)
    runs: dict[int, list[tuple[int, int]]] = {}
    for number, found in starts.items():
        phrase = phrases[number][1]
        width = len(phrase)
        runs[number] = [
            (start, width)
            for start in sorted(found)
            if start + width <= len(tokens)
            and all(
                _token_matches(token, word, language)
                for token, word in zip(tokens[start + 1 : start + width], phrase[1:], strict=True)
            )
        ]
    return runs


def suggest_theme(text: str) -> ThemeSuggestion | None:
    """The theme whose keywords occur most often in `text`, or None when nothing matched or tied.

    A theme scores the number of words its keywords cover, each word once. Equal scores are
    decided by the words hit at their start rather than inside a compound ("valmisteluaineisto"
    is preparation material before it is material), then by the earliest hit: the subject and
    the first sentence name what the practice is about. Only the first `_MAX_SUGGEST_CHARS`
    characters are read: a long document's opening names its subject.
    """
    words = _words(text[:_MAX_SUGGEST_CHARS])
    if not words:
        return None
    tokens_by_language = {language: _tokens(words, language) for language in _LANGUAGES}
    runs_by_language = {
        language: _keyword_runs(tokens, language) for language, tokens in tokens_by_language.items()
    }
    scores: dict[str, int] = {}
    ranks: dict[str, tuple[int, int, int]] = {}
    matched: dict[str, list[str]] = {}
    for theme in THEME_KEYS:
        covered: set[int] = set()
        headed: set[int] = set()
        hits: list[str] = []
        for language in _LANGUAGES:
            runs, tokens = runs_by_language[language], tokens_by_language[language]
            for number, (keyword_theme, phrase) in enumerate(_keyword_phrases(language)):
                if keyword_theme != theme:
                    continue
                for start, width in runs.get(number, ()):
                    span = set(range(start, start + width))
                    if not _is_compound_tail(tokens[start], phrase[0]):
                        headed |= span
                    if not span <= covered:
                        covered |= span
                        hits.append(" ".join(words[start : start + width]))
        # A word counts once per theme even when several languages' keywords hit it.
        scores[theme] = len(covered)
        ranks[theme] = (len(covered), len(headed), -min(covered, default=len(words)))
        matched[theme] = hits
    if max(scores.values()) == 0:
        return None
    best_rank = max(ranks.values())
    leaders = [theme for theme in THEME_KEYS if ranks[theme] == best_rank]
    if len(leaders) > 1:
        return None
    theme = leaders[0]
    return ThemeSuggestion(theme, tuple(dict.fromkeys(matched[theme])), scores)


def _is_compound_tail(token: _Token, keyword: _Token) -> bool:
    """Whether `keyword` matched only inside a compound, after another word ("valmisteluaineisto").

    Such a hit is weaker evidence than a word that starts with the keyword: it breaks ties only.
    """
    head = keyword.stem[:3]
    return not token.stem.startswith(head) and not token.word.startswith(keyword.word[:3])


def detect_theme(text: str) -> ThemeResult:
    """Explicit theme if stated, else a suggestion, else nothing."""
    explicit = _explicit(text)
    if explicit is not None:
        theme, line = explicit
        return ThemeResult(theme, suggested=False, reason=f"explicit: {line}")
    suggestion = suggest_theme(text)
    if suggestion is not None:
        words = ", ".join(suggestion.matched_words)
        return ThemeResult(suggestion.theme, suggested=True, reason=f"keywords: {words}")
    return ThemeResult(None, suggested=False, reason="")
