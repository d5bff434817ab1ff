"""Understanding, step by step: from a parsed message to the fields of a draft.

The steps read top to bottom: body text → attached documents → forwarded block → reply and
signature split → choose the source of the answers → sections → theme → people and organisation
→ title → language. Each step is a pure function in its own module; this one only wires them and
records where every field came from, so an editor can see why a field holds what it holds.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence

from core.config import LimitSettings
from core.vocabulary import SECTION_KEYS, NoteCode
from ingest.addresses import read_address
from ingest.body import body_text
from ingest.documents import DocumentText, extract_documents
from ingest.message import ParsedMessage
from ingest.notes import Note
from ingest.understand.forwards import ForwardInfo, find_forward
from ingest.understand.meta import (
    clean_title,
    contact_from_signature,
    detect_language,
    is_call_reply,
    title_from_text,
)
from ingest.understand.organisations import find_organisation
from ingest.understand.replies import split_reply
from ingest.understand.result import Sections, Understanding
from ingest.understand.sections import split_sections
from ingest.understand.theme import SUBJECT_WEIGHT, detect_theme, voting_text

# A body this short that points at an attachment leaves the answers to the document.
SEE_ATTACHMENT = re.compile(
    r"\b(ohessa|oheinen|oheisessa|liitteen\w*|liitteess\w*|bifoga\w*|i bilagan|bilaga\w*|"
    r"attached|attachment|enclosed|please find)\b",
    re.IGNORECASE,
)
SHORT_BODY_CHARS = 600


def _choose_document(
    answer: str, body_sections: Sections, documents: list[DocumentText]
) -> tuple[DocumentText, Sections] | None:
    """The document that should be the source of the answers, if any."""
    usable = [d for d in documents if d.text.strip() and not d.error]
    if not usable:
        return None
    best = max(((d, split_sections(d.text)) for d in usable), key=lambda p: p[1].headings_found)
    document, sections = best
    points_at_attachment = len(answer) < SHORT_BODY_CHARS and bool(SEE_ATTACHMENT.search(answer))
    if sections.headings_found > body_sections.headings_found:
        return best
    if points_at_attachment or not answer.strip():
        return document, sections
    return None


def understand(
    message: ParsedMessage,
    *,
    organisations: Mapping[str, str],
    limits: LimitSettings,
    own_addresses: Sequence[str] = (),
    subject_weight: float = SUBJECT_WEIGHT,
) -> Understanding:
    """Derive a draft's fields from one parsed message; never raises on odd content.

    `own_addresses` are our mailbox's addresses: a quoted block from them is our call, so the
    message replying to it is read as a reply, never as a forward of our own mail.
    `subject_weight` is the theme model's one tuned parameter (scripts/accuracy cross-validates it).
    """
    body = body_text(message)
    sources: dict[str, str] = {}
    body_source = "html" if body.html_used else "body"

    forward: ForwardInfo | None = find_forward(
        message.subject, body.text, own_addresses=own_addresses
    )
    text = forward.original_text if forward else body.text
    reply = split_reply(text)

    sections = split_sections(reply.answer)
    source_document = ""
    documents = extract_documents(message.attachments, limits)
    chosen = _choose_document(reply.answer, sections, documents)
    answer_text = reply.answer
    if chosen is not None:
        document, sections = chosen
        source_document = document.name
        body_source = f"document:{document.name}"
        answer_text = document.text
        if reply.answer.strip():
            sections = Sections(
                what_and_why=sections.what_and_why,
                achieved=sections.achieved,
                next_steps=sections.next_steps,
                more_info=sections.more_info,
                unmatched="\n\n".join(p for p in (reply.answer.strip(), sections.unmatched) if p),
                headings_found=sections.headings_found,
                preamble=sections.preamble,
            )
    for key in SECTION_KEYS:
        if sections.get(key):
            sources[key] = body_source

    language = detect_language(answer_text)
    subject = forward.original_subject if forward and forward.original_subject else message.subject
    voting = voting_text([sections.what_and_why, sections.achieved, sections.next_steps])
    theme = detect_theme(answer_text, subject=subject, voting=voting, weight=subject_weight)
    if theme.theme:
        sources["theme"] = "explicit" if not theme.suggested else "keywords"

    if forward:
        author = read_address(f"{forward.original_from_name} <{forward.original_from_address}>")
        forwarded_by = f"{message.from_name} <{message.from_address}>".strip()
        sources["contact"] = "forwarded_header"
    else:
        author = read_address(f"{message.from_name} <{message.from_address}>")
        forwarded_by = ""
        sources["contact"] = "sender"
    author_name, author_address = author.name, author.address
    signature_name, signature_email = contact_from_signature(reply.signature)
    if not author_name and signature_name:
        author_name = signature_name
        sources["contact"] = "signature"
    author_address = author_address or read_address(signature_email).address

    found = find_organisation(
        signature=reply.signature,
        address=author_address,
        text="\n".join(sections.get(key) for key in SECTION_KEYS),
        language=language,
        configured=organisations,
    )
    organisation = found.name if found else ""
    if found:
        sources["organisation"] = found.source

    # A subject that only echoes our call ("VS: Kerro hyvä käytäntösi") is no title: the text
    # above the answers or the first answer may hold one, else the editor writes it.
    title = "" if is_call_reply(subject) else clean_title(subject)
    if title:
        sources["title"] = "subject"
    else:
        title = title_from_text("\n".join((sections.preamble, sections.what_and_why)))
        if title:
            sources["title"] = body_source

    return Understanding(
        title=title,
        organisation=organisation,
        contact_name=author_name,
        contact_email=author_address,
        theme=theme.theme,
        theme_suggested=theme.suggested,
        theme_reason=theme.reason,
        sections=sections,
        language=language,
        quoted_text=reply.quoted,
        signature="\n".join(p for p in (reply.closing, reply.signature) if p),
        forwarded_by=forwarded_by,
        source_document=source_document,
        skipped_documents=tuple((d.name, d.problem) for d in documents if d.problem),
        body_text=body.text,
        field_sources=sources,
        notes=(Note(NoteCode.FORWARDER_NOTE, {"text": forward.forwarder_note}),)
        if forward and forward.forwarder_note
        else (),
    )
