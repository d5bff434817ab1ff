"""Builds realistic raw submissions in code, as civil servants really send them (see DOMAIN.md).

Used by the demo, benchmarks and tests. Every message is byte-for-byte deterministic (fixed
dates, Message-IDs, MIME boundaries and photo pixels), so tests may compare hashes and dedup.
`SAMPLES` names each message and says what it exercises; `sample_submissions()` keeps that order.
"""

from __future__ import annotations

import io
import random
import zlib
from dataclasses import dataclass
from datetime import datetime
from email.charset import QP, Charset
from email.header import Header
from email.message import EmailMessage, Message
from email.utils import format_datetime
from functools import cache
from typing import TypeVar
from zoneinfo import ZoneInfo

from PIL import Image, ImageDraw

from devserver import sample_texts as texts

MAILBOX = "Avoin hallinto <avoinhallinto@vm.fi>"
HELSINKI = ZoneInfo("Europe/Helsinki")
M = TypeVar("M", bound=Message)


@dataclass(frozen=True)
class Sample:
    """One sample message and what a correct pipeline should make of it."""

    name: str
    raw: bytes
    theme: str | None  # expected theme key, None for non-submissions
    language: str  # "fi", "sv" or "en"
    is_submission: bool = True


def sample_submissions() -> list[bytes]:
    """The raw RFC 5322 bytes (CRLF line ends) of every sample, in `SAMPLE_NAMES` order."""
    return [sample.raw for sample in samples()]


def samples() -> list[Sample]:
    """Every sample with its expectations; each envelope's comment says what it exercises."""
    return [
        Sample("fi_plain", _single_part(FI_PLAIN, texts.FI_PLAIN_BODY), "understandability", "fi"),
        Sample("sv_plain", _single_part(SV_PLAIN, texts.SV_PLAIN_BODY), "participation", "sv"),
        Sample(
            "fi_outlook_html",
            _single_part(FI_OUTLOOK_HTML, texts.FI_OUTLOOK_HTML, "html", "quoted-printable"),
            "open_data",
            "fi",
        ),
        Sample("fi_photo_and_logo", _fi_photo_and_logo(), "open_operations", "fi"),
        Sample(
            "fi_forwarded",
            _single_part(FI_FORWARDED, texts.FI_FORWARDED_BODY),
            "enabling_administration",
            "fi",
        ),
        Sample(
            "en_free_prose",
            _single_part(EN_FREE_PROSE, texts.EN_FREE_PROSE_BODY),
            "open_data",
            "en",
        ),
        Sample("fi_latin1_legacy", _fi_latin1_legacy(), "participation", "fi"),
        Sample(
            "fi_out_of_office",
            _single_part(FI_OUT_OF_OFFICE, texts.FI_OUT_OF_OFFICE_BODY),
            None,
            "fi",
            is_submission=False,
        ),
    ]


SAMPLE_NAMES = (
    "fi_plain",
    "sv_plain",
    "fi_outlook_html",
    "fi_photo_and_logo",
    "fi_forwarded",
    "en_free_prose",
    "fi_latin1_legacy",
    "fi_out_of_office",
)


