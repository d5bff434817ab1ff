"""Reads the text of Word (.docx) and OpenDocument (.odt) files by streaming their XML.

A zip within the size and ratio limits may still hold millions of empty elements (95 MiB of
`<text:p/>` is 1.8 MB as mail), and a parser that builds the whole tree first (python-docx,
odfpy) spends minutes and gigabytes on it. Here lxml's iterparse reads straight from the zip
member; each block (a paragraph, a table) is turned into lines when it ends and then dropped, and
every element, character of text and second counts against an `XmlBudget`. A document over
budget raises `OverBudget` as soon as it goes over, so a bomb costs a fraction of a second.
Entities are never resolved, and no DTD or network is touched.

What is read is what the understanding layer needs, as python-docx and odfpy showed it before:
- docx: the body's paragraphs and tables in order; a paragraph's text is its runs and
  hyperlinks (tabs, breaks and no-break hyphens as characters); headings and titles are set
  apart by blank lines, "List ..." styles become "- item"; a table gives each cell once (a
  vertically merged cell at its first row), then a blank line;
- odt: every paragraph and heading of the text body (a heading set apart by blank lines), with
  its spaces, tabs and line breaks, paragraphs inside list items as "- item".
"""

from __future__ import annotations

import time
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

from lxml import etree

from core.vocabulary import DocumentProblem

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
TEXT = "{urn:oasis:names:tc:opendocument:xmlns:text:1.0}"
OFFICE = "{urn:oasis:names:tc:opendocument:xmlns:office:1.0}"
# How python-docx shows the built-in styles that styles.xml names in lower case.
_UI_STYLE_NAMES = {f"heading {n}": f"Heading {n}" for n in range(1, 10)}
_CLOCK_EVERY = 1024


class OverBudget(Exception):
    """Raised when a document needs more elements, text or time than its budget allows."""

    def __init__(self, problem: DocumentProblem, detail: str) -> None:
        super().__init__(detail)
        self.problem = problem


@dataclass
class XmlBudget:
    """What reading one document may cost: elements, characters of text, wall-clock seconds."""

    max_elements: int
    max_text_chars: int
    seconds: float
    elements: int = 0
    text_chars: int = 0
    deadline: float = field(init=False)

    def __post_init__(self) -> None:
        self.deadline = time.monotonic() + self.seconds

    def element(self) -> None:
        self.elements += 1
        if self.elements > self.max_elements:
            raise OverBudget(
                DocumentProblem.TOO_MANY_ELEMENTS, f"over {self.max_elements} XML elements"
            )
        if self.elements % _CLOCK_EVERY == 0 and time.monotonic() > self.deadline:
            raise OverBudget(DocumentProblem.TOO_SLOW, f"reading took over {self.seconds:g} s")

    def text(self, characters: int) -> None:
        self.text_chars += characters
        if self.text_chars > self.max_text_chars:
            raise OverBudget(
                DocumentProblem.TOO_MUCH_TEXT, f"over {self.max_text_chars} characters of text"
            )


def _ended(archive: zipfile.ZipFile, member: str, budget: XmlBudget) -> Iterator[Any]:
    """Every element of `member` as it ends (children before parents), within budget.

    An element's tail is complete by the next element's end, so it is counted then.
    """
    previous: Any = None
    with archive.open(member) as stream:
        parser = etree.iterparse(
            stream,
            events=("end",),
            resolve_entities=False,
            no_network=True,
            load_dtd=False,
            huge_tree=False,
            remove_comments=True,
            remove_pis=True,
        )
        for _event, element in parser:
            budget.element()
            tail = 0 if previous is None else len(previous.tail or "")
            budget.text(len(element.text or "") + tail)
            previous = element
            yield element


def _release(element: Any) -> None:
    """Drop a block that has been read, and the blocks before it, from the growing tree."""
    element.clear()
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]


# -- docx ---------------------------------------------------------------------------------------


def _docx_styles(archive: zipfile.ZipFile, budget: XmlBudget) -> tuple[dict[str, str], str]:
    """Paragraph style names by id, and the default paragraph style's name."""
    names: dict[str, str] = {}
    default = ""
    if "word/styles.xml" not in archive.namelist():
        return names, "Normal"
    for element in _ended(archive, "word/styles.xml", budget):
        if element.tag != W + "style":
            continue
        if element.get(W + "type") == "paragraph":
            name_element = element.find(W + "name")
            name = "" if name_element is None else name_element.get(W + "val", "")
            names[element.get(W + "styleId", "")] = name
            if element.get(W + "default") in ("1", "true", "on"):
                default = name
        _release(element)
    return names, default


