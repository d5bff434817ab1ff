"""Derives a draft's title, organisation, contact and language from subject, body and signature.

Every function is best effort and returns "" (or "fi" for the language) when it finds nothing, so
the pipeline can try the next source: subject, then body, then signature, then sender domain.
"""

from __future__ import annotations

import re

_REPLY_PREFIX = re.compile(
    r"^\s*(?:"
    r"(?:re|vs|vl|vast|fwd?|sv|svar|vb|aw|wg|tr|antw|rif|external|ulkoinen|extern)"
    r"\s*(?:\[\d+\]|\(\d+\))?\s*:"
    r"|\[[^\]\n]{1,30}\]"
    r")\s*",
    re.IGNORECASE,
)
_CALL_PREFIX = re.compile(
    r"^\s*(?:hyvä\s+käytäntö|hyvät\s+käytännöt|kokemus|gott\s+exempel|god\s+praxis"
    r"|good\s+practices?)"
    # "Hyvä käytäntö ja kuva:", "Gott exempel och bilder:", "Good practice + photo:"
    r"(?:\s*(?:ja|och|and|\+|&)\s*(?:kuva\w*|liite\w*|bild\w*|bilag\w*|photos?|pictures?"
    r"|attachments?))?"
    r"\s*(?::|\s-|\s–|\s—)\s*",
    re.IGNORECASE,
)
# "(päivitetty)", "[uppdaterad]", "- updated" at the end: a note to us, not part of the title.
_TITLE_SUFFIX = re.compile(
    r"\s*(?:[(\[]\s*|[-–—]\s+)(?:päivitetty|päivitys|korjattu|korjaus|uusi\s+versio"
    r"|updated?|corrected|revised|new\s+version|uppdaterad|korrigerad|rättad|ny\s+version"
    r"|external|ulkoinen|extern)\s*[)\]]?\s*$",
    re.IGNORECASE,
)

# Our own call for submissions, in the words senders echo back in their subject lines.
_CALL_PHRASES = (
    "kerro hyvä käytäntösi",
    "kerro hyvästä käytännöstä",
    "kerro hyvästä käytännöstäsi",
    "kerro meille hyvästä käytännöstä",
    "jaa hyvä käytäntösi",
    "avoimen hallinnon hyvät käytännöt",
    "hyvät käytännöt",
    "hyvä käytäntö",
    "hyvä käytäntömme",
    "hyvä käytäntöni",
    "kokemukset",
    "kokemus",
    "berätta om ett gott exempel",
    "berätta om din goda praxis",
    "dela ditt goda exempel",
    "goda exempel",
    "gott exempel",
    "god praxis",
    "share your good practice",
    "tell us about your good practice",
    "good practices",
    "good practice",
    "avoin hallinto",
    "avoimen hallinnon",
    "öppen förvaltning",
    "open government",
)
_CALL_FILLER = frozenset({"ja", "och", "and", "the", "a", "ohjelma", "programme"})

_GREETINGS = (
    "hei", "moi", "moikka", "terve", "hyvä", "hyvät", "arvoisa", "hej", "hejsan", "bästa",
    "hallå", "hello", "hi", "dear", "good morning", "good afternoon", "greetings",
)  # fmt: skip
_INTRO_STARTS = (
    "tässä", "ohessa", "liitteenä", "liitteessä", "alla", "lähetän", "lähetämme", "kiitos",
    "här", "bifogat", "bifogar", "nedan", "jag skickar", "vi skickar", "tack",
    "here is", "here's", "please find", "attached", "below", "i am sending", "we are sending",
    "thank", "thanks", "see attached", "see the attached", "katso liite", "se bilaga",
)  # fmt: skip
_SECTION_HEADINGS = re.compile(
    r"^(?:\d+[.)]\s*)?(?:mitä\s+(?:tehtiin|saatiin|jatkossa)|lisätieto|yhteystied|teema"
    r"|vad\s+(?:gjordes|uppnåddes|händer)|mer\s+information|ytterligare|kontakt|tema"
    r"|what\s+(?:was|next|did|happens)|more\s+information|further\s+information|contact|theme"
    r"|next\s+steps|results?\b|tulokset|jatko)",
    re.IGNORECASE,
)
_TITLE_LABEL = re.compile(
    r"^(?:otsikko|käytännön\s+nimi|nimi|rubrik|titel|title|name\s+of\s+the\s+practice)\s*:\s*(.+)$",
    re.IGNORECASE,
)
_MAX_TITLE_WORDS = 12

