"""Recognise a line as the heading of one of the four practice sections.

Submitters rarely copy the official questions verbatim: they number them, bold them, drop the
question mark, shorten them, write them in Swedish or English, or put the answer on the same line.
`HEADING_VARIANTS` is the one table to extend when a new phrasing turns up; everything else here
only normalises lines so that the table can stay a list of plain phrases.

Matching rules (why each exists):
- a whole line that equals a variant after normalisation is a heading;
- a short line (at most `MAX_HEADING_WORDS` words) that starts with a multi-word variant and adds
  a few words ("Mitä jatkossa tapahtuu?") is a heading; a single-word variant ("Resultat") may only
  be extended by a connector ("Resultat och effekter"), because "Results are attached" is prose;
- "heading: answer" / "heading? answer" on one line is a heading with an inline answer only when
  the part before the separator equals a variant exactly, so ordinary questions in prose are safe.

Example:
    >>> match_heading("**2) Mitä saatiin aikaiseksi**")
    HeadingMatch(key='achieved', inline='')
    >>> match_heading("Mitä jatkossa: Laajennamme kokeilua.")
    HeadingMatch(key='next_steps', inline='Laajennamme kokeilua.')
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from core.vocabulary import SECTION_KEYS

# One table: section key -> heading phrases in Finnish, Swedish and English, written as people
# write them. Case, numbering, markup and trailing punctuation need not be listed.
HEADING_VARIANTS: dict[str, tuple[str, ...]] = {
    "what_and_why": (
        # Finnish: official, shortened, as published on the site, common paraphrases
        "Mitä tehtiin ja miksi?",
        "Mitä tehtiin?",
        "Miksi?",
        "Mitä pitäisi tehdä ja miksi?",
        "Mitä tehtiin ja miksi tehtiin?",
        "Mitä on tehty ja miksi?",
        "Mitä teimme ja miksi?",
        "Mitä tehtiin ja miksi se tehtiin?",
        "Taustaa",
        "Tausta",
        "Kuvaus",
        # Swedish
        "Vad gjordes och varför?",
        "Vad gjorde vi och varför?",
        "Vad gjordes?",
        "Varför?",
        "Vad borde göras och varför?",
        "Bakgrund",
        # English
        "What was done and why?",
        "What did we do and why?",
        "What was done?",
        "Why?",
        "What should be done and why?",
        "Background",
    ),
    "achieved": (
        "Mitä saatiin aikaiseksi?",
        "Mitä saatiin aikaan?",
        "Mitä pitäisi saada aikaiseksi?",
        "Mitä saavutettiin?",
        "Tulokset",
        "Tulokset ja vaikutukset",
        "Vaikutukset",
        "Vad uppnåddes?",
        "Vad åstadkoms?",
        "Vad åstadkom vi?",
        "Vad borde uppnås?",
        "Resultat",
        "Resultat och effekter",
        "What was achieved?",
        "What did we achieve?",
        "What should be achieved?",
        "Results",
        "Outcomes",
        "Impact",
    ),
    "next_steps": (
        "Mitä jatkossa?",
        "Mitä seuraavaksi?",
        "Miten jatketaan?",
        "Jatko",
        "Jatkosuunnitelmat",
        "Jatkotoimet",
        "Vad händer härnäst?",
        "Vad händer sedan?",
        "Vad händer nu?",
        "Hur går vi vidare?",
        "Fortsättning",
        "Fortsättningen",
        "Nästa steg",
        "What next?",
        "What's next?",
        "What happens next?",
        "Next steps",
        "Future plans",
    ),
    "more_info": (
        "Lisätietoa",
        "Lisätietoja",
        "Lisätietoa – yhteystiedot",
        "Lisätietoja – yhteystiedot",
        "Lisätietoa ja yhteystiedot",
        "Yhteystiedot",
        "Yhteyshenkilö",
        "Linkit",
        "Mer information",
        "Ytterligare information",
        "Mer info",
        "Kontaktuppgifter",
        "Kontaktperson",
        "Länkar",
        "More information",
        "Further information",
        "More info",
        "Contact",
        "Contacts",
        "Contact information",
        "Contact details",
        "Contact person",
        "Links",
    ),
}

MAX_HEADING_WORDS = 8
"""A heading line without an inline answer has at most this many words (prose is longer)."""

_MAX_EXTRA_WORDS = 4
"""How many words a line may add after a multi-word variant and still be that heading."""

_CONNECTORS = frozenset({"ja", "sekä", "och", "samt", "and", "&", "/", "–", "+"})
"""Words that may extend a single-word variant ("Tulokset ja vaikutukset")."""

_MAX_INLINE_HEADING_CHARS = 80

_QUOTES = "\"'“”„«»‘’`"
_DASHES = re.compile(r"\s*[–—−]\s*|\s+-\s+")
_LEADING_MARKUP = re.compile(
    r"""^(?:
        \#{1,6}\s*                                   # markdown heading
      | [-*•·▪◦+–]\s+                                # bullet
      | \(?\d{1,2}(?:\.\d{1,2})*[.)]\s*              # 1.  1)  (1)  1.2.
      | \d{1,2}\s+                                   # 1 Mitä tehtiin
      | \(?(?:[a-z]|[ivx]{1,4})[.)]\s+               # a)  A.  (b)  I.  iv)
    )""",
    re.VERBOSE | re.IGNORECASE,
)
_TRAILING = re.compile(r"[\s:?.!–—\-]+$")
_SEPARATOR = re.compile(r"[:?]")


@dataclass(frozen=True, slots=True)
class HeadingMatch:
    """A recognised heading: which section it opens, and any answer written on the same line."""

    key: str
    inline: str = ""


def normalise_heading(text: str) -> str:
    """Reduce a heading candidate to a comparable form: casefolded, unnumbered, unmarked."""
    cleaned = _strip_emphasis(text).replace("\xa0", " ").strip()
    cleaned = _strip_leading_markup(cleaned)
    cleaned = cleaned.strip(_QUOTES + " ")
    cleaned = _TRAILING.sub("", cleaned)
    cleaned = cleaned.strip(_QUOTES + " ")
    cleaned = _DASHES.sub(" – ", cleaned)
    cleaned = cleaned.replace("’", "'")
    return " ".join(cleaned.casefold().split())


def _strip_emphasis(text: str) -> str:
    return text.replace("**", "").replace("__", "")


def _strip_leading_markup(text: str) -> str:
    # Repeat: "## 1. **Mitä**" carries several layers.
    previous = None
    while previous != text:
        previous = text
        text = _LEADING_MARKUP.sub("", text, count=1).lstrip(_QUOTES + " ")
    return text


def _build_lookup() -> dict[str, str]:
    lookup: dict[str, str] = {}
    for key, variants in HEADING_VARIANTS.items():
        if key not in SECTION_KEYS:
            raise ValueError(f"heading table names unknown section {key!r}")
        for variant in variants:
            normalised = normalise_heading(variant)
            if lookup.get(normalised, key) != key:
                raise ValueError(f"heading {variant!r} is listed for two sections")
            lookup[normalised] = key
    return lookup


_EXACT: dict[str, str] = _build_lookup()


def _index_by_first_word() -> dict[str, tuple[tuple[str, str], ...]]:
    # Longest first, so "mitä tehtiin ja miksi" wins over "mitä tehtiin".
    grouped: dict[str, list[tuple[str, str]]] = {}
    for variant, key in sorted(_EXACT.items(), key=lambda item: len(item[0]), reverse=True):
        grouped.setdefault(variant.split()[0], []).append((variant, key))
    return {word: tuple(entries) for word, entries in grouped.items()}


_BY_FIRST_WORD = _index_by_first_word()


def _match_extended(normalised: str, ends_sentence: bool) -> str | None:
    """The section key when the line is a variant plus a few words of its own, else None."""
    if ends_sentence or len(normalised.split()) > MAX_HEADING_WORDS:
        return None
    first_word = re.split(r"[\s/(]", normalised, maxsplit=1)[0]
    for variant, key in _BY_FIRST_WORD.get(first_word, ()):
        if not normalised.startswith(variant):
            continue
        rest = normalised[len(variant) :]
        if rest[:1].isalnum() or ":" in rest or "?" in rest:
            continue  # "miksi" must not match "miksikään"; a separator means prose follows
        extra = rest.replace("/", " / ").split()
        if not extra or len(extra) > _MAX_EXTRA_WORDS:
            continue
        if len(variant.split()) == 1 and extra[0] not in _CONNECTORS:
            continue
        return key
    return None


def _match_inline(line: str) -> HeadingMatch | None:
    """A heading with its answer after ':' or '?' on the same line, longest heading first."""
    positions = [m.start() for m in _SEPARATOR.finditer(line[:_MAX_INLINE_HEADING_CHARS])]
    for position in reversed(positions):
        heading_part = normalise_heading(line[:position])
        key = _EXACT.get(heading_part)
        if key is None:
            continue
        inline = line[position + 1 :].lstrip(" :?.–—-\t")
        inline = inline.removeprefix("**").removeprefix("__").strip()
        if inline:
            return HeadingMatch(key=key, inline=inline)
    return None


def _match_bold_lead(line: str) -> HeadingMatch | None:
    """'**Mitä jatkossa** Laajennamme...': a bold lead-in is a heading without any separator."""
    match = re.match(r"^\s*(?:[-*•]\s+|\d{1,2}[.)]\s*)?(\*\*|__)(.+?)\1\s*(.*)$", line)
    if match is None:
        return None
    key = _EXACT.get(normalise_heading(match.group(2)))
    if key is None:
        return None
    return HeadingMatch(key=key, inline=match.group(3).lstrip(" :?.–—-").strip())


def match_heading(line: str) -> HeadingMatch | None:
    """The section that `line` opens, or None when the line is not a heading.

    `line` is one line of plain text (markdown-ish markup allowed). The inline remainder is
    returned so the caller can start the section with it.
    """
    stripped = line.strip()
    if not stripped or len(stripped) > 300:
        return None
    plain = _strip_emphasis(stripped).rstrip(_QUOTES + " ")
    ends_sentence = plain.endswith(".") and not plain.endswith("..")
    normalised = normalise_heading(stripped)
    exact = _EXACT.get(normalised)
    if exact is not None:
        return HeadingMatch(key=exact)
    # An answer on the heading's own line beats reading its first words as part of the heading.
    found = _match_bold_lead(stripped) or _match_inline(stripped)
    if found is not None:
        return found
    key = _match_extended(normalised, ends_sentence)
    return HeadingMatch(key=key) if key is not None else None
