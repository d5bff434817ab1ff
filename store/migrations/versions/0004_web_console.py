"""the editors' console: accounts, sessions, login attempts, the search index, received_at

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-10 10:00:00

Adds the console's tables (`editor_account`, `editor_session`, `login_attempt`), the search
index `draft_search_term` (base forms of each draft's words, filled here for existing drafts
with the same `store.draft_index.text_terms` the running code uses), and
`practice_draft.received_at`, copied from each draft's inbound message so that the queue sorts
and pages on one indexed column.

SQLite: `practice_draft` is the parent of flags, photos and events, and a batch rebuild would
drop and re-create it, which ON DELETE CASCADE answers by deleting them all; its new column is
added in place (ALTER TABLE ADD COLUMN) and dropped in place on downgrade (SQLite 3.35+).
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

from store.draft_index import INDEXED_FIELDS, text_terms

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_BATCH = 500


def _create_tables() -> None:
    op.create_table(
        "editor_account",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("email", sa.String(length=998), nullable=False),
        sa.Column("password_hash", sa.String(length=300), nullable=False),
        sa.Column("disabled_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("password_changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_login_at", sa.DateTime(timezone=True), nullable=True),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_editor_account")),
        sa.UniqueConstraint("name", name=op.f("uq_editor_account_name")),
    )
    op.create_table(
        "editor_session",
        sa.Column("token_sha256", sa.String(length=64), nullable=False),
        sa.Column("account_id", sa.Integer(), nullable=False),
        sa.Column("csrf_token", sa.String(length=64), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("last_seen_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("expires_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["editor_account.id"],
            name=op.f("fk_editor_session_account_id_editor_account"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("token_sha256", name=op.f("pk_editor_session")),
    )
    op.create_index(op.f("ix_editor_session_account_id"), "editor_session", ["account_id"])
    op.create_index(op.f("ix_editor_session_expires_at"), "editor_session", ["expires_at"])
    op.create_table(
        "login_attempt",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("address", sa.String(length=64), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_login_attempt")),
    )
    op.create_index(op.f("ix_login_attempt_username"), "login_attempt", ["username"])
    op.create_index(op.f("ix_login_attempt_address"), "login_attempt", ["address"])
    op.create_index(op.f("ix_login_attempt_at"), "login_attempt", ["at"])
    op.create_table(
        "draft_search_term",
        sa.Column("term", sa.String(length=120), nullable=False),
        sa.Column("draft_id", sa.Integer(), nullable=False),
        sa.ForeignKeyConstraint(
            ["draft_id"],
            ["practice_draft.id"],
            name=op.f("fk_draft_search_term_draft_id_practice_draft"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("term", "draft_id", name=op.f("pk_draft_search_term")),
    )
    op.create_index(op.f("ix_draft_search_term_draft_id"), "draft_search_term", ["draft_id"])


def _fill(connection: sa.Connection) -> None:
    """received_at from each draft's inbound row, then every draft's search terms."""
    connection.execute(
        sa.text(
            "UPDATE practice_draft SET received_at = (SELECT COALESCE(i.sent_at, i.created_at) "
            "FROM inbound_message i WHERE i.id = practice_draft.inbound_id)"
        )
    )
    columns = ", ".join(("id", "language", *INDEXED_FIELDS))
    last = 0
    while True:
        rows = connection.execute(
            sa.text(
                f"SELECT {columns} FROM practice_draft WHERE id > :last ORDER BY id LIMIT {_BATCH}"
            ),
            {"last": last},
        ).all()
        if not rows:
            return
        terms = []
        for row in rows:
            values = {field: getattr(row, field) or "" for field in INDEXED_FIELDS}
            terms += [{"term": t, "draft_id": row.id} for t in text_terms(values, row.language)]
        if terms:
            connection.execute(
                sa.text("INSERT INTO draft_search_term (term, draft_id) VALUES (:term, :draft_id)"),
                terms,
            )
        last = rows[-1].id


def upgrade() -> None:
    _create_tables()
    op.add_column(
        "practice_draft", sa.Column("received_at", sa.DateTime(timezone=True), nullable=True)
    )
    _fill(op.get_bind())
    op.create_index(op.f("ix_practice_draft_received_at"), "practice_draft", ["received_at"])
    op.create_index(
        "ix_practice_draft_status_received_at", "practice_draft", ["status", "received_at"]
    )
    op.create_index(
        "ix_practice_draft_theme_status_received_at",
        "practice_draft",
        ["theme", "status", "received_at"],
    )


def downgrade() -> None:
    op.drop_index("ix_practice_draft_theme_status_received_at", table_name="practice_draft")
    op.drop_index("ix_practice_draft_status_received_at", table_name="practice_draft")
    op.drop_index(op.f("ix_practice_draft_received_at"), table_name="practice_draft")
    op.drop_column("practice_draft", "received_at")
    op.drop_index(op.f("ix_draft_search_term_draft_id"), table_name="draft_search_term")
    op.drop_table("draft_search_term")
    for name in ("at", "address", "username"):
        op.drop_index(op.f(f"ix_login_attempt_{name}"), table_name="login_attempt")
    op.drop_table("login_attempt")
    op.drop_index(op.f("ix_editor_session_expires_at"), table_name="editor_session")
    op.drop_index(op.f("ix_editor_session_account_id"), table_name="editor_session")
    op.drop_table("editor_session")
    op.drop_table("editor_account")
