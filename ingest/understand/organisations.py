"""Finds who sent a submission: an organisation of the register, named in any inflected form.

Names are indexed as sequences of word keys (`lemmas.name_key`): "Helsingin kaupunki" is
("helsinki", "kaupunki"), and "Helsingin kaupungilla" in a signature matches because each of its
words has that key among its own (`lemmas.word_keys`). Abbreviations ("VNK", "VNK:n") match only
as the same capitals. The index is built once per process and configuration.

Where the organisation comes from, in order of trust (recorded in `field_sources`):
1. `register:signature` / `config:signature` - a registered or configured name in the signature;
2. `config:domain` / `register:domain` - the author's mail domain (sub-domains too);
3. `signature` - a signature line that reads like an organisation ("... ministeriö", "... stad")
   but is in neither the register nor the configuration;
4. `register:text` - the organisation the answers mention most (first on a tie).
`[organisations]` (domain -> name) overrides the register's domains, and its names are found in
signatures like the register's. A name found in a signature is given as the sender wrote it, in
Finnish, Swedish or English; one found by domain, alias or abbreviation in the submission's
language.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache

from core.lemmas import name_key, word_keys
from ingest.understand.meta import organisation_from_signature
from ingest.understand.register import Organisation, load_register

_TOKEN = re.compile(r"[^\W\d_]+(?:[-–][^\W\d_]+)*[-–]?")
# Postal address lines ("PL 23, 00023 Valtioneuvosto") name a place, not the sender.
_POSTAL_CODE = re.compile(r"\b(?:FI-|AX-)?\d{5}\b")
_SKIPPED_LINE = re.compile(r"@|://|^\s*(?:www\.|puh|tel|p\.\s*\d|gsm|mob|fax)", re.IGNORECASE)
# Two-letter abbreviations ("VM", "OM") are too common in prose to count outside a signature.
_MIN_ABBREVIATION_IN_TEXT = 3


@dataclass(frozen=True, slots=True)
class _Name:
    keys: tuple[str, ...]
    organisation: int
    language: str


@dataclass(frozen=True)
class NameIndex:
    """Every indexed name by its first word's key (longest first), and the abbreviations."""

    organisations: tuple[Organisation, ...]
    by_first_key: dict[str, tuple[_Name, ...]]
    abbreviations: dict[str, int]


@dataclass(frozen=True, slots=True)
class Found:
    """An organisation, the language of the name that matched ("" when none), and where."""

    organisation: Organisation
    language: str
    position: int


@dataclass(frozen=True, slots=True)
class OrganisationResult:
    """The organisation's name as an editor sees it, and how it was found."""

    name: str
    source: str


def _name(text: str, organisation: int, language: str) -> _Name | None:
    keys = tuple(name_key(word, language) for word in _TOKEN.findall(text))
    return _Name(keys, organisation, language) if keys and all(keys) else None


def build_index(organisations: Sequence[Organisation]) -> NameIndex:
    """The name index of `organisations` (official names, aliases and abbreviations)."""
    grouped: dict[str, list[_Name]] = {}
    abbreviations: dict[str, int] = {}
    for number, organisation in enumerate(organisations):
        names = [_name(text, number, code) for code, text in organisation.names.items()]
        names += [_name(alias, number, "") for alias in organisation.aliases]
        for name in names:
            if name is not None:
                grouped.setdefault(name.keys[0], []).append(name)
        for abbreviation in organisation.abbreviations:
            abbreviations.setdefault(abbreviation, number)
    # Longest first; among names as long, a configured one (listed last) before the register's.
    by_first = {
        key: tuple(sorted(names, key=lambda n: (-len(n.keys), -n.organisation)))
        for key, names in grouped.items()
    }
    return NameIndex(tuple(organisations), by_first, abbreviations)


@lru_cache(maxsize=8)
def index_for(configured: tuple[tuple[str, str], ...]) -> NameIndex:
    """The register's index plus the configured (domain, name) pairs, built once per process."""
    extra = [
        Organisation(kind="configured", names={"fi": name}, domains=(domain,))
        for domain, name in configured
    ]
    return build_index([*load_register().organisations, *extra])


