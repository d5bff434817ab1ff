"""The changing `practices review` commands: edit, theme, photo, photo-text, dismiss, approve, ...

Each runs one operation of `review.operations` in its own unit of work and reports the saved
version, or the refusal in the editor's language. Text an editor typed in $EDITOR that could not
be saved is kept in a file, so no typing is lost.
"""

from __future__ import annotations

import argparse
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

from core.catalogue import action_name, change_name, label
from practices.cli import EXIT_OK
from practices.cli.context import app_from, editor_name, lang_of, print_json, say
from review import editing, operations
from review.errors import InvalidField, ReviewError
from review.rendering import draft_json, event_json
from store.models import PracticeDraft, ReviewEvent

# Keys of an event's changes that are facts about it, not what changed.
_NOT_CHANGES = ("forced", "open_flags", "photo")


def _report(args: argparse.Namespace, draft: PracticeDraft, event: ReviewEvent | None) -> None:
    lang = lang_of(args)
    if args.json:
        event_shown = event_json(event) if event else None
        print_json({"event": event_shown, "draft": draft_json(draft, lang)})
    elif event is None:
        say(label("no_changes", lang))
    else:
        changed = ", ".join(change_name(k, lang) for k in event.changes if k not in _NOT_CHANGES)
        say(
            f"{label('saved', lang)}: #{draft.id} {action_name(event.action, lang)} ({changed}), "
            f"{label('version', lang)} {draft.version}"
        )


def _change(
    args: argparse.Namespace,
    operation: Callable[..., ReviewEvent | None],
    *,
    with_settings: bool = False,
    **arguments: Any,
) -> int:
    """`operation(session, args.id, actor=editor, expected_version=..., **arguments)` in its
    own unit of work, then the result reported; `with_settings` passes the settings along."""
    with app_from(args) as app, app.sessions.begin() as session:
        if with_settings:
            arguments["settings"] = app.settings
        event = operation(
            session,
            args.id,
            actor=editor_name(args),
            expected_version=args.expected_version,
            **arguments,
        )
        _report(args, operations.get_draft(session, args.id), event)
    return EXIT_OK


def _parse_sets(pairs: list[str]) -> dict[str, str]:
    changes: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep:
            raise InvalidField(
                f"--set {pair!r}: käytä muotoa KENTTÄ=ARVO.", f"--set {pair!r}: use FIELD=VALUE."
            )
        changes[name.strip()] = value.replace("\\n", "\n")
    return changes


def _keep_text(draft_id: int, text: str) -> Path:
    """Save an editor's text that could not be stored, so no typing is lost."""
    handle, name = tempfile.mkstemp(prefix=f"practices-luonnos-{draft_id}-", suffix=".txt")
    with os.fdopen(handle, "w", encoding="utf-8") as file:
        file.write(text)
    return Path(name)


def _kept(exc: ReviewError, draft_id: int, text: str) -> ReviewError:
    kept = _keep_text(draft_id, text)
    return ReviewError(
        f"{exc.message_fi} Tekstisi on tallessa: {kept}",
        f"{exc.message_en} Your text is kept in: {kept}",
    )


def _confirm(lang: str) -> bool:
    try:
        answer = input(label("confirm", lang))
    except EOFError:
        return False
    return answer.strip().lower() in ("y", "yes", "k", "kyllä", "kylla", "j", "ja")


def edit(args: argparse.Namespace) -> int:
    """`review edit`: --set FIELD=VALUE, or a round trip through $EDITOR with a diff to confirm."""
    lang = lang_of(args)
    if args.set:
        changes = _parse_sets(args.set)
        return _change(args, operations.edit_fields, changes=changes, note=args.note)
    with app_from(args) as app:
        with app.sessions.begin() as session:
            draft = operations.get_draft(session, args.id)
            original = editing.render_for_editing(draft, lang)
            version = args.expected_version or draft.version
        edited = editing.run_editor(original)
        try:
            changes = editing.changed_fields(draft, editing.parse_edited(edited))
        except ReviewError as exc:
            raise _kept(exc, args.id, edited) from exc
        if not changes:
            say(label("no_changes", lang))
            return EXIT_OK
        say(editing.diff_text(draft, changes, lang))
        if not args.yes and not _confirm(lang):
            say(label("cancelled", lang))
            return EXIT_OK
        try:
            with app.sessions.begin() as session:
                event = operations.edit_fields(
                    session, args.id, changes, editor_name(args), args.note, version
                )
                _report(args, operations.get_draft(session, args.id), event)
        except ReviewError as exc:
            raise _kept(exc, args.id, edited) from exc
    return EXIT_OK


def theme(args: argparse.Namespace) -> int:
    """`review theme ID THEME`."""
    return _change(args, operations.set_theme, theme=args.key, note=args.note)


def photo(args: argparse.Namespace) -> int:
    """`review photo ID N`: choose the main photo."""
    return _change(args, operations.choose_main_photo, index=args.n, note=args.note)


def photo_text(args: argparse.Namespace) -> int:
    """`review photo-text ID N --alt ... --credit ...`."""
    return _change(
        args,
        operations.set_photo_text,
        index=args.n,
        alt_text=args.alt,
        credit=args.credit,
        note=args.note,
    )


def dismiss(args: argparse.Namespace) -> int:
    """`review dismiss ID FLAG --reason ...`."""
    return _change(args, operations.dismiss_flag, flag_id_or_code=args.flag, reason=args.reason)


def approve(args: argparse.Namespace) -> int:
    """`review approve ID [--force --note ...]`; the settings go along, since an approval may
    queue the submitter's "published" notice."""
    return _change(args, operations.approve, with_settings=True, force=args.force, note=args.note)


def reject(args: argparse.Namespace) -> int:
    """`review reject ID --reason ...`."""
    return _change(args, operations.reject, reason=args.reason, note=args.note)


def reopen(args: argparse.Namespace) -> int:
    """`review reopen ID`."""
    return _change(args, operations.reopen, note=args.note)
