"""Chooses the body text of a message: the plain part, or the HTML part rendered as text.

Senders' clients write both alternatives, and the plain one is often the worse: Outlook drops
list bullets, some clients send an empty plain part or a one-line "view in browser" stub. So the
HTML is rendered (inscriptis, with headings, list items, paragraph breaks and link targets kept)
and preferred when the plain part is missing, much shorter, or lost headings and lists the HTML
has. The HTML is capped before rendering so a hostile part costs bounded time.
"""

from __future__ import annotations

import contextlib
import re
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any, Literal

from inscriptis.css_profiles import CSS_PROFILES
from inscriptis.html_engine import Inscriptis
from inscriptis.html_properties import Display
from inscriptis.model.config import ParserConfig
from inscriptis.model.html_element import HtmlElement
from inscriptis.model.tag import CustomHtmlTagHandlerMapping
from lxml import etree
from lxml import html as lxml_html

from ingest.message import ParsedMessage

# inscriptis renders about 1 MB of HTML a second; beyond this a message is hostile, not long.
MAX_HTML_CHARS = 2_000_000
# The plain part is a poor rendering when it has less than this share of the HTML's text.
POOR_PLAIN_RATIO = 0.6
MAX_HEADING_CHARS = 120
_LINK_SCHEMES = ("http://", "https://", "mailto:", "ftp://")
_DROPPED_TAGS = ("script", "style", "head", "title", "noscript", "template", "object", "iframe")
_INVISIBLE = dict.fromkeys(map(ord, "\u200b\u200c\u200d\u2060\ufeff\xad"))
_SPACES = dict.fromkeys(map(ord, "\xa0\u2007\u202f"), " ")
# Outlook writes list items as paragraphs that start with a Symbol-font bullet and padding.
_OUTLOOK_BULLET = re.compile(r"^[\s\xa0]*[·•▪◦‣∙o§\uf0b7\uf0a7Ø][\s\xa0]+")
_BULLET_LINE = re.compile(r"^\s*(?:[-*•·o§]\s|\d{1,2}[.)]\s)", re.MULTILINE)
# Characters lxml cannot hold in a tree: C0 controls other than whitespace, and lone surrogates.
_UNSAFE_CHARS = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff]")
_SELF_LINK = re.compile(r"(\S+) \((?:mailto:)?\1\)")


@dataclass(frozen=True)
class BodyText:
    """The text the understanding layer reads, and where it came from."""

    text: str
    source: Literal["plain", "html", ""]
    html_used: bool
    truncated: bool = False


def normalise(text: str) -> str:
    """Unify line ends and spaces so later steps can match headings line by line."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    text = text.translate(_SPACES).translate(_INVISIBLE).replace("\x00", "")
    text = "\n".join(line.rstrip() for line in text.split("\n"))
    text = re.sub(r"\n{4,}", "\n\n\n", text)
    return text.strip("\n")


def _link_start(state: Any, attrs: dict[str, str]) -> None:
    href = (attrs.get("href") or "").strip()
    state.link_target = href if href.lower().startswith(_LINK_SCHEMES) else ""


def _link_end(state: Any) -> None:
    target = str(getattr(state, "link_target", ""))
    if target.lower().startswith("mailto:"):
        target = target[len("mailto:") :].split("?", 1)[0]
    if target:
        state.tags[-1].write(f" ({target})")
    state.link_target = ""


def _plain_bullets(state: Any, _attrs: dict[str, str]) -> None:
    state.li_counter.append("- ")


def _css() -> dict[str, Any]:
    # The "strict" profile: the "relaxed" one pads spans with spaces ("P<b>ä</b>ätös" breaks).
    css = dict(CSS_PROFILES["strict"])
    for tag in ("ul", "ol"):
        css[tag] = HtmlElement(display=Display.block, padding_inline=2)
    return css


_CONFIG = ParserConfig(
    css=_css(),
    custom_html_tag_handler_mapping=CustomHtmlTagHandlerMapping(
        start_tag_mapping={"a": _link_start, "ul": _plain_bullets},
        end_tag_mapping={"a": _link_end},
    ),
)


def _text_slots(paragraph: Any) -> Iterator[tuple[Any, str]]:
    """(node, "text" | "tail") in reading order; comments carry text only in their tail."""
    yield paragraph, "text"
    for node in paragraph.iterdescendants():
        if isinstance(node.tag, str):
            yield node, "text"
        yield node, "tail"


def _outlook_list_items(tree: Any) -> None:
    """Turn Outlook's bullet-glyph paragraphs (class MsoListParagraph...) into "- " items."""
    for paragraph in tree.iter("p"):
        marks = f"{paragraph.get('class', '')} {paragraph.get('style', '')}"
        if "MsoList" not in marks and "mso-list" not in marks:
            continue
        for node, attr in _text_slots(paragraph):
            value = getattr(node, attr)
            if not value or not value.strip(" \xa0\t\r\n"):
                continue
            # The glyph and its padding often sit in separate spans: "·" then "&nbsp;&nbsp;".
            match = _OUTLOOK_BULLET.match(value + " ")
            if match:
                with contextlib.suppress(ValueError):  # text with a control character
                    setattr(node, attr, value[min(match.end(), len(value)) :])
                    paragraph.text = "- " + (paragraph.text or "")
            break


