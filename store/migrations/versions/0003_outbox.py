"""outbox of mail to send; who a draft's answers go to and why none was sent

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-02 12:00:00

Adds `outbox_mail` (every mail to send, written in the transaction of the event that causes it)
and three columns on `practice_draft`: `reply_address`, `acknowledgement` and
`acknowledgement_detail`. Drafts that existed before get empty values: they were never
acknowledged, and nothing is sent for them now.

SQLite: `practice_draft` is the parent of flags, photos and events, so it is not rebuilt
(a rebuild drops the table, and ON DELETE CASCADE would delete its children); the columns are
added in place with a server default, which stays (SQLite cannot drop one without a rebuild).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None

_DRAFT_COLUMNS: tuple[tuple[str, sa.types.TypeEngine[str]], ...] = (
    ("reply_address", sa.String(length=998)),
    ("acknowledgement", sa.String(length=40)),
    ("acknowledgement_detail", sa.Text()),
)


def upgrade() -> None:
    for name, kind in _DRAFT_COLUMNS:
        op.add_column("practice_draft", sa.Column(name, kind, nullable=False, server_default=""))
    op.create_table(
        "outbox_mail",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=30), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("dedup_key", sa.String(length=200), nullable=True),
        sa.Column("message_id", sa.String(length=300), nullable=False),
        sa.Column("recipients", sa.JSON(), nullable=False),
        sa.Column("recipient_key", sa.String(length=998), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("mailbox", sa.String(length=100), nullable=False),
        sa.Column("context", sa.JSON(), nullable=False),
        sa.Column("rendered", sa.Text(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("claimed_by", sa.String(length=200), nullable=False),
        sa.Column("claimed_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("copied", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["practice_draft.id"],
            name=op.f("fk_outbox_mail_draft_id_practice_draft"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_outbox_mail")),
        sa.UniqueConstraint("dedup_key", name=op.f("uq_outbox_mail_dedup_key")),
        sa.UniqueConstraint("message_id", name=op.f("uq_outbox_mail_message_id")),
    )
    with op.batch_alter_table("outbox_mail", schema=None) as batch_op:
        for column in (
            "kind",
            "status",
            "recipient_key",
            "draft_id",
            "next_attempt_at",
            "created_at",
        ):
            batch_op.create_index(batch_op.f(f"ix_outbox_mail_{column}"), [column], unique=False)


def downgrade() -> None:
    op.drop_table("outbox_mail")
    for name, _kind in reversed(_DRAFT_COLUMNS):
        op.drop_column("practice_draft", name)
