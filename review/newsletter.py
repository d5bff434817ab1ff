"""The monthly newsletter draft: practices approved in one month, grouped by theme.

Editors paste the result into the programme's newsletter. Each practice gets a short lead from
"Mitä tehtiin ja miksi?" and a link placeholder `{{LINKKI:<id>-<slug>}}` that whoever publishes
the pages replaces with the page's address. Plain text and HTML carry the same content; every text
in the HTML is escaped, and no `{{` or `{%` from a submission survives in either, so a look-alike
placeholder or template tag in a practice's text is never filled in.
"""

from __future__ import annotations

import html
from dataclasses import dataclass
from pathlib import Path

from sqlalchemy.orm import Session

from core.catalogue import theme_name
from core.vocabulary import THEME_KEYS
from review.markdown_text import defuse_placeholders, html_text
from review.publishing import approved_practices, lead, link_placeholder
from review.queries import month_bounds
from store.files import publish_file
from store.models import PracticeDraft

MONTH_NAMES_FI = (
    "tammikuu",
    "helmikuu",
    "maaliskuu",
    "huhtikuu",
    "toukokuu",
    "kesäkuu",
    "heinäkuu",
    "elokuu",
    "syyskuu",
    "lokakuu",
    "marraskuu",
    "joulukuu",
)
NO_THEME = "Muut"


@dataclass(frozen=True)
class Newsletter:
    """One month's digest in both forms."""

    month: str
    count: int
    text: str
    html: str

    def write(self, out_dir: Path) -> list[Path]:
        """Write `uutiskirje-YYYY-MM.txt` and `.html` into `out_dir`, never through a symlink
        planted there (see `publish_file`); returns their paths."""
        paths = []
        for suffix, content in ((".txt", self.text), (".html", self.html)):
            name = f"uutiskirje-{self.month}{suffix}"
            publish_file(out_dir, name, content.encode("utf-8"))
            paths.append(out_dir / name)
        return paths


def _title(month: str) -> str:
    year, number = month.split("-")
    return f"Hyviä käytäntöjä – {MONTH_NAMES_FI[int(number) - 1]} {year}"


def group_by_theme(drafts: list[PracticeDraft]) -> list[tuple[str, list[PracticeDraft]]]:
    """(Finnish theme name, practices) in the themes' fixed order; empty themes left out."""
    groups: list[tuple[str, list[PracticeDraft]]] = []
    for key in (*THEME_KEYS, None):
        members = [
            d for d in drafts if d.theme == key or (key is None and d.theme not in THEME_KEYS)
        ]
        if members:
            name = theme_name(key) if key else NO_THEME
            groups.append((name[:1].upper() + name[1:], members))
    return groups


def _text(month: str, groups: list[tuple[str, list[PracticeDraft]]]) -> str:
    out = [_title(month), ""]
    if not groups:
        out.append("Tässä kuussa ei hyväksytty uusia käytäntöjä.")
    for name, members in groups:
        out += [name.upper(), ""]
        for draft in members:
            title = defuse_placeholders(draft.title)
            organisation = defuse_placeholders(draft.organisation)
            out.append(f"{title} ({organisation})" if organisation else title)
            out.append(defuse_placeholders(lead(draft.what_and_why)))
            out += [f"Lue lisää: {link_placeholder(draft)}", ""]
    return "\n".join(out).rstrip() + "\n"


def _html(month: str, groups: list[tuple[str, list[PracticeDraft]]]) -> str:
    esc = html.escape
    out = [
        '<!DOCTYPE html>\n<html lang="fi">\n<head>\n<meta charset="utf-8">',
        f"<title>{esc(_title(month))}</title>\n</head>\n<body>",
        '<section class="hyvat-kaytannot">',
        f"<h1>{esc(_title(month))}</h1>",
    ]
    if not groups:
        out.append("<p>Tässä kuussa ei hyväksytty uusia käytäntöjä.</p>")
    for name, members in groups:
        out.append(f"<h2>{esc(name)}</h2>")
        for draft in members:
            link = esc(link_placeholder(draft))
            out.append(f'<h3><a href="{link}">{html_text(draft.title)}</a></h3>')
            if draft.organisation:
                out.append(f'<p class="organisaatio">{html_text(draft.organisation)}</p>')
            out.append(f"<p>{html_text(lead(draft.what_and_why))}</p>")
            out.append(f'<p><a href="{link}">Lue lisää</a></p>')
    out.append("</section>\n</body>\n</html>\n")
    return "\n".join(out)


def build_newsletter(session: Session, month: str) -> Newsletter:
    """The digest of practices approved in `month` ("YYYY-MM", Finnish time)."""
    start, end = month_bounds(month)
    drafts = approved_practices(session, approved_from=start, approved_before=end)
    drafts.sort(key=lambda d: (d.approved_at, d.id))
    month = f"{start.year:04d}-{start.month:02d}"
    groups = group_by_theme(drafts)
    return Newsletter(
        month=month, count=len(drafts), text=_text(month, groups), html=_html(month, groups)
    )
