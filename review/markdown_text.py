"""Submitted text as Markdown that shows exactly that text: no link, image, heading, list, HTML,
shortcode or placeholder can come from what a sender wrote.

Written for CommonMark renderers and their usual extensions (GFM tables, strikethrough and
autolinks; Hugo's Goldmark, its shortcodes `{{< >}}` `{{% %}}` and attribute lists; Liquid-like
`{% %}` tags) and for tools that substitute `{{...}}` placeholders in the file:
- `<`, `>` and `&` become HTML entities, so no tag, autolink or entity is written;
- every other ASCII punctuation with a meaning anywhere (`\\` `` ` `` `*` `_` `[` `]` `{` `}`
  `|` `~` `^` `$` `%`) is backslash-escaped, which CommonMark guarantees shows it as itself,
  and which also keeps `{{` and `{%` from ever standing side by side in the file;
- a line's leading spaces are dropped and its first character is escaped when it could open a
  block (`#` heading, `-` `+` `=` list or underline, `1.` or `1)` numbered list);
- a URL or e-mail address has all its punctuation escaped, and so has a dot inside a word
  (`www.vm.fi`, `vm.fi`), so that a renderer's own linkify (GFM's, on by default in Hugo, and
  the fuzzier linkify-it) finds nothing to turn into a link.

For the newsletter's plain text and HTML, `defuse_placeholders` and `html_text` do the same
for `{{`, `}}`, `{%` and `%}`, which is all that a template or placeholder step could act on there.

Links are made on purpose only where an editor approved them (`links=True`, used for the
"Lisätietoa" section of an approved practice): a URL whose scheme is in ALLOWED_SCHEMES, or an
e-mail address, becomes an autolink that shows its own address, so a reader sees where it leads;
`javascript:`, `data:` and every other scheme stay text. The site's pages and the newsletter
make the same links from the same `spans` (`html_line`), escaped for HTML.
"""

from __future__ import annotations

import html
import re
import string
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import quote

ALLOWED_SCHEMES = ("https", "http", "mailto")

_ENTITIES = {"<": "&lt;", ">": "&gt;", "&": "&amp;"}
_ESCAPED = frozenset("\\`*_[]{}|~^$%")
_PUNCTUATION = frozenset(string.punctuation)
# A dot inside a word ("www.vm.fi", "vm.fi"): what a renderer's linkify takes for a domain.
_INNER_DOT = re.compile(r"(?<=\w)\.(?=\w)")
_BLOCK_START = re.compile(r"[#+=-]|\d{1,9}[.)]")
# Characters a URL in running text may hold; a link ends at the first other one.
_URL = re.compile(
    r"(?<![\w@.])(?:(?P<scheme>[A-Za-z][A-Za-z0-9+.-]*):[^\s<>\"\x00-\x1f\x7f]+"
    r"|(?P<email>[A-Za-z0-9._%+-]+@[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?"
    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]*[A-Za-z0-9])?)+))"
)
_TRAILING = ".,;:!?'\")]}"
# Characters percent-encoded inside a link: shortcode and placeholder braces, table pipes.
_URL_SAFE = "/:?#[]@!$&'()*+,;=%~-._"


def escape_text(text: str) -> str:
    """`text` (one line) as Markdown inline content that renders to exactly these characters."""
    escaped = "".join(
        _ENTITIES.get(char) or (f"\\{char}" if char in _ESCAPED else char) for char in text
    )
    return _INNER_DOT.sub(r"\\.", escaped)


def _inert(text: str) -> str:
    """A URL or address shown as text: every punctuation mark escaped, so no renderer's
    linkify (GFM's, Goldmark's) can find the `://`, `www.` or `@` it looks for."""
    return "".join(
        _ENTITIES.get(char) or (f"\\{char}" if char in _PUNCTUATION else char) for char in text
    )


