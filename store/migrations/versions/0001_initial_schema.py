"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-27 04:48:24.341321
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "inbound_message",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("mailbox", sa.String(length=100), nullable=False),
        sa.Column("folder", sa.String(length=300), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("uid", sa.BigInteger(), nullable=True),
        sa.Column("message_id", sa.String(length=998), nullable=False),
        sa.Column("raw_sha256", sa.String(length=64), nullable=True),
        sa.Column("raw_size", sa.BigInteger(), nullable=False),
        sa.Column("raw_path", sa.String(length=300), nullable=False),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("sender", sa.String(length=998), nullable=False),
        sa.Column("subject", sa.Text(), nullable=False),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("reason", sa.Text(), nullable=False),
        sa.Column("error_text", sa.Text(), nullable=False),
        sa.Column("defects", sa.JSON(), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("server_done", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_inbound_message")),
        sa.UniqueConstraint(
            "mailbox", "uidvalidity", "uid", name=op.f("uq_inbound_message_mailbox_uidvalidity_uid")
        ),
        sa.UniqueConstraint("raw_sha256", name=op.f("uq_inbound_message_raw_sha256")),
    )
    with op.batch_alter_table("inbound_message", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_inbound_message_mailbox"), ["mailbox"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_inbound_message_message_id"), ["message_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_inbound_message_outcome"), ["outcome"], unique=False)

    op.create_table(
        "mailbox_state",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("uidvalidity", sa.BigInteger(), nullable=True),
        sa.Column("last_uid", sa.BigInteger(), nullable=False),
        sa.Column("last_poll_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_success_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=False),
        sa.Column("consecutive_failures", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_mailbox_state")),
    )
    op.create_table(
        "practice_draft",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("inbound_id", sa.Integer(), nullable=False),
        sa.Column("title", sa.Text(), nullable=False),
        sa.Column("organisation", sa.Text(), nullable=False),
        sa.Column("contact_name", sa.Text(), nullable=False),
        sa.Column("contact_email", sa.String(length=998), nullable=False),
        sa.Column("theme", sa.String(length=40), nullable=True),
        sa.Column("theme_suggested", sa.Boolean(), nullable=False),
        sa.Column("theme_reason", sa.Text(), nullable=False),
        sa.Column("what_and_why", sa.Text(), nullable=False),
        sa.Column("achieved", sa.Text(), nullable=False),
        sa.Column("next_steps", sa.Text(), nullable=False),
        sa.Column("more_info", sa.Text(), nullable=False),
        sa.Column("unmatched_text", sa.Text(), nullable=False),
        sa.Column("quoted_text", sa.Text(), nullable=False),
        sa.Column("signature", sa.Text(), nullable=False),
        sa.Column("language", sa.String(length=8), nullable=False),
        sa.Column("forwarded_by", sa.Text(), nullable=False),
        sa.Column("source_document", sa.Text(), nullable=False),
        sa.Column("field_sources", sa.JSON(), nullable=False),
        sa.Column("text_fingerprint", sa.String(length=64), nullable=False),
        sa.Column("photo_credit", sa.Text(), nullable=False),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("rejection_reason", sa.Text(), nullable=False),
        sa.Column("passed_rules", sa.JSON(), nullable=False),
        sa.Column("edited_fields", sa.JSON(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["inbound_id"],
            ["inbound_message.id"],
            name=op.f("fk_practice_draft_inbound_id_inbound_message"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_practice_draft")),
        sa.UniqueConstraint("inbound_id", name=op.f("uq_practice_draft_inbound_id")),
    )
    with op.batch_alter_table("practice_draft", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_practice_draft_status"), ["status"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_practice_draft_text_fingerprint"), ["text_fingerprint"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_practice_draft_theme"), ["theme"], unique=False)

    op.create_table(
        "draft_flag",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("code", sa.String(length=60), nullable=False),
        sa.Column("message", sa.Text(), nullable=False),
        sa.Column("detail", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["practice_draft.id"],
            name=op.f("fk_draft_flag_draft_id_practice_draft"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_draft_flag")),
    )
    with op.batch_alter_table("draft_flag", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_draft_flag_code"), ["code"], unique=False)
        batch_op.create_index(batch_op.f("ix_draft_flag_draft_id"), ["draft_id"], unique=False)

    op.create_table(
        "photo",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("role", sa.String(length=20), nullable=False),
        sa.Column("attachment_index", sa.Integer(), nullable=False),
        sa.Column("filename", sa.Text(), nullable=False),
        sa.Column("sha256", sa.String(length=64), nullable=False),
        sa.Column("byte_size", sa.BigInteger(), nullable=False),
        sa.Column("image_format", sa.String(length=20), nullable=False),
        sa.Column("width", sa.Integer(), nullable=False),
        sa.Column("height", sa.Integer(), nullable=False),
        sa.Column("web_path", sa.String(length=300), nullable=False),
        sa.Column("web_width", sa.Integer(), nullable=False),
        sa.Column("web_height", sa.Integer(), nullable=False),
        sa.Column("thumbnail_path", sa.String(length=300), nullable=False),
        sa.Column("credit", sa.Text(), nullable=False),
        sa.Column("reject_reason", sa.Text(), nullable=False),
        sa.Column("had_location", sa.Boolean(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["practice_draft.id"],
            name=op.f("fk_photo_draft_id_practice_draft"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_photo")),
    )
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_photo_draft_id"), ["draft_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_photo_sha256"), ["sha256"], unique=False)

    op.create_table(
        "review_event",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=True),
        sa.Column("inbound_id", sa.Integer(), nullable=True),
        sa.Column("actor", sa.String(length=200), nullable=False),
        sa.Column("action", sa.String(length=40), nullable=False),
        sa.Column("changes", sa.JSON(), nullable=False),
        sa.Column("note", sa.Text(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["practice_draft.id"],
            name=op.f("fk_review_event_draft_id_practice_draft"),
            ondelete="SET NULL",
        ),
        sa.ForeignKeyConstraint(
            ["inbound_id"],
            ["inbound_message.id"],
            name=op.f("fk_review_event_inbound_id_inbound_message"),
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_review_event")),
    )
    with op.batch_alter_table("review_event", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_review_event_draft_id"), ["draft_id"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_review_event_inbound_id"), ["inbound_id"], unique=False
        )


def downgrade() -> None:

    with op.batch_alter_table("review_event", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_review_event_inbound_id"))
        batch_op.drop_index(batch_op.f("ix_review_event_draft_id"))

    op.drop_table("review_event")
    with op.batch_alter_table("photo", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_photo_sha256"))
        batch_op.drop_index(batch_op.f("ix_photo_draft_id"))

    op.drop_table("photo")
    with op.batch_alter_table("draft_flag", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_draft_flag_draft_id"))
        batch_op.drop_index(batch_op.f("ix_draft_flag_code"))

    op.drop_table("draft_flag")
    with op.batch_alter_table("practice_draft", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_practice_draft_theme"))
        batch_op.drop_index(batch_op.f("ix_practice_draft_text_fingerprint"))
        batch_op.drop_index(batch_op.f("ix_practice_draft_status"))

    op.drop_table("practice_draft")
    op.drop_table("mailbox_state")
    with op.batch_alter_table("inbound_message", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_inbound_message_outcome"))
        batch_op.drop_index(batch_op.f("ix_inbound_message_message_id"))
        batch_op.drop_index(batch_op.f("ix_inbound_message_mailbox"))

    op.drop_table("inbound_message")