def _run_text(run: Any) -> str:
    parts: list[str] = []
    for child in run:
        tag = child.tag
        if tag == W + "t":
            parts.append(child.text or "")
        elif tag in (W + "tab", W + "ptab"):
            parts.append("\t")
        elif tag == W + "br":
            parts.append("\n" if child.get(W + "type", "textWrapping") == "textWrapping" else "")
        elif tag == W + "cr":
            parts.append("\n")
        elif tag == W + "noBreakHyphen":
            parts.append("-")
    return "".join(parts)


def _paragraph_text(paragraph: Any) -> str:
    parts: list[str] = []
    for child in paragraph:
        if child.tag == W + "r":
            parts.append(_run_text(child))
        elif child.tag == W + "hyperlink":
            parts.extend(_run_text(run) for run in child if run.tag == W + "r")
    return "".join(parts)


def _style_name(paragraph: Any, styles: dict[str, str], default: str) -> str:
    style = paragraph.find(f"{W}pPr/{W}pStyle")
    name = styles.get(style.get(W + "val", ""), default) if style is not None else default
    return _UI_STYLE_NAMES.get(name, name)


def _table_lines(table: Any) -> Iterator[str]:
    for row in table.iterchildren(W + "tr"):
        for cell in row.iterchildren(W + "tc"):
            merge = cell.find(f"{W}tcPr/{W}vMerge")
            if merge is not None and merge.get(W + "val", "continue") == "continue":
                continue  # the rest of a vertically merged cell, already read in its first row
            yield "\n".join(_paragraph_text(p) for p in cell.iterchildren(W + "p")).strip()
    yield ""


def docx_lines(archive: zipfile.ZipFile, budget: XmlBudget) -> Iterator[str]:
    """The lines of a .docx, in reading order."""
    styles, default = _docx_styles(archive, budget)
    for element in _ended(archive, "word/document.xml", budget):
        if element.tag not in (W + "p", W + "tbl"):
            continue
        parent = element.getparent()
        if parent is None or parent.tag != W + "body":
            continue
        if element.tag == W + "tbl":
            yield from _table_lines(element)
        else:
            style = _style_name(element, styles, default)
            text = _paragraph_text(element).strip()
            if style.startswith(("Heading", "Title")):
                yield from ("", text, "")
            elif style.startswith("List") and text:
                yield f"- {text}"
            else:
                yield text
        _release(element)


# -- odt ----------------------------------------------------------------------------------------


def _odt_text(element: Any, budget: XmlBudget) -> str:
    """An ODF element's text with <text:s>, <text:tab> and <text:line-break> unwrapped."""
    parts = [element.text or ""]
    for child in element:
        tag = child.tag
        if tag == TEXT + "line-break":
            parts.append("\n")
        elif tag == TEXT + "tab":
            parts.append("\t")
        elif tag == TEXT + "s":
            count = child.get(TEXT + "c", "1")
            spaces = int(count) if count.isdigit() else 1
            budget.text(spaces)
            parts.append(" " * spaces)
        elif isinstance(tag, str):
            parts.append(_odt_text(child, budget))
        parts.append(child.tail or "")
    return "".join(parts)


def odt_lines(archive: zipfile.ZipFile, budget: XmlBudget) -> Iterator[str]:
    """The lines of an .odt's text body, in reading order."""
    paragraph_tags = (TEXT + "p", TEXT + "h")
    for element in _ended(archive, "content.xml", budget):
        if element.tag not in paragraph_tags:
            continue
        ancestors = [ancestor.tag for ancestor in element.iterancestors()]
        if OFFICE + "text" not in ancestors or any(t in paragraph_tags for t in ancestors):
            continue  # outside the text body, or read as part of the paragraph around it
        text = _odt_text(element, budget).strip()
        if element.tag == TEXT + "h":
            yield from ("", text, "")
        else:
            yield f"- {text}" if TEXT + "list-item" in ancestors and text else text
        _release(element)
