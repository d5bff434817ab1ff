"""The register of Finnish public organisations, read once per process from the package's data.

`data/municipalities.csv` and `data/organisations.csv` (package data; their headers note
the source and date) hold every municipality, the wellbeing services counties, ministries,
agencies, regional councils, universities and the units of Parliament and the Government, with
Finnish, Swedish and English names, abbreviations, former names and mail domains. A municipality
row holds only its name parts; its official names ("Helsingin kaupunki", "Helsingfors stad",
"City of Helsinki") are made here, as Finnish and Swedish administrative usage makes them.
"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from dataclasses import dataclass, field
from functools import cache
from importlib import resources

_DATA = "ingest.understand.data"
_SWEDISH_GENITIVE_KEPT = ("s", "x", "z", "a", "e", "i", "o", "u", "y", "å", "ä", "ö")


@dataclass(frozen=True, slots=True, eq=False)
class Organisation:
    """One organisation: its names by language, other names, abbreviations and mail domains.

    `names` maps "fi", "sv" and "en" to the official name in that language (absent where there is
    none); `aliases` are other names it is called by (short names, former names).
    """

    kind: str
    names: dict[str, str]
    aliases: tuple[str, ...] = ()
    abbreviations: tuple[str, ...] = ()
    domains: tuple[str, ...] = ()

    def name(self, language: str) -> str:
        """The name in `language` ("fi", "sv" or "en"), as the practice will be published in the
        language it was written in; else the Finnish name, else whatever name there is."""
        preferred = (language, "fi", "sv", "en")
        return next(self.names[code] for code in preferred if self.names.get(code))


@dataclass(frozen=True)
class Register:
    """Every organisation, and which one each mail domain belongs to."""

    organisations: tuple[Organisation, ...]
    by_domain: dict[str, int] = field(default_factory=dict)

    def for_domain(self, domain: str) -> Organisation | None:
        """The organisation owning `domain` or its nearest parent domain ("x.vm.fi" -> vm.fi)."""
        labels = domain.lower().strip(" .<>").split(".")
        for start in range(len(labels) - 1):
            found = self.by_domain.get(".".join(labels[start:]))
            if found is not None:
                return self.organisations[found]
        return None


def _rows(filename: str) -> Iterator[dict[str, str]]:
    text = resources.files(_DATA).joinpath(filename).read_text(encoding="utf-8")
    lines = [line for line in text.splitlines() if line.strip() and not line.startswith("#")]
    for row in csv.DictReader(lines, delimiter=";"):
        yield {key: (value or "").strip() for key, value in row.items()}


def _fold(name: str) -> str:
    """An ASCII mail-domain label from a Finnish name: "Jyväskylä" -> "jyvaskyla"."""
    table = str.maketrans({"ä": "a", "ö": "o", "å": "a", "é": "e", " ": "-"})
    return name.lower().translate(table)


def swedish_official(name: str, town: bool) -> str:
    """The Swedish official name of a municipality: "Vasa stad", "Raseborgs stad",
    "Kyrkslätts kommun" (a genitive -s after a consonant other than s, x or z)."""
    genitive = name if name.lower().endswith(_SWEDISH_GENITIVE_KEPT) else f"{name}s"
    return f"{genitive} {'stad' if town else 'kommun'}"


def _municipality(row: dict[str, str]) -> Organisation:
    town = row["kind"] == "k"
    names = {
        "fi": f"{row['genitive']} {'kaupunki' if town else 'kunta'}",
        "en": f"{'City' if town else 'Municipality'} of {row['fi']}",
    }
    if row["sv"]:
        names["sv"] = swedish_official(row["sv"], town)
    domains = tuple(row["domains"].split()) or (f"{_fold(row['fi'])}.fi",)
    return Organisation(kind="municipality", names=names, domains=domains)


def _other(row: dict[str, str]) -> Organisation:
    def values(column: str) -> tuple[str, ...]:
        return tuple(v.strip() for v in row[column].split("|") if v.strip())

    names = {code: row[code] for code in ("fi", "sv", "en") if row[code]}
    return Organisation(
        kind=row["kind"],
        names=names,
        aliases=values("aliases"),
        abbreviations=values("abbreviations"),
        domains=values("domains"),
    )


@cache
def load_register() -> Register:
    """The register, read from the package data on first call and kept for the process.

    The daemon's worker processes import and call this before forking (`ingest.workers`), so
    they share one copy.
    """
    organisations = tuple(
        [_municipality(row) for row in _rows("municipalities.csv")]
        + [_other(row) for row in _rows("organisations.csv")]
    )
    by_domain: dict[str, int] = {}
    for index, organisation in enumerate(organisations):
        for domain in organisation.domains:
            by_domain.setdefault(domain.lower(), index)
    return Register(organisations, by_domain)