def _tree(html: str) -> Any | None:
    html = _UNSAFE_CHARS.sub("", html[:MAX_HTML_CHARS])
    html = re.sub(r"^\s*<\?xml[^>]*\?>", "", html)
    if not html.strip():
        return None
    try:
        tree = lxml_html.document_fromstring(html)
    except (etree.ParserError, ValueError):
        return None
    for element in list(tree.iter(*_DROPPED_TAGS)):
        # clear() rather than drop_tree(): merging tails re-sets text, which lxml refuses when a
        # character reference decoded to a control character.
        element.clear(keep_tail=True)
    _outlook_list_items(tree)
    return tree


def _render(tree: Any) -> str:
    try:
        text = str(Inscriptis(tree, _CONFIG).get_text())
    except (RecursionError, ValueError):
        text = str(tree.text_content())
    return _SELF_LINK.sub(r"\1", normalise(text))


def html_to_text(html: str) -> str:
    """Render HTML as readable text: headings and paragraphs on their own lines, "- " and
    "1. " list items, links as "text (url)"; scripts, styles and the head are dropped.

    >>> html_to_text('<h2>Lisätietoa</h2><ul><li><a href="https://vm.fi">VM</a></li></ul>')
    'Lisätietoa\\n\\n- VM (https://vm.fi)'
    """
    tree = _tree(html)
    return "" if tree is None else _render(tree)


def _headings(tree: Any) -> list[str]:
    """Texts of h1-h6 elements and of paragraphs that are all bold (Outlook's headings)."""
    found: list[str] = []
    for element in tree.iter("h1", "h2", "h3", "h4", "h5", "h6", "p"):
        text = " ".join(str(element.text_content()).split())
        if not text or len(text) > MAX_HEADING_CHARS:
            continue
        if element.tag == "p":
            bold = "".join(str(b.text_content()) for b in element.iter("b", "strong"))
            if " ".join(bold.split()) != text:
                continue
        found.append(text)
    return found


def _plain_lacks_structure(plain: str, tree: Any) -> bool:
    """True when headings or list items of the HTML do not survive as lines of the plain part."""
    lines = {" ".join(line.strip(" *_:\t").split()).lower() for line in plain.split("\n")}
    headings = [h.strip(" *_:").lower() for h in _headings(tree)]
    if len(headings) >= 2 and sum(h in lines for h in headings) < len(headings) / 2:
        return True
    list_items = sum(1 for _ in tree.iter("li"))
    return list_items >= 2 and len(_BULLET_LINE.findall(plain)) < list_items / 2


def body_text(message: ParsedMessage) -> BodyText:
    """Pick the body: plain when it is good, else the HTML rendered as text."""
    plain = normalise(message.text_plain)
    truncated = len(message.text_html) > MAX_HTML_CHARS
    tree = _tree(message.text_html)
    if tree is None:
        return BodyText(plain, "plain" if plain.strip() else "", False)
    rendered = _render(tree)
    if not rendered.strip():
        return BodyText(plain, "plain" if plain.strip() else "", False)
    poor = len(plain.strip()) < POOR_PLAIN_RATIO * len(rendered.strip())
    if not plain.strip() or poor or _plain_lacks_structure(plain, tree):
        return BodyText(rendered, "html", True, truncated)
    return BodyText(plain, "plain", False)
