"""the queue's indexes: the draft id in PostgreSQL's status index, open flags by code

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-17 12:00:00

The console's queue with a search or a flag filter walks the drafts of one status in received
order and keeps those in the matching set, stopping at a page (or at the count's cap):

- on PostgreSQL, `practice_draft (status, received_at)` also holds the id (INCLUDE), so the
  walk reads the index alone; SQLite's indexes hold the row id already and stay as they are;
- `draft_flag (code, draft_id)`, only of open flags (dismissed_at IS NULL), gives the drafts
  with an open flag of one kind without reading the flags' rows.

Indexes only: no data changes, and downgrade restores the previous ones.
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None


def upgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_practice_draft_status_received_at", table_name="practice_draft")
        op.create_index(
            "ix_practice_draft_status_received_at",
            "practice_draft",
            ["status", "received_at"],
            postgresql_include=["id"],
        )
    op.create_index(
        "ix_draft_flag_open_code_draft_id",
        "draft_flag",
        ["code", "draft_id"],
        sqlite_where=sa.text("dismissed_at IS NULL"),
        postgresql_where=sa.text("dismissed_at IS NULL"),
    )


def downgrade() -> None:
    op.drop_index("ix_draft_flag_open_code_draft_id", table_name="draft_flag")
    if op.get_bind().dialect.name == "postgresql":
        op.drop_index("ix_practice_draft_status_received_at", table_name="practice_draft")
        op.create_index(
            "ix_practice_draft_status_received_at", "practice_draft", ["status", "received_at"]
        )