def _escape_line_start(line: str) -> str:
    """Escape the character that would open a block (heading, list, underline) at line start."""
    match = _BLOCK_START.match(line)
    if match is None:
        return line
    end = match.end()
    return line[: end - 1] + "\\" + line[end - 1 :]


def _trim_url(url: str) -> str:
    """A URL without the punctuation that ends the sentence around it."""
    while url and url[-1] in _TRAILING:
        if url[-1] == ")" and url.count("(") >= url.count(")"):
            break
        url = url[:-1]
    return url


def allowed_href(url: str) -> str | None:
    """`url` percent-encoded for a link when its scheme is allowed, else None (shown as text)."""
    scheme, colon, rest = url.partition(":")
    if not colon or scheme.lower() not in ALLOWED_SCHEMES:
        return None
    if scheme.lower() != "mailto" and not rest.startswith("//"):
        return None
    if len(rest.strip("/")) == 0:
        return None
    return quote(url, safe=_URL_SAFE)


def autolink(url: str) -> str | None:
    """An autolink to `url` when its scheme is allowed, or None: the caller shows it as text."""
    href = allowed_href(url)
    return f"<{href}>" if href is not None else None


@dataclass(frozen=True, slots=True)
class Span:
    """A piece of a line: plain text, or a URL or e-mail address (`address`) with the link it
    may become (`href`, None when its scheme is not allowed)."""

    text: str
    address: bool = False
    href: str | None = None


def spans(line: str) -> list[Span]:
    """`line` cut into plain text and the URLs and addresses in it."""
    parts: list[Span] = []
    position = 0
    for match in _URL.finditer(line):
        email = match.group("email")
        found = email or _trim_url(match.group(0))
        href = allowed_href(f"mailto:{found}" if email else found)
        parts += [Span(line[position : match.start()]), Span(found, True, href)]
        position = match.start() + len(found)
    parts.append(Span(line[position:]))
    return [part for part in parts if part.text]


def _render(line: str, links: bool) -> str:
    """Escape `line`; URLs and addresses are made inert, or (`links`) autolinks if allowed."""
    parts: list[str] = []
    for span in spans(line):
        if not span.address:
            parts.append(escape_text(span.text))
        elif links and span.href is not None:
            target = span.href if not span.href.startswith("mailto:") else span.text
            parts.append(f"<{quote(target, safe=_URL_SAFE)}>")
        else:
            parts.append(_inert(span.text))
    return "".join(parts)


def markdown_line(line: str, *, links: bool = False) -> str:
    """One line of submitted text as Markdown; `links` makes allowed URLs clickable."""
    return _escape_line_start(_render(line.strip(), links))


def markdown_paragraph(lines: Iterable[str], *, links: bool = False) -> str:
    """Lines of one paragraph, kept as separate lines with hard line breaks between them."""
    return "  \n".join(markdown_line(line, links=links) for line in lines)


def html_text(text: str) -> str:
    """Submitted text for an HTML page or mail: escaped, with braces as character references,
    so the file never holds a `{{` or `{%` that a template or placeholder step would act on."""
    return html.escape(text).replace("{", "&#123;").replace("}", "&#125;")


def html_line(line: str, *, links: bool = False) -> str:
    """One line of submitted text as HTML (see `html_text`); with `links`, URLs and addresses
    of an allowed scheme become links that show their own address."""
    parts = []
    for span in spans(line):
        if links and span.href is not None:
            parts.append(f'<a href="{html_text(span.href)}">{html_text(span.text)}</a>')
        else:
            parts.append(html_text(span.text))
    return "".join(parts)


def defuse_placeholders(text: str) -> str:
    """Plain text in which no `{{`, `}}`, `{%` or `%}` remains for a template or a placeholder
    substitution to act on: a space is put between the two characters."""
    for pair in ("{{", "}}", "{%", "%}"):
        while pair in text:
            text = text.replace(pair, f"{pair[0]} {pair[1]}")
    return text
