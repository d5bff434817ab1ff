"""flags as codes with parameters; flag dismissal; photo alt text; draft notes

Revision ID: 0002
Revises: 0001
Create Date: 2026-12-02 10:00:00

Until 0001 a rule wrote its flag as a Finnish sentence (`message`) and a `detail` string, so a
flag could be read only in Finnish. From 0002 a flag stores its code and parameters (`params`),
and `core.catalogue` words it in the reader's language. This revision parses the old texts
back into parameters: the exact sentences and detail formats the 0001-era rules wrote are
frozen below (the rules have changed since; this file must not follow them), and `downgrade`
writes them again from the parameters.

It also adds who/when/why of a flag's dismissal, `photo.alt_text` and `practice_draft.notes`.

SQLite: only `draft_flag` is rebuilt (batch mode); `practice_draft` is the parent of flags,
photos and events, and rebuilding it would drop and re-create the table, which ON DELETE CASCADE
answers by deleting every flag and photo. Its new column is added in place instead (ALTER TABLE
ADD COLUMN), with a server default that stays: SQLite cannot drop one without a rebuild.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

_FLAGS = sa.table(
    "draft_flag",
    sa.column("id", sa.Integer),
    sa.column("code", sa.String),
    sa.column("message", sa.Text),
    sa.column("detail", sa.Text),
    sa.column("params", sa.JSON),
)

# --- How the 0001-era rules wrote their flags --------------------------------------------------
_QUESTIONS = {
    "missing_what_and_why": "Mitä tehtiin ja miksi?",
    "missing_achieved": "Mitä saatiin aikaiseksi?",
    "missing_next_steps": "Mitä jatkossa?",
    "missing_more_info": "Lisätietoa",
}
_OLD_MESSAGES = {
    **{code: f"Vastaus kysymykseen '{q}' puuttuu." for code, q in _QUESTIONS.items()},
    "no_headings": "Tekstistä ei löytynyt väliotsikoita – koko teksti on kohdassa "
    "'Mitä tehtiin ja miksi?'. Jaa se osiin.",
    "theme_suggested": "Teema on ehdotettu automaattisesti – tarkista se.",
    "theme_missing": "Teema puuttuu – valitse teema.",
    "no_photo": "Viestissä ei ollut käyttökelpoista valokuvaa.",
    "photo_too_small": "Pääkuva on pienempi kuin verkkosivun kuvakoko ({longer_side} px, "
    "tavoite {target} px) – pyydä isompi kuva.",
    "only_signature_images": "Viestin kuvat olivat vain logoja tai allekirjoituskuvia – "
    "tarkista ne ja pyydä tarvittaessa valokuva.",
    "photo_rejected": "Viestin kuvista {count} hylättiin – syy on alla.",
    "location_removed": "Kuvassa oli kuvauspaikan sijaintitieto, joka poistettiin "
    "julkaistavasta kuvasta.",
    "sender_not_public_sector": "Lähettäjä ei ole julkishallinnon osoitteesta.",
    "possible_duplicate": "Sama käytäntö on ehkä lähetetty jo aiemmin – vertaa aiempaan "
    "luonnokseen.",
    "parse_defects": "Viestin rakenteessa oli virheitä – vertaa luonnosta alkuperäiseen viestiin.",
    "fallback_parser": "Viesti luettiin varajäsentimellä – tarkista, ettei sisältöä puutu.",
    "forwarded": "Viesti on välitetty eteenpäin – tarkista alkuperäinen lähettäjä ja yhteystiedot.",
    "text_too_short": "Teksti on hyvin lyhyt – tarkista, puuttuuko jotain (esim. liite).",
    "text_too_long": "Teksti on hyvin pitkä – lyhennä se tai poista ylimääräinen lainattu teksti.",
    "from_document": "Teksti on poimittu liitetiedostosta – vertaa sitä alkuperäiseen liitteeseen.",
    "spam_verdict": "Roskapostisuodatin on merkinnyt viestin roskapostiksi – tarkista se huolella.",
    "dmarc_fail": "Lähettäjän osoitetta ei voitu varmentaa (DMARC) – viesti voi olla väärennetty.",
    "unknown_organisation": "Lähettäjän organisaatiota ei löytynyt organisaatiorekisteristä – "
    "tarkista se.",
}
# Flags whose whole detail was one value, and the parameter it becomes.
_ONE_VALUE = {
    "spam_verdict": "status",
    "dmarc_fail": "header",
    "sender_not_public_sector": "address",
    "fallback_parser": "parser",
    "forwarded": "forwarded_by",
    "from_document": "document",
    "unknown_organisation": "found",
}
_DUPLICATE_REASONS = {
    "sama Message-ID": "message_id",
    "täsmälleen sama viesti": "raw_sha256",
    "lähes sama teksti": "similar_text",
}
_DUPLICATE = re.compile(r"luonnos #(\d+) \((.*?)\)(?=, luonnos #|$)")
_ATTACHMENT = re.compile(r"^liite (\d+)$")
_SIZES = re.compile(r"\((\d+) px, tavoite (\d+) px\)")
_REJECTED_COUNT = re.compile(r"kuvista (\d+) hylättiin")
_MORE_DEFECTS = re.compile(r"^… \((\d+) kpl\)$")
_LENGTH = re.compile(r"^(\d+) merkkiä$")
# Defect texts of the 0001-era parser that themselves hold "; ".
_DEFECT_TAILS = ("truncated", "its body read as text")


def _image(text: str) -> str | int:
    match = _ATTACHMENT.match(text)
    return int(match.group(1)) if match else text


def _image_text(ref: Any) -> str:
    return f"liite {ref}" if isinstance(ref, int) else str(ref)


def _images(detail: str) -> dict[str, Any]:
    return {"images": [_image(part) for part in detail.split(", ") if part]}


def _duplicates(detail: str) -> dict[str, Any]:
    matches = [
        {
            "draft_id": int(found.group(1)),
            "reason": _DUPLICATE_REASONS.get(found.group(2), found.group(2)),
        }
        for found in _DUPLICATE.finditer(detail)
    ]
    return {"matches": matches}


def _defects(detail: str) -> dict[str, Any]:
    defects: list[str] = []
    count = 0
    for part in detail.split("; "):
        more = _MORE_DEFECTS.match(part)
        if more:
            count = int(more.group(1))
        elif defects and part in _DEFECT_TAILS:
            defects[-1] += f"; {part}"
        elif part:
            defects.append(part)
    return {"defects": defects, "count": count or len(defects)}


def _rejected(message: str, detail: str) -> dict[str, Any]:
    images: list[dict[str, Any]] = []
    for part in detail.split("; "):
        name, sep, reason = part.partition(": ")
        if sep or not images:
            images.append({"image": _image(name), "reason": reason})
        else:  # a reason that itself held "; "
            images[-1]["reason"] += f"; {part}"
    found = _REJECTED_COUNT.search(message)
    return {"count": int(found.group(1)) if found else len(images), "images": images}


def _too_small(message: str, detail: str) -> dict[str, Any]:
    params: dict[str, Any] = {}
    sizes = _SIZES.search(message)
    if sizes:
        params.update(longer_side=int(sizes.group(1)), target=int(sizes.group(2)))
    name, _sep, dimensions = detail.rpartition(": ")
    width, _x, height = dimensions.partition("×")
    if width.isdigit() and height.isdigit():
        params.update(image=name, width=int(width), height=int(height))
    return params


def _theme(detail: str) -> dict[str, Any]:
    theme, _sep, reason = detail.partition(": ")
    return {"theme": theme, "reason": reason} if theme else {}


def _length(detail: str) -> dict[str, Any]:
    match = _LENGTH.match(detail)
    return {"length": int(match.group(1))} if match else {}


_PARSERS: dict[str, Callable[[str, str], dict[str, Any]]] = {
    "possible_duplicate": lambda _m, d: _duplicates(d),
    "parse_defects": lambda _m, d: _defects(d),
    "only_signature_images": lambda _m, d: _images(d),
    "location_removed": lambda _m, d: _images(d),
    "photo_rejected": _rejected,
    "photo_too_small": _too_small,
    "theme_suggested": lambda _m, d: _theme(d),
    "text_too_short": lambda _m, d: _length(d),
    "text_too_long": lambda _m, d: _length(d),
}


def params_from_text(code: str, message: str, detail: str) -> dict[str, Any]:
    """The parameters an 0001-era flag's message and detail held ({} for a plain one)."""
    if code in _ONE_VALUE:
        return {_ONE_VALUE[code]: detail} if detail else {}
    parse = _PARSERS.get(code)
    return parse(message, detail) if parse and detail else {}