# Organisation words. Finnish and Swedish form compounds ("Valtiovarainministeriö",
# "Skatteförvaltningen"), so they may end a longer word, followed by an inflection ending.
_ORG_COMPOUND = re.compile(
    r"^\w*?(?:"
    r"ministeriö\w{0,4}|virasto\w{0,4}|kaupun(?:ki|gi\w{0,4})|kun(?:ta|nan)|keskus|keskukse\w{0,3}"
    r"|laito(?:s|kse\w{0,3})|hyvinvointialue\w{0,3}|yliopisto\w{0,3}|korkeakoulu\w{0,3}"
    r"|hallinto\w{0,2}|liitto\w{0,2}|toimisto\w{0,3}|kuntayhtymä\w{0,3}|eduskunta\w{0,3}"
    r"|ministeriet|verket|stad(?:en)?|kommun(?:en)?|myndighet(?:en)?|förvaltning(?:en)?"
    r"|universitet(?:et)?|byrå(?:n)?|institut(?:et)?|välfärdsområde(?:t)?|landskapsregering(?:en)?"
    r")$",
    re.IGNORECASE,
)
_ORG_ENGLISH = frozenset(
    {
        "ministry", "agency", "city", "municipality", "office", "institute", "authority",
        "council", "department", "administration", "university", "government", "centre",
        "center", "board", "region", "parliament",
    }
)  # fmt: skip
# Agencies named in English after the country, with no organisation word: "Statistics Finland",
# "Business Finland", "Bank of Finland", "National Land Survey of Finland".
_COUNTRY_NAMED = re.compile(
    r"^[A-ZÅÄÖ][\w&'’-]*(?:\s+(?:of|and|for|the|[A-ZÅÄÖ][\w&'’-]*)){0,4}\s+Finland$"
)
_ORG_PART_SPLIT = re.compile(r"\s*(?:,|\||/|\s[-–—]\s|;)\s*")
_WORD = re.compile(r"[^\W\d_]+")
_EMAIL = re.compile(r"[\w.+-]+@[\w-]+(?:\.[\w-]+)+")
_NAME_WORD = re.compile(
    r"^(?:[A-ZÅÄÖÉÜ][a-zåäöéüšž'’]+(?:-[A-ZÅÄÖÉÜ][a-zåäöéüšž'’]+)?|[A-ZÅÄÖ]\.)$"
)
_CLOSINGS = (
    "ystävällisin", "terveisin", "parhain", "kiittäen", "med vänlig", "vänliga", "hälsningar",
    "mvh", "best", "kind", "regards", "sincerely", "yours", "thanks", "thank you",
)  # fmt: skip


def clean_title(subject: str) -> str:
    """`subject` without reply/forward prefixes, tags or our call's prefixes, spaces collapsed.

    >>> clean_title("VS: [EXT] Fwd: Hyvä käytäntö: Asukasraati  Kuopiossa")
    'Asukasraati Kuopiossa'
    >>> clean_title("Hyvä käytäntö: selkokieliset tiedotteet")
    'Selkokieliset tiedotteet'
    >>> clean_title("VS: Hyvä käytäntö ja kuva: Asukasraati (päivitetty) [EXTERNAL]")
    'Asukasraati'
    """
    original = title = " ".join(subject.split())
    while True:
        stripped = _CALL_PREFIX.sub("", _REPLY_PREFIX.sub("", title, count=1), count=1)
        stripped = _TITLE_SUFFIX.sub("", stripped)
        if stripped == title:
            break
        title = stripped
    title = title.strip()
    # "Hyvä käytäntö: selkokieliset tiedotteet" reads as a title once capitalised.
    if title != original and title[:1].islower():
        title = title[:1].upper() + title[1:]
    return title


def is_call_reply(subject: str) -> bool:
    """Whether the subject only echoes our call (or is empty), so it cannot serve as a title."""
    text = " " + " ".join(re.sub(r"[^\w\s]", " ", clean_title(subject).lower()).split()) + " "
    for phrase in _CALL_PHRASES:
        text = text.replace(f" {phrase} ", " ")
    return all(word in _CALL_FILLER for word in text.split())


