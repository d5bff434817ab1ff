"""The submissions the backlog benchmark seeds: Finnish practice texts, some with phone photos.

Each attachment is one of a dozen distinct base photos (3-5 MB each) made unique by a JPEG COM
segment after SOI, so every raw message and image hash differs while decoding stays realistic.
Messages are built by hand with CRLF line ends, as Maildir files for Dovecot want them.
"""

from __future__ import annotations

import base64
import io
import random
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from email.header import Header
from email.utils import format_datetime, formataddr

from PIL import Image, ImageDraw

PHOTO_POOL_SIZE = 12
PHOTO_SIZE = (4000, 3000)


def make_photo(seed: int) -> bytes:
    """A 12 MP phone-like JPEG of 3-5 MB: sky, ground, blobs, colour sensor noise, camera EXIF."""
    width, height = PHOTO_SIZE
    rng = random.Random(seed)  # noqa: S311 - deterministic test imagery
    picture = Image.new("RGB", PHOTO_SIZE, (110 + seed * 3, 155, 205 - seed * 2))
    draw = ImageDraw.Draw(picture)
    draw.rectangle((0, height * 3 // 5, width, height), fill=(96, 110 + seed, 80))
    for _ in range(80):
        x, y = rng.randrange(width), rng.randrange(height // 3, height)
        radius = rng.randrange(width // 80, width // 20)
        colour = (rng.randrange(40, 230), rng.randrange(40, 200), rng.randrange(40, 200))
        draw.ellipse((x - radius, y - 2 * radius, x + radius, y + 2 * radius), fill=colour)
    noise = Image.merge(
        "RGB", [Image.frombytes("L", PHOTO_SIZE, rng.randbytes(width * height)) for _ in "RGB"]
    )
    picture = Image.blend(picture, noise, 0.09 + 0.005 * seed)
    exif = Image.Exif()
    exif[0x010F] = "samsung"
    exif[0x0110] = "Galaxy S24"
    exif[0x0112] = (1, 6, 1, 3, 1, 8)[seed % 6]  # Orientation: mostly upright, some rotated
    exif.get_ifd(0x8769)[0x9003] = f"2026:03:{1 + seed:02d} 14:15:30"
    out = io.BytesIO()
    picture.save(out, "JPEG", quality=92, exif=exif)
    return out.getvalue()


def unique_photo(base: bytes, tag: str) -> bytes:
    """`base` with a JPEG comment (COM) segment right after SOI: new bytes, same decode work."""
    payload = tag.encode("ascii")
    segment = b"\xff\xfe" + (len(payload) + 2).to_bytes(2, "big") + payload
    return base[:2] + segment + base[2:]


PLACES = ("Oulu", "Vaasa", "Tampere", "Lahti", "Kuopio", "Joensuu", "Porvoo", "Hamina")


def practice_text(n: int) -> str:
    place = PLACES[n % len(PLACES)]
    paragraph = (
        f"{place} kokeili uutta tapaa osallistaa asukkaita päätöksentekoon (kierros {n}). "
        f"Avasimme valmistelun aineistot verkkoon ja järjestimme {3 + n % 5} työpajaa, "
        f"joihin osallistui {40 + n % 300} asukasta."
    )
    return (
        "Hei,\r\n\r\nlähetän hyvän käytännön avoimen hallinnon sivuille.\r\n\r\n"
        f"Mitä tehtiin ja miksi?\r\n{paragraph}\r\nTavoitteena oli tavoittaa nuoret.\r\n\r\n"
        f"Mitä saatiin aikaiseksi?\r\nPalautetta tuli {100 + n % 900} kappaletta, ja kolme "
        f"ehdotusta (nro {n}) otettiin mukaan talousarvioon.\r\n\r\n"
        "Mitä jatkossa?\r\nJatkamme kokeilua kaikissa kaupunginosissa.\r\n\r\n"
        f"Lisätietoa\r\nhttps://www.{place.lower()}.fi/osallisuus/{n}\r\n\r\n"
        f"Ystävällisin terveisin\r\nVirkailija {n}\r\n{place}n kaupunki\r\n"
    )


def make_message(n: int, photos: list[bytes]) -> bytes:
    """One submission, built by hand (the email package's base64 is too slow for GBs)."""
    when = datetime(2026, 1, 1, tzinfo=UTC) + timedelta(minutes=17 * n)
    place = PLACES[n % len(PLACES)]
    headers = [
        "From: " + formataddr((f"Virkailija Väinö {n}", f"virkailija{n}@{place.lower()}.fi")),
        "To: Avoin hallinto <avoinhallinto@vm.fi>",
        "Subject: " + Header(f"Hyvä käytäntö: osallistava budjetointi {n}", "utf-8").encode(),
        f"Date: {format_datetime(when)}",
        f"Message-ID: <bench.{n}.{when:%Y%m%d%H%M}@{place.lower()}.fi>",
        "MIME-Version: 1.0",
    ]
    text_part = [
        'Content-Type: text/plain; charset="utf-8"',
        "Content-Transfer-Encoding: 8bit",
        "",
        practice_text(n),
    ]
    if not photos:
        return "\r\n".join(headers + text_part).encode("utf-8")
    boundary = f"----=_Bench_{n:06d}"
    out = io.BytesIO()
    head = [*headers, f'Content-Type: multipart/mixed; boundary="{boundary}"', "", ""]
    out.write("\r\n".join(head).encode("utf-8"))
    out.write(f"--{boundary}\r\n".encode() + "\r\n".join(text_part).encode("utf-8"))
    for k, photo in enumerate(photos):
        name = f"IMG_{when:%Y%m%d}_{n:06d}{k}.jpg"
        out.write(
            f'\r\n--{boundary}\r\nContent-Type: image/jpeg; name="{name}"\r\n'
            f'Content-Disposition: attachment; filename="{name}"\r\n'
            "Content-Transfer-Encoding: base64\r\n\r\n".encode()
        )
        out.write(base64.encodebytes(photo).replace(b"\n", b"\r\n"))
    out.write(f"\r\n--{boundary}--\r\n".encode())
    return out.getvalue()


def photo_messages(count: int, pool: list[bytes]) -> Iterator[bytes]:
    """30 % of messages (n % 10 in 1, 4, 7) carry one to three unique 12 MP photos."""
    rng = random.Random(6)  # noqa: S311 - the same photo messages every run
    for n in range(count):
        photos: list[bytes] = []
        if n % 10 in (1, 4, 7):
            for k in range(rng.choice((1, 2, 3))):
                photos.append(unique_photo(rng.choice(pool), f"bench photo {n}-{k}"))
        yield make_message(n, photos)


def text_messages(first: int, count: int) -> Iterator[bytes]:
    for n in range(first, first + count):
        yield make_message(n, [])