def text_from_params(code: str, params: dict[str, Any]) -> tuple[str, str]:
    """The (message, detail) an 0001-era rule would have written for these parameters."""
    message = _OLD_MESSAGES.get(code, code)
    try:
        message = message.format(**params)
    except (KeyError, IndexError, ValueError):
        message = re.sub(r"\{\w+\}", "?", message)
    if code in _ONE_VALUE:
        return message, str(params.get(_ONE_VALUE[code], ""))
    detail = ""
    if code == "possible_duplicate":
        reasons = {v: k for k, v in _DUPLICATE_REASONS.items()}
        detail = ", ".join(
            f"luonnos #{m['draft_id']} ({reasons.get(m['reason'], m['reason'])})"
            for m in params.get("matches", ())
        )
    elif code == "parse_defects":
        defects = list(params.get("defects", ()))
        detail = "; ".join(defects)
        if params.get("count", 0) > len(defects):
            detail += f"; … ({params['count']} kpl)"
    elif code in ("only_signature_images", "location_removed"):
        detail = ", ".join(_image_text(ref) for ref in params.get("images", ()))
    elif code == "photo_rejected":
        detail = "; ".join(
            f"{_image_text(i['image'])}: {i['reason']}" for i in params.get("images", ())
        )
    elif code == "photo_too_small" and "image" in params:
        detail = f"{params['image']}: {params['width']}×{params['height']}"
    elif code == "theme_suggested" and params:
        detail = f"{params['theme']}: {params['reason']}".rstrip(": ")
    elif code in ("text_too_short", "text_too_long") and "length" in params:
        detail = f"{params['length']} merkkiä"
    return message, detail


