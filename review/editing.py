"""The `$EDITOR` round-trip: a draft's editable fields as plain text blocks, and back.

The format is deliberately dull so editors can work in any text editor::

    # comment lines at the top are ignored
    == title ==
    Avoin data -hanke
    == what_and_why ==
    First paragraph...

Every block runs until the next `== name ==` line. Removing a block leaves that field as it
was; leaving a block empty clears the field. Unknown names are refused before anything is saved.
"""

from __future__ import annotations

import difflib
import os
import re
import shlex
import subprocess
import tempfile
from pathlib import Path

from core.catalogue import field_name
from review.errors import InvalidField, ReviewError
from review.fields import EDITABLE_FIELDS, validate_changes
from store.models import PracticeDraft

HEADER = re.compile(r"^== ([a-z_]+) ==[ \t]*$")
INTRO = {
    "fi": (
        "# Muokkaa luonnosta #{id} (versio {version}). Kunkin kentän teksti on rivien\n"
        "# '== nimi ==' välissä. Tyhjä lohko tyhjentää kentän; poistettu lohko jää ennalleen.\n"
        "# Teema vaihdetaan komennolla: practices review theme {id} TEEMA.\n"
        "# Tallenna ja sulje editori; muutokset näytetään ennen tallennusta.\n"
    ),
    "en": (
        "# Edit draft #{id} (version {version}). Each field's text lies between\n"
        "# '== name ==' lines. An empty block clears the field; a removed block keeps it.\n"
        "# Change the theme with: practices review theme {id} THEME.\n"
        "# Save and close the editor; the changes are shown before they are saved.\n"
    ),
}


def fields_text(values: dict[str, str]) -> str:
    """The block format of `values` (field name → text), in EDITABLE_FIELDS order."""
    parts = []
    for name in EDITABLE_FIELDS:
        if name in values:
            body = values[name].strip()
            parts.append(f"== {name} ==\n{body}\n" if body else f"== {name} ==\n")
    return "".join(parts)


def editable_values(draft: PracticeDraft) -> dict[str, str]:
    """The draft's editable fields and their current text."""
    return {name: str(getattr(draft, name) or "") for name in EDITABLE_FIELDS}


def render_for_editing(draft: PracticeDraft, lang: str = "fi") -> str:
    """The text an editor gets in `$EDITOR`: a short comment and every editable field."""
    intro = INTRO.get(lang, INTRO["fi"]).format(id=draft.id, version=draft.version)
    return intro + fields_text(editable_values(draft))


def parse_edited(text: str) -> dict[str, str]:
    """The fields in an edited text; InvalidField for unknown or repeated names."""
    values: dict[str, str] = {}
    current: str | None = None
    lines: list[str] = []
    for line in text.replace("\r\n", "\n").split("\n"):
        match = HEADER.match(line)
        if match:
            if current is not None:
                values[current] = "\n".join(lines).strip()
            current, lines = match.group(1), []
            if current not in EDITABLE_FIELDS:
                raise InvalidField(
                    f"Tuntematon kenttä '== {current} =='. Kentät: {', '.join(EDITABLE_FIELDS)}.",
                    f"Unknown field '== {current} =='. Fields: {', '.join(EDITABLE_FIELDS)}.",
                )
            if current in values:
                raise InvalidField(
                    f"Kenttä '{current}' on tekstissä kahdesti.",
                    f"Field '{current}' appears twice.",
                )
        elif current is not None:
            lines.append(line)
        elif line.strip() and not line.startswith("#"):
            raise InvalidField(
                "Tekstiä ennen ensimmäistä '== kenttä ==' -riviä; siirrä se jonkin kentän alle.",
                "Text before the first '== field ==' line; move it under a field.",
            )
    if current is not None:
        values[current] = "\n".join(lines).strip()
    return values


def changed_fields(draft: PracticeDraft, edited: dict[str, str]) -> dict[str, str]:
    """The validated fields whose text differs from the draft's (ignoring outer whitespace)."""
    cleaned = validate_changes(edited)
    current = editable_values(draft)
    return {name: value for name, value in cleaned.items() if value != current[name].strip()}


def diff_text(draft: PracticeDraft, changes: dict[str, str], lang: str = "fi") -> str:
    """A unified diff of the changed fields, as the editor sees it before saving."""
    current = editable_values(draft)
    out: list[str] = []
    for name, new in changes.items():
        out.extend(
            difflib.unified_diff(
                current[name].strip().splitlines(),
                new.splitlines(),
                fromfile=f"{field_name(name, lang)} ({name})",
                tofile=f"{field_name(name, lang)} ({name})",
                lineterm="",
            )
        )
    return "\n".join(out)


def editor_command() -> list[str]:
    """The editor to run: $VISUAL, else $EDITOR, else a plain one every Debian has."""
    chosen = os.environ.get("VISUAL") or os.environ.get("EDITOR") or "editor"
    return shlex.split(chosen)


def run_editor(text: str) -> str:
    """Let the editor change `text` in a private temporary file; returns what was saved."""
    with tempfile.TemporaryDirectory(prefix="practices-edit-") as folder:
        path = Path(folder) / "luonnos.txt"
        path.write_text(text, encoding="utf-8")
        command = [*editor_command(), str(path)]
        try:
            finished = subprocess.run(command, check=False)
        except OSError as exc:
            raise ReviewError(
                f"Editoria {command[0]!r} ei voitu käynnistää: {exc.strerror}. "
                "Aseta EDITOR-ympäristömuuttuja tai käytä valitsinta --set.",
                f"Could not start editor {command[0]!r}: {exc.strerror}. Set $EDITOR or use --set.",
            ) from exc
        if finished.returncode != 0:
            raise ReviewError(
                f"Editori päättyi virheeseen ({finished.returncode}); mitään ei tallennettu.",
                f"The editor failed ({finished.returncode}); nothing was saved.",
            )
        return path.read_text(encoding="utf-8")
