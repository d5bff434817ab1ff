"""newsletter editions: the practices of each month's newsletter, in order, with an intro

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-03 12:00:00

Adds `newsletter_edition` (one per month, "YYYY-MM", with the editors' intro) and
`newsletter_item` (a practice at its position in an edition, once per edition). Nothing that
existed before changes.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "newsletter_edition",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("month", sa.String(length=7), nullable=False),
        sa.Column("intro", sa.Text(), nullable=False),
        sa.Column("created_by", sa.String(length=200), nullable=False),
        sa.Column("updated_by", sa.String(length=200), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rendered_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_newsletter_edition")),
        sa.UniqueConstraint("month", name=op.f("uq_newsletter_edition_month")),
    )
    op.create_table(
        "newsletter_item",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("edition_id", sa.Integer(), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("added_by", sa.String(length=200), nullable=False),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["practice_draft.id"],
            name=op.f("fk_newsletter_item_draft_id_practice_draft"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["edition_id"],
            ["newsletter_edition.id"],
            name=op.f("fk_newsletter_item_edition_id_newsletter_edition"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_newsletter_item")),
        sa.UniqueConstraint(
            "edition_id", "draft_id", name=op.f("uq_newsletter_item_edition_id_draft_id")
        ),
    )
    with op.batch_alter_table("newsletter_item", schema=None) as batch_op:
        for column in ("edition_id", "draft_id"):
            batch_op.create_index(
                batch_op.f(f"ix_newsletter_item_{column}"), [column], unique=False
            )


def downgrade() -> None:
    op.drop_table("newsletter_item")
    op.drop_table("newsletter_edition")
