"""A fixed set of approved practices for the publishing tests, golden files and screenshots.

Finnish, Swedish and English practices, with a landscape photo, a portrait photo, a photo
without alt text, and none; a draft and a rejected submission that must never be published;
and two newsletter editions (April with one practice, May with four, one of them in April's
too). Every time is fixed, so the exports are byte for byte the same on every run.

The photos are checked-in JPEG derivatives (`tests/golden/publish/photos/`), made once by
`make_photos()` (run `scripts/refresh-golden --photos` to make them again): their bytes name
the exported files, and a new JPEG encoder must not change the golden files.
"""

from __future__ import annotations

import io
import random
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from PIL import Image, ImageDraw
from sqlalchemy.orm import Session, sessionmaker

from review import editions
from store.files import BlobStore
from store.models import InboundMessage, Photo, PracticeDraft

PHOTOS = Path(__file__).resolve().parent / "golden" / "publish" / "photos"
BASE_URL = "https://avoinhallinto.example/kokemukset"
THUMBNAIL = 400


@dataclass(frozen=True)
class Spec:
    """One practice of the set."""

    title: str
    organisation: str
    theme: str
    language: str
    what_and_why: str
    achieved: str
    next_steps: str
    more_info: str
    approved: datetime
    photo: str = ""
    alt: str = ""
    credit: str = ""
    status: str = "approved"
    extra: dict[str, str] = field(default_factory=dict)


