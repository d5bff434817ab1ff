"""Reduces words to their dictionary forms, so "Opetushallituksessa" finds "Opetushallitus".

Finnish inflects every name and noun in some fifteen cases, and consonant gradation changes the
stem itself ("kaupunki" / "kaupungilla", "hallinto" / "hallinnon"): a stemmer that only cuts
endings cannot join those. Finnish words therefore go through Voikko (Debian's `libvoikko1` and
`voikko-fi`, driven by PyPI's `libvoikko`), a morphological analyser that gives the base form
and, for compounds, the parts ("asukasosallisuus" = "asukas" + "osallisuus"). Voikko takes about
15 MB and 15 µs a word. Words Voikko does not know (names like "Traficom") get their common case
endings cut instead. Swedish and English inflect little and regularly; the Snowball stemmers
join their forms ("stads" and "stad", "kommunens" and "kommun") well enough.

Where Voikko is missing (a machine set up without the Debian packages) the Snowball Finnish
stemmer stands in, with a warning in the log once: matching still works for most words.

Two users, so it lives in `core`: understanding (`ingest.understand`: organisation names and
theme keywords) and the console's search index (`store.draft_index`, queried by `review`),
which index and look up words by the same `search_keys`.
"""

from __future__ import annotations

import logging
import re
import threading
from dataclasses import dataclass
from functools import cache, lru_cache

import snowballstemmer

log = logging.getLogger(__name__)

_SNOWBALL = {"fi": "finnish", "sv": "swedish", "en": "english"}
# Case endings (and the possessive-free clitics) cut from a Finnish word Voikko does not know,
# longest first; what is left must keep at least three letters.
_ENDINGS_TEXT = (
    "n ssa ssä sta stä lla llä lta ltä lle ksi na nä a ä t in iin ista istä issa issä "
    "illa illä ilta iltä ille iksi ina inä ia iä ja jä ihin hin seen sen ineen ine tta ttä ton tön"
)
_FINNISH_ENDINGS = tuple(sorted(_ENDINGS_TEXT.split(), key=len, reverse=True))
_MIN_STEM = 4
_lock = threading.Lock()


@dataclass(frozen=True, slots=True)
class Analysis:
    """A Finnish word's base forms (lower case) and, for compounds, its last part's base form."""

    bases: tuple[str, ...]
    heads: tuple[str, ...]


class _Voikko:
    """One Voikko handle per process, created on first use; None when the library is missing."""

    handle: object | None = None
    tried: bool = False


def _voikko() -> object | None:
    if not _Voikko.tried:
        _Voikko.tried = True
        try:
            import libvoikko

            _Voikko.handle = libvoikko.Voikko("fi")
        except (ImportError, OSError) as exc:
            log.warning(
                "Voikko is not available (%s); Finnish words are stemmed instead. "
                "Install Debian's libvoikko1 and voikko-fi (scripts/setup-env does).",
                exc,
            )
            _Voikko.handle = None
    return _Voikko.handle


def voikko_available() -> bool:
    """Whether Finnish words go through Voikko in this process (False: the stemmer stands in)."""
    return _voikko() is not None


@cache
def _stemmer(language: str) -> snowballstemmer.Stemmer:
    return snowballstemmer.stemmer(_SNOWBALL[language])


def stem(word: str, language: str) -> str:
    """The Snowball stem of lower-cased `word` in `language` ("fi", "sv" or "en")."""
    return str(_stemmer(language).stemWord(word.lower()))


@lru_cache(maxsize=100_000)
def analyse_finnish(word: str) -> Analysis:
    """Base forms of a Finnish word; empty when Voikko does not know it (or is missing)."""
    handle = _voikko()
    if handle is None or not word:
        return Analysis((), ())
    with _lock:  # a Voikko handle is not safe to share between threads
        found = handle.analyze(word)  # type: ignore[attr-defined]
    bases: list[str] = []
    heads: list[str] = []
    for reading in found:
        base = str(reading.get("BASEFORM", "")).lower()
        if base:
            bases.append(base)
        head = _last_part(str(reading.get("WORDBASES", "")))
        if head and head != base:
            heads.append(head)
    return Analysis(tuple(dict.fromkeys(bases)), tuple(dict.fromkeys(heads)))


def _last_part(wordbases: str) -> str:
    """The base of a compound's last part from Voikko's WORDBASES ("+raja(raja)+pinta(pinta)").

    Derivational suffixes ("+us(+us)") belong to the part before them, so only a part whose base
    is a word of its own ("pinta") is returned; "" for a word that is no compound.
    """
    parts = [part for part in wordbases.split("+") if part]
    words = [part for part in parts if "(" in part and not part.split("(", 1)[1].startswith("+")]
    if len(words) < 2:
        return ""
    return words[-1].split("(", 1)[1].rstrip(")").replace("=", "").lower()