# --- The migration ------------------------------------------------------------------------------


def upgrade() -> None:
    with op.batch_alter_table("draft_flag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("params", sa.JSON(), nullable=True))
        batch_op.add_column(sa.Column("dismissed_at", sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(
            sa.Column("dismissed_by", sa.String(length=200), nullable=False, server_default="")
        )
        batch_op.add_column(
            sa.Column("dismissal_reason", sa.Text(), nullable=False, server_default="")
        )
    connection = op.get_bind()
    rows = connection.execute(
        sa.select(_FLAGS.c.id, _FLAGS.c.code, _FLAGS.c.message, _FLAGS.c.detail)
    )
    for flag_id, code, message, detail in rows.all():
        params = params_from_text(code, message or "", detail or "")
        connection.execute(_FLAGS.update().where(_FLAGS.c.id == flag_id).values(params=params))
    with op.batch_alter_table("draft_flag", schema=None) as batch_op:
        batch_op.alter_column("params", existing_type=sa.JSON(), nullable=False)
        batch_op.alter_column("dismissed_by", server_default=None)
        batch_op.alter_column("dismissal_reason", server_default=None)
        batch_op.drop_column("detail")
        batch_op.drop_column("message")

    op.add_column(
        "practice_draft",
        sa.Column("notes", sa.JSON(), nullable=False, server_default=sa.text("'[]'")),
    )
    op.add_column("photo", sa.Column("alt_text", sa.Text(), nullable=False, server_default=""))


def downgrade() -> None:
    # In place, not batch: see the module docstring (SQLite 3.35+ drops a column in place).
    op.drop_column("photo", "alt_text")
    op.drop_column("practice_draft", "notes")

    with op.batch_alter_table("draft_flag", schema=None) as batch_op:
        batch_op.add_column(sa.Column("message", sa.Text(), nullable=False, server_default=""))
        batch_op.add_column(sa.Column("detail", sa.Text(), nullable=False, server_default=""))
    connection = op.get_bind()
    rows = connection.execute(sa.select(_FLAGS.c.id, _FLAGS.c.code, _FLAGS.c.params))
    for flag_id, code, params in rows.all():
        message, detail = text_from_params(code, dict(params or {}))
        connection.execute(
            _FLAGS.update().where(_FLAGS.c.id == flag_id).values(message=message, detail=detail)
        )
    with op.batch_alter_table("draft_flag", schema=None) as batch_op:
        batch_op.alter_column("message", server_default=None)
        batch_op.alter_column("detail", server_default=None)
        batch_op.drop_column("dismissal_reason")
        batch_op.drop_column("dismissed_by")
        batch_op.drop_column("dismissed_at")
        batch_op.drop_column("params")