SPECS: tuple[Spec, ...] = (
    Spec(
        title="Asukasillat verkossa ja kylätaloilla",
        organisation="Kuopion kaupunki",
        theme="participation",
        language="fi",
        what_and_why=(
            "Kaupunginosien asukasillat olivat hiljentyneet: paikalle tuli samoja kasvoja vuodesta "
            "toiseen, eikä nuoria lapsiperheitä näkynyt lainkaan. Kokeilimme vuoden ajan iltoja, "
            "joihin pääsi sekä kylätalolle että verkkoon.\n\n"
            "Kysymykset kerättiin etukäteen karttakyselyllä, ja jokaiseen vastattiin."
        ),
        achieved=(
            "Osallistujia oli keskimäärin kolme kertaa aiempaa enemmän, ja joka kolmas osallistui "
            "verkossa. Kartalle tuli 412 havaintoa, joista 57 johti korjaukseen."
        ),
        next_steps="Illat vakiintuvat kaikkiin kaupunginosiin syksystä alkaen.",
        more_info=(
            "https://www.kuopio.fi/asukasillat\n"
            "Osallisuuskoordinaattori Anna Asukas, anna.asukas@kuopio.fi"
        ),
        approved=datetime(2025, 5, 20, 9, 30, tzinfo=UTC),
        photo="asukasilta",
        alt=(
            "Asukkaita pöytien ääressä kylätalolla, taustalla valkokangas, "
            "jolla kaupunginosan kartta"
        ),
        credit="Kuopion kaupunki / Ville Virtanen",
    ),
    Spec(
        title="Selkokieliset lupaohjeet",
        organisation="Esimerkkilän kaupunki",
        theme="understandability",
        language="fi",
        what_and_why=(
            "Rakennuslupien ohjeet kirjoitettiin uudelleen selkokielellä, koska neuvontaan "
            "soitettiin "
            "samoista asioista yhä uudelleen."
        ),
        achieved="Puhelut neuvontaan vähenivät neljänneksellä puolessa vuodessa.",
        next_steps="Seuraavaksi selkeytetään ympäristöluvat ja niiden päätökset.",
        more_info="Lisätietoa: https://esimerkkila.example/selko",
        approved=datetime(2025, 4, 8, 7, 0, tzinfo=UTC),
    ),
    Spec(
        title="Öppna data om kollektivtrafiken i realtid",
        organisation="Vasa stad",
        theme="open_data",
        language="sv",
        what_and_why=(
            "Invånarna efterlyste pålitlig information om när bussen kommer. Vi öppnade "
            "trafikdata i realtid som ett öppet gränssnitt, så att vem som helst kan bygga "
            "tjänster på den."
        ),
        achieved=(
            "Tre lokala företag och en gymnasieklass har byggt appar på gränssnittet. "
            "Frågorna till kundtjänsten om förseningar minskade tydligt."
        ),
        next_steps="Nästa år öppnar vi också data om cykelbanor och vinterunderhåll.",
        more_info="Mer information: https://www.vaasa.fi/oppna-data, data@vaasa.fi",
        approved=datetime(2025, 5, 14, 11, 0, tzinfo=UTC),
        photo="kartta",
        alt="Karta över Vasa med busslinjer och hållplatser utmärkta i olika färger",
        credit="Vasa stad",
    ),
    Spec(
        title="Open budget workshops with civil society organisations",
        organisation="City of Espoo",
        theme="enabling_administration",
        language="en",
        what_and_why=(
            "Associations told us the budget process was impossible to follow. We invited them "
            "to workshops where budget officers explained the draft budget and listened."
        ),
        achieved=(
            "Forty organisations took part, and six of their proposals were included in the "
            "final budget."
        ),
        next_steps="The workshops will be held every autumn before the budget negotiations.",
        more_info="https://www.espoo.fi/open-budget",
        approved=datetime(2025, 5, 6, 8, 0, tzinfo=UTC),
        photo="tyopaja",
        credit="City of Espoo",
    ),
    Spec(
        title="Lakiluonnokset avoimesti kommentoitaviksi jo valmistelun alussa",
        organisation="Oikeusministeriö",
        theme="open_operations",
        language="fi",
        what_and_why=(
            "Lakihankkeiden luonnokset julkaistiin kommentoitaviksi jo ennen varsinaista "
            "lausuntokierrosta, jotta kansalaiset ja järjestöt pääsevät vaikuttamaan ajoissa.\n\n"
            "Kommentit näkyvät kaikille, ja valmistelijat vastaavat niihin."
        ),
        achieved="Ensimmäiseen luonnokseen tuli 230 kommenttia, ja esitykseen tehtiin 14 muutosta.",
        next_steps="Toimintatapa otetaan käyttöön kaikissa ministeriön lakihankkeissa.",
        more_info="https://oikeusministerio.example/avoin-valmistelu",
        approved=datetime(2025, 5, 28, 12, 15, tzinfo=UTC),
        photo="luonnos",
        alt="Lakiluonnos kannettavan tietokoneen näytöllä, vieressä kahvikuppi ja muistiinpanoja",
        credit="Oikeusministeriö",
    ),
    Spec(
        title="Ungdomsfullmäktige planerar skolgårdarna",
        organisation="Borgå stad",
        theme="participation",
        language="sv",
        what_and_why=(
            "Ungdomsfullmäktige fick ansvar för att planera två skolgårdar tillsammans "
            "med eleverna."
        ),
        achieved="Eleverna röstade om förslagen och de populäraste byggdes under sommaren.",
        next_steps="Modellen används för alla skolgårdar som förnyas.",
        more_info="ungdom@porvoo.fi",
        approved=datetime(2025, 3, 3, 9, 0, tzinfo=UTC),
    ),
    Spec(
        title="Kunnan päätökset avoimena datana",
        organisation="Tampereen kaupunki",
        theme="open_data",
        language="fi",
        what_and_why=(
            "Valtuuston ja lautakuntien päätökset julkaistaan koneluettavina rajapinnan kautta."
        ),
        achieved="Toimittajat ja tutkijat käyttävät aineistoa viikoittain.",
        next_steps="",
        more_info="https://data.tampere.example/paatokset",
        approved=datetime(2025, 2, 11, 10, 0, tzinfo=UTC),
    ),
    Spec(
        title="Luonnos, jota ei ole hyväksytty",
        organisation="Esimerkkilän kaupunki",
        theme="open_data",
        language="fi",
        what_and_why="Tämä ei saa näkyä missään julkaisussa.",
        achieved="",
        next_steps="",
        more_info="",
        approved=datetime(2025, 5, 1, tzinfo=UTC),
        status="draft",
    ),
    Spec(
        title="Hylätty lähetys",
        organisation="Roskaposti Oy",
        theme="open_data",
        language="fi",
        what_and_why="Ei hyvä käytäntö vaan mainos.",
        achieved="",
        next_steps="",
        more_info="",
        approved=datetime(2025, 5, 2, tzinfo=UTC),
        status="rejected",
    ),
)

APRIL_ITEMS = (2,)
MAY_ITEMS = (5, 3, 1, 4, 2)
MAY_INTRO = (
    "Toukokuun viestissä kerromme, miten asukkaat pääsevät mukaan jo valmistelun alussa – "
    "verkossa, kylätaloilla ja avoimen datan avulla.\n\n"
    "Lähetä oma esimerkkisi osoitteeseen avoinhallinto@vm.fi."
)