def find_names(text: str, index: NameIndex, *, in_signature: bool = False) -> list[Found]:
    """Every organisation named in `text`, in text order; at each place the longest name wins.

    A name must start with a capital letter, as names do in Finnish, Swedish and English.
    """
    words = _TOKEN.findall(text)
    found: list[Found] = []
    position = 0
    while position < len(words):
        word = words[position]
        hit = _abbreviation(word, index, in_signature) if word[:1].isupper() else None
        width = 1
        if hit is None and word[:1].isupper():
            match = _longest(words, position, index)
            if match is not None:
                hit = Found(index.organisations[match.organisation], match.language, position)
                width = len(match.keys)
        if hit is not None:
            found.append(hit)
        position += width
    return found


def _abbreviation(word: str, index: NameIndex, in_signature: bool) -> Found | None:
    bare = word.rstrip("-–")
    number = index.abbreviations.get(bare)
    if number is None or (not in_signature and len(bare) < _MIN_ABBREVIATION_IN_TEXT):
        return None
    return Found(index.organisations[number], "", 0)


def _longest(words: Sequence[str], start: int, index: NameIndex) -> _Name | None:
    for key in word_keys(words[start]):
        for name in index.by_first_key.get(key, ()):
            end = start + len(name.keys)
            if end <= len(words) and all(
                key in word_keys(word)
                for key, word in zip(name.keys[1:], words[start + 1 : end], strict=True)
            ):
                return name
    return None


def signature_lines(signature: str) -> list[str]:
    """The lines of a signature that may name an organisation: no addresses, links or phone
    numbers, and a postal address cut off where its postal code starts."""
    out = []
    for line in signature.splitlines():
        if _SKIPPED_LINE.search(line):
            continue
        out.append(_POSTAL_CODE.split(line, maxsplit=1)[0])
    return out


def _shown(found: Found, language: str, configured: Mapping[str, str]) -> str:
    """The name as the sender wrote it (in the language of the name that matched); for an
    abbreviation or alias, the configured name of its domain or the name in the submission's
    language."""
    if not found.language:
        for domain in found.organisation.domains:
            if domain.lower() in configured:
                return configured[domain.lower()]
    return found.organisation.name(found.language or language)


def _configured_domain(address: str, configured: Mapping[str, str]) -> str:
    labels = address.rsplit("@", 1)[-1].strip(" <>.").lower().split(".")
    for start in range(len(labels) - 1):
        name = configured.get(".".join(labels[start:]))
        if name:
            return name
    return ""


def find_organisation(
    *,
    signature: str,
    address: str,
    text: str,
    language: str,
    configured: Mapping[str, str],
) -> OrganisationResult | None:
    """The submitting organisation from the signature, the author's address or the answers."""
    configured = {domain.lower().strip("."): name for domain, name in configured.items()}
    index = index_for(tuple(sorted(configured.items())))
    for line in signature_lines(signature):
        hits = find_names(line, index, in_signature=True)
        if hits:
            kind = "config" if hits[0].organisation.kind == "configured" else "register"
            return OrganisationResult(_shown(hits[0], language, configured), f"{kind}:signature")
    by_config = _configured_domain(address, configured)
    if by_config:
        return OrganisationResult(by_config, "config:domain")
    owner = load_register().for_domain(address.rsplit("@", 1)[-1]) if "@" in address else None
    if owner is not None:
        return OrganisationResult(owner.name(language), "register:domain")
    heuristic = organisation_from_signature(signature)
    if heuristic:
        return OrganisationResult(heuristic, "signature")
    mentioned = find_names(text, index)
    if mentioned:
        counts = Counter(hit.organisation for hit in mentioned)
        top = max(counts.values())
        first = next(hit for hit in mentioned if counts[hit.organisation] == top)
        return OrganisationResult(_shown(first, language, configured), "register:text")
    return None
