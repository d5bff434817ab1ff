"""An existing database upgrades (revision 0002): its old Finnish flags show in fi, sv and en.

The database is built at revision 0001 and given flag rows with the exact sentences and details
the 0001-era rules wrote; `practices db upgrade` parses them into codes and parameters, and
`practices review show` words them in each language. A downgrade writes the old texts again.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, MetaData, insert, select

from practices.cli import main
from store import schema
from tests.configs import write_config

# (code, message, detail) exactly as the 0001-era rules wrote them.
OLD_FLAGS = [
    ("no_photo", "Viestissä ei ollut käyttökelpoista valokuvaa.", ""),
    (
        "photo_too_small",
        "Pääkuva on pienempi kuin verkkosivun kuvakoko (1024 px, tavoite 1600 px) – pyydä "
        "isompi kuva.",
        "kuva.jpg: 1024×768",
    ),
    (
        "possible_duplicate",
        "Sama käytäntö on ehkä lähetetty jo aiemmin – vertaa aiempaan luonnokseen.",
        "luonnos #12 (sama Message-ID), luonnos #15 (lähes sama teksti)",
    ),
    (
        "sender_not_public_sector",
        "Lähettäjä ei ole julkishallinnon osoitteesta.",
        "maija@gmail.com",
    ),
    (
        "parse_defects",
        "Viestin rakenteessa oli virheitä – vertaa luonnosta alkuperäiseen viestiin.",
        "StartBoundaryNotFoundDefect; header Subject over 998 characters; truncated; D3; D4; "
        "D5; … (9 kpl)",
    ),
    (
        "photo_rejected",
        "Viestin kuvista 2 hylättiin – syy on alla.",
        "pommi.png: liian suuri kuva (9000×9000, enintään 40000000 pikseliä); liite 3: kuva on "
        "rikki tai katkennut: broken data",
    ),
    (
        "only_signature_images",
        "Viestin kuvat olivat vain logoja tai allekirjoituskuvia – tarkista ne ja pyydä "
        "tarvittaessa valokuva.",
        "image001.png, liite 2",
    ),
    (
        "theme_suggested",
        "Teema on ehdotettu automaattisesti – tarkista se.",
        "open_data: keywords: datan, rajapinnan",
    ),
    (
        "text_too_short",
        "Teksti on hyvin lyhyt – tarkista, puuttuuko jotain (esim. liite).",
        "12 merkkiä",
    ),
    ("missing_achieved", "Vastaus kysymykseen 'Mitä saatiin aikaiseksi?' puuttuu.", ""),
    (
        "spam_verdict",
        "Roskapostisuodatin on merkinnyt viestin roskapostiksi – tarkista se huolella.",
        "Yes, score=9.1",
    ),
    (
        "unknown_organisation",
        "Lähettäjän organisaatiota ei löytynyt organisaatiorekisteristä – tarkista se.",
        "Pohjolan Kehitysyhdistys ry",
    ),
]

SHOWN = {
    "fi": [
        "Pääkuva on pienempi kuin verkkosivun kuvakoko (1024 px, tavoite 1600 px)",
        "(kuva.jpg: 1024×768)",
        "(luonnos #12 (sama Message-ID), luonnos #15 (lähes sama teksti))",
        "(maija@gmail.com)",
        "header Subject over 998 characters; truncated; D3; D4; D5; … (9 kpl)",
        "Viestin kuvista 2 hylättiin",
        "pommi.png: liian suuri kuva (9000×9000, enintään 40000000 pikseliä); liite 3: kuva on "
        "rikki tai katkennut: broken data",
        "(image001.png, liite 2)",
        "(avoin data: avainsanat: datan, rajapinnan)",
        "(12 merkkiä)",
        "Vastaus kysymykseen ”Mitä saatiin aikaiseksi?” puuttuu.",
        "(Yes, score=9.1)",
        "organisaatiorekisteristä – tarkista se. (Pohjolan Kehitysyhdistys ry)",
    ],
    "sv": [
        "Huvudbilden är mindre än webbplatsens bildstorlek (1024 px, mål 1600 px)",
        "(utkast #12 (samma Message-ID), utkast #15 (nästan samma text))",
        "… (9 st.)",
        "2 av meddelandets bilder avvisades",
        "bilaga 3: kuva on rikki",
        "(image001.png, bilaga 2)",
        "(öppna data: nyckelord: datan, rajapinnan)",
        "(12 tecken)",
        "Svaret på frågan ”Vad åstadkoms?” saknas.",
    ],
    "en": [
        "The main photo is smaller than the website's photo size (1024 px, target 1600 px)",
        "(draft #12 (same Message-ID), draft #15 (nearly the same text))",
        "(maija@gmail.com)",
        "(image001.png, attachment 2)",
        "(open data: keywords: datan, rajapinnan)",
        "(12 characters)",
        "The answer to “What was achieved?” is missing.",
        "A spam filter marked the message as spam",
        "not in the organisation register – check it. (Pohjolan Kehitysyhdistys ry)",
    ],
}


def _required(table: Any, values: dict[str, Any]) -> dict[str, Any]:
    """`values`, plus a plain value for every other NOT NULL column of a 0001-era table."""
    filled = dict(values)
    for column in table.columns:
        if column.name in filled or column.nullable or column.primary_key:
            continue
        kind = column.type.python_type
        if kind in (dict, list):
            filled[column.name] = []
        elif kind is bool:
            filled[column.name] = False
        elif kind is int:
            filled[column.name] = 1 if column.name == "version" else 0
        elif kind is datetime:
            filled[column.name] = datetime(2026, 3, 2, 9, 0, tzinfo=UTC)
        else:
            filled[column.name] = ""
    return filled


def _database_at_0001(engine: Engine) -> int:
    """A 0001 database with one draft carrying OLD_FLAGS, a photo and an event; its id."""
    schema.upgrade(engine, "0001")
    tables = MetaData()
    tables.reflect(engine)
    inbound, draft, flag, photo, event = (
        tables.tables[name]
        for name in ("inbound_message", "practice_draft", "draft_flag", "photo", "review_event")
    )
    with engine.begin() as connection:
        inbound_id = connection.execute(
            insert(inbound)
            .values(
                _required(inbound, {"mailbox": "avoinhallinto", "raw_size": 1, "outcome": "draft"})
            )
            .returning(inbound.c.id)
        ).scalar_one()
        draft_id = connection.execute(
            insert(draft)
            .values(
                _required(
                    draft,
                    {"inbound_id": inbound_id, "title": "Vanha luonnos", "status": "draft"},
                )
            )
            .returning(draft.c.id)
        ).scalar_one()
        connection.execute(
            insert(photo).values(
                _required(photo, {"draft_id": draft_id, "role": "main", "sha256": "a" * 64})
            )
        )
        connection.execute(
            insert(event).values(
                _required(event, {"draft_id": draft_id, "actor": "anna", "action": "edit"})
            )
        )
        for code, message, detail in OLD_FLAGS:
            connection.execute(
                insert(flag).values(draft_id=draft_id, code=code, message=message, detail=detail)
            )
    return int(draft_id)


def _upgraded_from_0001(engine: Engine, tmp_path: Path) -> tuple[int, str]:
    """The draft of `_database_at_0001` and a configuration over `engine`, after
    `practices db upgrade` took the database to the head revision."""
    draft_id = _database_at_0001(engine)
    url = engine.url.render_as_string(hide_password=False)
    config = str(
        write_config(tmp_path / "practices.toml", database={"url": url}, storage={"fsync": False})
    )
    assert main(["--config", config, "db", "upgrade"]) == 0
    return draft_id, config


def _json(capsys: pytest.CaptureFixture[str], config: str, *args: str) -> Any:
    """What `practices ARGS --json` prints, parsed."""
    capsys.readouterr()
    assert main(["--config", config, *args, "--json"]) == 0
    return json.loads(capsys.readouterr().out)


def test_old_flags_upgrade_and_show_as_text_in_finnish_swedish_and_english(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    draft_id, config = _upgraded_from_0001(engine, tmp_path)
    # Up through 0002 (this migration) to whatever the head is now.
    assert f"0001 -> {schema.HEAD_REVISION}" in capsys.readouterr().out
    for lang, expected in SHOWN.items():
        assert main(["--config", config, "review", "show", str(draft_id), "--lang", lang]) == 0
        shown = capsys.readouterr().out
        assert [text for text in expected if text not in shown] == [], lang
        assert "Avoimet huomiot (12)" in shown if lang == "fi" else True
    shown = _json(capsys, config, "review", "show", str(draft_id))
    flags = {f["code"]: f for f in shown["flags"]}
    assert flags["possible_duplicate"]["params"] == {
        "matches": [
            {"draft_id": 12, "reason": "message_id"},
            {"draft_id": 15, "reason": "similar_text"},
        ]
    }
    assert flags["parse_defects"]["params"]["count"] == 9
    assert flags["photo_rejected"]["params"]["images"][1] == {
        "image": 3,
        "reason": "kuva on rikki tai katkennut: broken data",
    }
    assert all(f["open"] for f in flags.values())


def test_the_upgrade_keeps_the_drafts_photos_and_history(
    engine: Engine, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Rebuilding a parent table on SQLite would cascade-delete its children: it must not."""
    draft_id, config = _upgraded_from_0001(engine, tmp_path)
    shown = _json(capsys, config, "review", "show", str(draft_id))
    assert [(p["role"], p["alt_text"]) for p in shown["photos"]] == [("main", "")]
    assert (len(shown["flags"]), shown["notes"]) == (len(OLD_FLAGS), [])
    history = _json(capsys, config, "review", "history", str(draft_id))
    assert [e["actor"] for e in history] == ["anna"]


def test_a_downgrade_writes_the_old_texts_again(engine: Engine) -> None:
    _database_at_0001(engine)
    schema.upgrade(engine)
    schema.downgrade(engine, "0001")
    tables = MetaData()
    tables.reflect(engine)
    flag = tables.tables["draft_flag"]
    with engine.connect() as connection:
        rows = connection.execute(
            select(flag.c.code, flag.c.message, flag.c.detail).order_by(flag.c.id)
        ).all()
    assert [tuple(row) for row in rows] == OLD_FLAGS