@cache
def photo_jpeg(width: int, height: int, orientation: int = 1, gps: bool = False) -> bytes:
    """A phone-like JPEG: sky, ground, people-ish blobs and sensor noise, with camera EXIF.

    `orientation` is the EXIF tag (6 = rotate 90° clockwise to display, as phones held upright
    write); `gps` adds a location in Helsinki, which published photos must not leak.
    """
    # Seeded so the bytes never change; this is test imagery, not cryptography.
    rng = random.Random(width * 7919 + height * 31 + orientation)  # noqa: S311
    picture = Image.new("RGB", (width, height), (118, 160, 205))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, height * 3 // 5, width, height), fill=(96, 110, 80))
    for _ in range(60):
        x, y = rng.randrange(width), rng.randrange(height // 3, height)
        radius = rng.randrange(max(2, width // 80), max(3, width // 20))
        colour = (rng.randrange(40, 230), rng.randrange(40, 200), rng.randrange(40, 200))
        draw.ellipse((x - radius, y - 2 * radius, x + radius, y + 2 * radius), fill=colour)
    noise = Image.frombytes("L", (width, height), rng.randbytes(width * height))
    picture = Image.blend(picture, Image.merge("RGB", (noise, noise, noise)), 0.08)
    exif = Image.Exif()
    exif[0x010F] = "samsung"  # Make
    exif[0x0110] = "Galaxy S24"  # Model
    exif[0x0112] = orientation
    exif.get_ifd(0x8769)[0x9003] = "2026:03:12 14:15:30"  # DateTimeOriginal
    if gps:
        exif.get_ifd(0x8825).update(
            {1: "N", 2: (60.0, 10.0, 15.6), 3: "E", 4: (24.0, 56.0, 12.3)}  # Helsinki
        )
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=88, exif=exif)
    return out.getvalue()


@cache
def logo_png() -> bytes:
    """A small signature logo, the kind Outlook attaches as image001.png to every mail."""
    logo = Image.new("RGB", (180, 48), (255, 255, 255))
    draw = ImageDraw.Draw(logo)
    draw.rectangle((4, 4, 44, 44), fill=(0, 61, 124))
    draw.rectangle((52, 16, 176, 30), fill=(0, 61, 124))
    out = io.BytesIO()
    logo.save(out, "PNG")
    return out.getvalue()


@dataclass(frozen=True)
class Envelope:
    """The headers a sample is sent with: the usual five, then its own (`more`) in order."""

    sender: str
    subject: str
    sent: datetime
    message_id: str
    more: tuple[tuple[str, str], ...] = ()


def _sent(month: int, day: int, hour: int, minute: int) -> datetime:
    return datetime(2026, month, day, hour, minute, tzinfo=HELSINKI)


# Plain Finnish text, the four published headings verbatim, a long ministry signature.
FI_PLAIN = Envelope(
    "Anna Virtanen <anna.virtanen@vm.fi>",
    "Hyvä käytäntö: selkokieliset päätöstiedotteet",
    _sent(3, 3, 10, 14),
    "<20260303101402.4F2A@vm.fi>",
)
# Plain Swedish text from a bilingual city, Swedish headings, bilingual signature.
SV_PLAIN = Envelope(
    "Johan Lindqvist <johan.lindqvist@vasa.fi>",
    "God praxis: öppna budgetverkstäder för unga",
    _sent(3, 10, 8, 52),
    "<9c1e77b2-5d0a-4c3e-9f4e-1a2b3c4d5e6f@vasa.fi>",
)
# HTML only, Outlook markup (MsoNormal, bold headings without "?", &nbsp; spacers).
FI_OUTLOOK_HTML = Envelope(
    "Heikkinen Päivi <paivi.heikkinen@tampere.fi>",
    "Avoimen datan rajapinta kaupungin hankinnoista",
    _sent(3, 11, 15, 3),
    "<HE1PR09MB3127A1B2C3D4E5F6@HE1PR09MB3127.eurprd09.prod.outlook.com>",
    more=(
        ("Thread-Topic", "Avoimen datan rajapinta kaupungin hankinnoista"),
        ("Accept-Language", "fi-FI, en-US"),
        ("X-MS-Has-Attach", ""),
        ("X-Mailer", "Microsoft Outlook 16.0"),
    ),
)
# Text + HTML, a rotated 2400x1800 phone photo with a credit, and a cid: signature logo.
FI_PHOTO_AND_LOGO = Envelope(
    "Mikko Korhonen <mikko.korhonen@ouka.fi>",
    "Kokemus: asukasiltojen striimaus ja kysymykset verkossa",
    _sent(3, 12, 16, 40),
    "<DB9PR02MB7385F0E1D2C3B4A5@DB9PR02MB7385.eurprd02.prod.outlook.com>",
)
# "VL:" forward of a colleague's submission, shortened headings inside the forwarded block.
FI_FORWARDED = Envelope(
    '"Mäkinen Liisa (OM)" <liisa.makinen@gov.fi>',
    "VL: Hyvä käytäntö avoimen hallinnon sivuille",
    _sent(3, 17, 13, 22),
    "<AM0PR09MB41826E5D4C3B2A19@AM0PR09MB4182.eurprd09.prod.outlook.com>",
)
# English free prose with no headings at all; the answers are somewhere in the paragraphs.
EN_FREE_PROSE = Envelope(
    "Sarah Nyström <sarah.nystrom@dvv.fi>",
    "Sharing our experience: opening the building register as open data",
    _sent(3, 19, 11, 5),
    "<CAF3r9Zp8kQx1mN2vB7wY4tH6jL0sD5gE3cR8uI1oP2aS9dF7gH@mail.gmail.com>",
)
# An old client: ISO-8859-1 quoted-printable body and an RFC 2047 ISO-8859-1 subject.
FI_LATIN1_LEGACY = Envelope(
    "=?iso-8859-1?q?Heikki_R=E4s=E4nen?= <heikki.rasanen@lapha.fi>",
    Header("Asiakasraati päättää palveluiden kehittämisestä", "iso-8859-1").encode(),
    _sent(3, 20, 9, 31),
    "<5E2F9A1B.3040507@lapha.fi>",
    more=(("X-Mailer", "Microsoft Outlook 14.0"),),
)
# An out-of-office auto-reply to the programme's newsletter: no submission.
FI_OUT_OF_OFFICE = Envelope(
    "Laine Tuomas <tuomas.laine@stm.fi>",
    "Automaattinen vastaus: Avoimen hallinnon uutiskirje maaliskuu 2026",
    _sent(3, 24, 7, 0),
    "<f81b0c2ad3e94e55b7a2@stm.fi>",
    more=(
        ("Auto-Submitted", "auto-replied"),
        ("X-Auto-Response-Suppress", "All"),
        ("In-Reply-To", "<uutiskirje-2026-03@vm.fi>"),
    ),
)


def _addressed(msg: M, envelope: Envelope) -> M:
    """`msg` with the envelope's headers set, in the order a sample's bytes depend on."""
    msg["From"] = envelope.sender
    msg["To"] = MAILBOX
    msg["Subject"] = envelope.subject
    msg["Date"] = format_datetime(envelope.sent)
    msg["Message-ID"] = envelope.message_id
    msg["MIME-Version"] = "1.0"
    for name, value in envelope.more:
        msg[name] = value
    return msg


def _finish(msg: Message) -> bytes:
    """Fix MIME boundaries (random by default) so the bytes never change, then serialise.

    Keeps the message's own policy (compat32 for the legacy sample, so its ISO-8859-1 headers
    stay as written) and only switches line ends to CRLF, as on the wire.
    """
    tag = zlib.crc32(str(msg["Message-ID"]).encode()) & 0xFFFFFFFF
    for number, part in enumerate(msg.walk()):
        if part.is_multipart():
            part.set_boundary(f"----=_Part_{number}_{tag:08x}")
    return msg.as_bytes(policy=msg.policy.clone(linesep="\r\n"))


def _single_part(
    envelope: Envelope, body: str, subtype: str = "plain", cte: str | None = None
) -> bytes:
    """A message of one text part: most submissions, and every auto-reply."""
    msg = _addressed(EmailMessage(), envelope)
    msg.set_content(body, subtype=subtype, cte=cte)
    return _finish(msg)


def _fi_photo_and_logo() -> bytes:
    msg = _addressed(EmailMessage(), FI_PHOTO_AND_LOGO)
    msg.set_content(texts.FI_PHOTO_TEXT)
    msg.add_alternative(texts.FI_PHOTO_HTML, subtype="html")
    html_part = msg.get_body(("html",))
    assert html_part is not None
    html_part.add_related(
        logo_png(), "image", "png", cid="<image001.png@01DCB21E.5A4F3C20>", filename="image001.png"
    )
    msg.add_attachment(
        photo_jpeg(2400, 1800, orientation=6, gps=True),
        "image",
        "jpeg",
        filename="IMG_20260312_141530.jpg",
    )
    return _finish(msg)


def _fi_latin1_legacy() -> bytes:
    """Built with the legacy `Message` API because `EmailMessage` always re-encodes as UTF-8."""
    msg = _addressed(Message(), FI_LATIN1_LEGACY)
    latin1 = Charset("iso-8859-1")
    latin1.body_encoding = QP
    msg.set_payload(texts.FI_LATIN1_BODY, charset=latin1)
    return _finish(msg)