def title_from_text(text: str) -> str:
    """The first short heading-like line of `text`, or "".

    A labelled line ("Otsikko: ...", "Rubrik: ...", "Title: ...") wins. Otherwise greetings,
    introductions ("Tässä ..."), section headings, sentences and quoted lines are skipped.
    """
    lines = [line.strip(" \t*_#>•") for line in text.splitlines()]
    for line in lines:
        labelled = _TITLE_LABEL.match(line)
        if labelled:
            return " ".join(labelled.group(1).split())
    for line in lines:
        if _looks_like_title(line):
            return " ".join(line.split())
    return ""


def _looks_like_title(line: str) -> bool:
    words = line.split()
    if not words or len(words) > _MAX_TITLE_WORDS or not _WORD.search(line):
        return False
    lowered = line.lower()
    if line.endswith((",", ".", ":", ";", "?")) or "@" in line or "://" in line:
        return False
    if _starts_with(lowered, _GREETINGS) or _starts_with(lowered, _INTRO_STARTS):
        return False
    return not _SECTION_HEADINGS.match(lowered)


def _starts_with(lowered: str, starts: tuple[str, ...]) -> bool:
    """Whether `lowered` begins with one of `starts` as whole words."""
    return any(
        lowered.startswith(start)
        and (len(lowered) == len(start) or not lowered[len(start)].isalpha())
        for start in starts
    )


def _names_organisation(part: str) -> bool:
    for word in _WORD.findall(part):
        if _ORG_COMPOUND.match(word) or word.lower() in _ORG_ENGLISH:
            return True
    return bool(_COUNTRY_NAMED.match(part.strip()))


def organisation_from_signature(signature: str) -> str:
    """The first signature line (or part of a line) that reads like an organisation, or "".

    A part does when it holds an organisation word ("ministeriö", "stad", "Agency") or is an
    English agency name ending in "Finland". The last resort for organisations that are in
    neither the register nor the configuration (`ingest.understand.organisations`).

    >>> organisation_from_signature("Maija Virtanen\nErityisasiantuntija, Valtiovarainministeriö")
    'Valtiovarainministeriö'
    """
    for raw in signature.splitlines():
        line = raw.strip(" \t*_-–>")
        if (
            not line
            or "@" in line
            or "://" in line
            or line.lower().startswith(("www.", "puh", "tel"))
        ):
            continue
        for part in _ORG_PART_SPLIT.split(line):
            if _names_organisation(part):
                return part.strip()
    return ""


def _word_set(words: str) -> frozenset[str]:
    return frozenset(words.split())


_STOP_WORDS = {
    "fi": _word_set(
        "ja on että se ei oli myös kanssa mitä tämä ovat olla sekä kun tai mutta kuin jotka joka "
        "ole voi niin nyt vielä jo hän me he sen sitä näin kaikki mukaan tehtiin miksi"
    ),
    "sv": _word_set(
        "och att det som en är för med på vad av till den har inte om ett var de jag vi så men "
        "från också kan nu eller när hur varför gjordes"
    ),
    "en": _word_set(
        "the and of to is was that for with what are be this have from by an it not were which "
        "we you they has been also can at or how why next"
    ),
}


def detect_language(text: str) -> str:
    """The language code ("fi", "sv" or "en") whose common words occur most; "fi" on no evidence."""
    words = [word.lower() for word in _WORD.findall(text)]
    scores = {language: 0.0 for language in _STOP_WORDS}
    for word in words:
        for language, stop_words in _STOP_WORDS.items():
            if word in stop_words:
                scores[language] += 1
    lowered = text.lower()
    if "å" in lowered:
        scores["sv"] += 0.5
    elif "ä" in lowered or "ö" in lowered:
        scores["fi"] += 0.5
    best = max(scores.values())
    if best == 0:
        return "fi"
    return next(language for language in ("fi", "sv", "en") if scores[language] == best)


def contact_from_signature(signature: str) -> tuple[str, str]:
    """(name, email) from a signature: the first line of 2-3 capitalised words, any address."""
    email_match = _EMAIL.search(signature)
    email = email_match.group(0) if email_match else ""
    for raw in signature.splitlines():
        line = raw.strip(" \t*_-–>")
        words = line.split()
        if not 2 <= len(words) <= 3 or _starts_with(line.lower(), _CLOSINGS):
            continue
        if all(_NAME_WORD.match(word) for word in words) and not _names_organisation(line):
            return line, email
    return "", email