def _scene(name: str, size: tuple[int, int]) -> Image.Image:
    """A calm flat illustration standing in for a photo (seeded: always the same pixels)."""
    width, height = size
    rng = random.Random(name)  # test imagery, not cryptography
    palettes = {
        "asukasilta": ((236, 226, 208), (181, 152, 120), (70, 96, 140)),
        "kartta": ((226, 236, 228), (160, 190, 170), (30, 90, 160)),
        "tyopaja": ((222, 230, 240), (120, 140, 170), (200, 110, 60)),
        "luonnos": ((214, 222, 232), (90, 100, 120), (245, 245, 240)),
    }
    wall, floor, accent = palettes[name]
    image = Image.new("RGB", size, wall)
    draw = ImageDraw.Draw(image)
    draw.rectangle((0, height * 2 // 3, width, height), fill=floor)
    if name == "kartta":
        for _ in range(14):
            x = rng.randrange(width)
            draw.line((x, 0, x + rng.randrange(-300, 300), height), fill=(250, 250, 250), width=9)
        for colour in ((30, 90, 160), (200, 70, 60), (40, 140, 80)):
            points = [(rng.randrange(width), rng.randrange(height)) for _ in range(6)]
            draw.line(points, fill=colour, width=14, joint="curve")
            for x, y in points:
                draw.ellipse(
                    (x - 18, y - 18, x + 18, y + 18), fill=(255, 255, 255), outline=colour, width=7
                )
        return image
    if name == "luonnos":
        left, top = width // 8, height // 5
        draw.rectangle((left, top, width - left, height * 3 // 5), fill=(40, 44, 52))
        draw.rectangle((left + 20, top + 20, width - left - 20, height * 3 // 5 - 20), fill=accent)
        for row in range(14):
            y = top + 60 + row * 34
            draw.rectangle(
                (left + 60, y, left + 60 + rng.randrange(300, width - 2 * left - 120), y + 12),
                fill=(150, 160, 175),
            )
        draw.polygon(
            [
                (left - 40, height * 3 // 5),
                (width - left + 40, height * 3 // 5),
                (width - left + 90, height * 3 // 5 + 60),
                (left - 90, height * 3 // 5 + 60),
            ],
            fill=(70, 74, 84),
        )
        draw.ellipse(
            (width * 3 // 4, height * 3 // 4, width * 3 // 4 + 160, height * 3 // 4 + 110),
            fill=(250, 250, 250),
        )
        return image
    draw.rectangle((width // 3, height // 8, width * 2 // 3, height // 2), fill=accent)
    for _ in range(9):
        x, y = rng.randrange(width), rng.randrange(height // 2, height * 5 // 6)
        r = rng.randrange(width // 40, width // 22)
        colour = (rng.randrange(60, 220), rng.randrange(60, 200), rng.randrange(60, 200))
        draw.ellipse((x - r, y - r, x + r, y + r), fill=(224, 186, 160))
        draw.rounded_rectangle((x - 2 * r, y + r, x + 2 * r, y + 5 * r), radius=r, fill=colour)
    draw.rectangle((0, height * 5 // 6, width, height), fill=(150, 120, 90))
    return image


PHOTO_SIZES = {
    "asukasilta": (1600, 1067),
    "kartta": (1600, 1000),
    "tyopaja": (1600, 1200),
    "luonnos": (1200, 1600),
}


def _jpeg(image: Image.Image) -> bytes:
    out = io.BytesIO()
    image.save(out, "JPEG", quality=80)
    return out.getvalue()


def make_photos() -> None:
    """(Re)make the checked-in derivatives: web size and a 400 px thumbnail of each scene."""
    PHOTOS.mkdir(parents=True, exist_ok=True)
    for name, size in PHOTO_SIZES.items():
        web = _scene(name, size)
        thumb = web.copy()
        thumb.thumbnail((THUMBNAIL, THUMBNAIL), Image.Resampling.LANCZOS)
        (PHOTOS / f"{name}-web.jpg").write_bytes(_jpeg(web))
        (PHOTOS / f"{name}-thumb.jpg").write_bytes(_jpeg(thumb))


def _photo(blobs: BlobStore, spec: Spec) -> Photo:
    web = (PHOTOS / f"{spec.photo}-web.jpg").read_bytes()
    thumb = (PHOTOS / f"{spec.photo}-thumb.jpg").read_bytes()
    width, height = PHOTO_SIZES[spec.photo]
    return Photo(
        role="main",
        sha256=spec.photo.ljust(64, "0")[:64],
        filename=f"{spec.photo}.jpg",
        image_format="JPEG",
        width=width * 2,
        height=height * 2,
        web_path=blobs.put_derivative(web, "jpg"),
        web_width=width,
        web_height=height,
        thumbnail_path=blobs.put_derivative(thumb, "jpg"),
        alt_text=spec.alt,
        credit=spec.credit,
    )


def load_practices(sessions: sessionmaker[Session], blobs: BlobStore) -> list[int]:
    """Store the set (ids 1..9 in a fresh database); returns the ids."""
    ids = []
    with sessions.begin() as session:
        for number, spec in enumerate(SPECS, start=1):
            raw = f"Subject: {spec.title}\r\n\r\n{spec.what_and_why}\r\n".encode()
            digest, relative = blobs.put_raw(raw)
            received = spec.approved.replace(day=1, hour=8)
            inbound = InboundMessage(
                mailbox="avoinhallinto",
                uidvalidity=1,
                uid=number,
                message_id=f"<kaytanto-{number}@example.fi>",
                raw_sha256=digest,
                raw_size=len(raw),
                raw_path=relative,
                sent_at=received,
                sender="lahettaja@example.fi",
                subject=spec.title,
                outcome="draft",
                created_at=received,
            )
            draft = PracticeDraft(
                inbound=inbound,
                title=spec.title,
                organisation=spec.organisation,
                contact_name="Yhteyshenkilö",
                contact_email="yhteys@example.fi",
                theme=spec.theme,
                language=spec.language,
                what_and_why=spec.what_and_why,
                achieved=spec.achieved,
                next_steps=spec.next_steps,
                more_info=spec.more_info,
                photo_credit=spec.credit,
                status=spec.status,
                approved_at=spec.approved if spec.status == "approved" else None,
                created_at=received,
                updated_at=spec.approved,
            )
            if spec.photo:
                draft.photos = [_photo(blobs, spec)]
            session.add(draft)
            session.flush()
            ids.append(draft.id)
    return ids


def load_editions(sessions: sessionmaker[Session]) -> None:
    """April's edition with one practice, May's with five in the editors' order."""
    with sessions.begin() as session:
        editions.new_edition(session, "2025-04", "eeva")
        editions.add_practices(session, "2025-04", APRIL_ITEMS, "eeva")
        editions.new_edition(session, "2025-05", "eeva", MAY_INTRO)
        editions.add_practices(session, "2025-05", MAY_ITEMS, "eeva")


@dataclass(frozen=True)
class Published:
    """The set exported and its newsletter rendered, in one folder."""

    root: Path
    site: Path
    markdown: Path
    json: Path
    newsletter: list[Path]
    sessions: sessionmaker[Session]
    blobs: BlobStore


SENDER = ("Avoin hallinto", "avoinhallinto", "vm.fi")
RENDERED_AT = datetime(2025, 5, 30, 9, 0, tzinfo=UTC)


def publish_set(root: Path, *, images: str = "url") -> Published:
    """A fresh database in `root` with the set and its editions, exported in every format
    (`site/`, `markdown/`, `json/`) and May's newsletter rendered (`uutiskirje/`)."""
    from email.headerregistry import Address

    from core.config.mailout import PublishingSettings
    from review.export import export
    from review.newsletter import build_newsletter
    from review.newsletter_mail import newsletter_message, write_newsletter
    from store.db import make_engine, session_factory
    from tests.schema import create_schema

    engine = make_engine(f"sqlite:///{root / 'practices.db'}")
    create_schema(engine)
    sessions = session_factory(engine)
    blobs = BlobStore(root / "data", fsync=False)
    load_practices(sessions, blobs)
    load_editions(sessions)
    publishing = PublishingSettings(base_url=BASE_URL, newsletter_images=images)
    folders = {"html": root / "site", "markdown": root / "markdown", "json": root / "json"}
    for fmt, folder in folders.items():
        with sessions.begin() as session:
            export(session, blobs, folder, fmt, publishing=publishing)
    with sessions.begin() as session:
        newsletter = build_newsletter(session, blobs, "2025-05", publishing)
    message = newsletter_message(
        newsletter, blobs, sender=Address(*SENDER), to="", unsubscribe_url="", now=RENDERED_AT
    )
    paths = write_newsletter(newsletter, message, root / "uutiskirje")
    engine.dispose()
    return Published(
        root, folders["html"], folders["markdown"], folders["json"], paths, sessions, blobs
    )
