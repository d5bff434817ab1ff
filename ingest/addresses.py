"""Reads mail addresses out of header values and contact lines, always as a bare address.

The stdlib's address parser (`email.utils.parseaddr`, `getaddresses`) recurses once per group
(":") in a value, so a `To:` folded over thousands of encoded words that contain colons exceeds
the recursion limit; it also takes "Räsänen, Petri <p@x.fi>" for an address "Räsänen". When it
raises or gives something that is no address, a bounded scan takes over: a regular expression
over the decoded value, at most `MAX_SCANNED_CHARS` characters and `MAX_ADDRESSES` addresses.
The caller records the fallback as a defect.

    >>> read_address('"petri räsänen <petri.rasanen@kuopio.fi>"').address
    'petri.rasanen@kuopio.fi'
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from email.utils import getaddresses, parseaddr

from core.senders import ADDRESS, MAX_SCANNED_CHARS
from ingest.charsets import decode_header_value

MAX_ADDRESSES = 1000
_BARE = re.compile(rf"^{ADDRESS.pattern}$")
_NAME_JUNK = " \t\"'<>,;:()"


@dataclass(frozen=True, slots=True)
class Address:
    """A display name (decoded, maybe "") and a bare lower-case address (maybe "")."""

    name: str
    address: str


@dataclass(frozen=True, slots=True)
class AddressList:
    """The bare addresses of a header, and the defect to record when the fallback read them."""

    addresses: tuple[str, ...]
    defect: str = ""


def is_bare(address: str) -> bool:
    """Whether `address` is a bare address: no name, no angle brackets, no spaces."""
    return bool(_BARE.match(address))


def _scan(value: str) -> Address:
    """The first address in `value` and the text before it as the name."""
    text = decode_header_value(value[:MAX_SCANNED_CHARS])
    match = ADDRESS.search(text)
    if match is None:
        return Address(" ".join(text.strip(_NAME_JUNK).split()), "")
    name = text[: match.start()]
    # "Petri Räsänen <petri@x.fi>" and "petri@x.fi (Petri Räsänen)" both name the person.
    if not name.strip(_NAME_JUNK):
        name = text[match.end() :]
    return Address(" ".join(name.strip(_NAME_JUNK).split()), match.group(0).lower())


def read_address(value: str) -> Address:
    """The name and bare address of one address ("From:", a contact line), never raising.

    The stdlib parses first; a result whose address is not bare (or a parser error) is scanned
    instead, so "Räsänen, Petri <p@x.fi>" and '"Name <p@x.fi>"' both give p@x.fi.
    """
    try:
        name, address = parseaddr(value[:MAX_SCANNED_CHARS])
    except (RecursionError, ValueError, TypeError, IndexError):
        return _scan(value)
    address = decode_header_value(address).strip()
    if not is_bare(address):
        return _scan(value)
    return Address(decode_header_value(name).strip(), address.lower())


def read_address_list(value: str, header: str) -> AddressList:
    """The bare addresses in an address-list header (To, Cc), in order, without repeats.

    When the stdlib parser recurses too deep or fails, the addresses are scanned from the
    decoded value and the returned defect names the header and what happened.
    """
    try:
        pairs = getaddresses([value])
    except (RecursionError, ValueError, TypeError, IndexError) as exc:
        found = ADDRESS.findall(decode_header_value(value[:MAX_SCANNED_CHARS]))
        unique = tuple(dict.fromkeys(a.lower() for a in found))[:MAX_ADDRESSES]
        defect = (
            f"{header} header too complex for the address parser ({type(exc).__name__}); "
            f"{len(unique)} addresses read by a simple scan"
        )
        return AddressList(unique, defect)
    addresses = (address.strip().lower() for _, address in pairs)
    return AddressList(tuple(dict.fromkeys(a for a in addresses if "@" in a))[:MAX_ADDRESSES])