def finnish_endings_cut(word: str) -> tuple[str, ...]:
    """`word` (lower case) with each known case ending cut off, for names Voikko does not know.

    >>> finnish_endings_cut("traficomissa")[:2]
    ('traficomissa', 'traficom')
    """
    out = [word]
    for ending in _FINNISH_ENDINGS:
        if word.endswith(ending) and len(word) - len(ending) >= 3:
            out.append(word[: -len(ending)])
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=200_000)
def word_keys(word: str) -> frozenset[str]:
    """Every form `word` may be a form of, each tagged with its language ("fi:kaupunki").

    Finnish: the word's base forms (or, for a word Voikko does not know, the word with case
    endings cut); Swedish and English: the Snowball stem; in every language the lower-cased word
    itself. A name's word matches when its `name_key` is among these. The tags keep languages
    apart: the Swedish stem of "date" is the Swedish stem of "data".
    """
    lowered = word.lower().strip("-–")
    if not lowered:
        return frozenset()
    keys = {f"{code}:{lowered}" for code in _SNOWBALL}
    keys.update((f"sv:{stem(lowered, 'sv')}", f"en:{stem(lowered, 'en')}"))
    analysis = analyse_finnish(lowered)
    if analysis.bases:
        keys.update(f"fi:{base}" for base in analysis.bases)
    else:
        keys.update(f"fi:{cut}" for cut in finnish_endings_cut(lowered))
        if not voikko_available():
            keys.add(f"fi:{stem(lowered, 'fi')}")
    return frozenset(keys)


@lru_cache(maxsize=50_000)
def name_key(word: str, language: str) -> str:
    """The one key a word of a name or keyword is known by in `language`, tagged like
    `word_keys` ("fi:opetushallitus", "sv:stad").

    Finnish: the first base form Voikko gives (the word lower-cased when it has none); Swedish and
    English: the Snowball stem. `word_keys` of every inflected form contains it.
    """
    lowered = word.lower().strip("-–")
    if language in ("sv", "en"):
        # Very short stems conflate words ("data" and "date" both stem to "dat" in Swedish).
        stemmed = stem(lowered, language)
        return f"{language}:{stemmed if len(stemmed) >= _MIN_STEM else lowered}"
    bases = analyse_finnish(lowered).bases
    if bases:
        return f"fi:{lowered if lowered in bases else bases[0]}"
    return f"fi:{lowered if voikko_available() else stem(lowered, 'fi')}"


def compound_heads(word: str) -> frozenset[str]:
    """Tagged keys of a Finnish compound's last part ("asukaskysely" -> "fi:kysely")."""
    return frozenset(f"fi:{head}" for head in analyse_finnish(word.lower()).heads)


SEARCH_LANGUAGES = ("fi", "sv", "en")
_WORD = re.compile(r"\w+", re.UNICODE)
_MAX_TERM = 100


def words(text: str) -> list[str]:
    """The words of `text`, lower-cased, in order; hyphens and punctuation separate them.

    >>> words("Asukas-ilta: 12.5.")
    ['asukas', 'ilta', '12', '5']
    """
    return [match.group().lower() for match in _WORD.finditer(text)]


@lru_cache(maxsize=200_000)
def search_keys(word: str, language: str, *, parts: bool = True) -> frozenset[str]:
    """The tagged keys a word is indexed and looked up by in `language` ("fi", "sv", "en").

    Finnish: every base form Voikko gives and, for a compound, its last part ("asukasiltojen"
    -> fi:asukasilta, fi:ilta), or for a word Voikko does not know the word with each case
    ending cut; Swedish and English: the Snowball stem. A draft is indexed by the keys of its
    own language; a search word is looked up by its keys in all three without `parts`, so
    "asukasilta" finds "asukasiltojen", "ilta" finds it too, and "kommun" finds "kommunens".
    """
    lowered = word.lower()[:_MAX_TERM]
    if not lowered:
        return frozenset()
    if language in ("sv", "en"):
        return frozenset({f"{language}:{stem(lowered, language)}"})
    analysis = analyse_finnish(lowered)
    if analysis.bases:
        heads = analysis.heads if parts else ()
        return frozenset(f"fi:{base}" for base in (*analysis.bases, *heads))
    keys = {f"fi:{cut}" for cut in finnish_endings_cut(lowered)}
    if not voikko_available():
        keys.add(f"fi:{stem(lowered, 'fi')}")
    return frozenset(keys)
