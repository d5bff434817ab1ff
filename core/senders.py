"""What an address says about its sender: a public-sector domain, or a robot that reads nothing.

Shared by the review rule that flags senders outside the public sector and by the rules of whom
we may answer (`core.answering`), so both read an address the same way.
"""

from __future__ import annotations

import re
from fnmatch import fnmatchcase

# Local parts that are mailboxes of mail software, not of people (RFC 2142 and common practice).
_ROBOT_LOCAL_PARTS = frozenset(
    {
        "mailer-daemon", "postmaster", "mail-daemon", "maildaemon", "listserv", "majordomo",
        "mailman", "bounce", "bounces", "daemon", "nobody", "root",
    }
)  # fmt: skip
# Words that say "do not answer" in a local part, once -, _ and . are removed: English, Finnish
# ("älä vastaa" written without ä, "ei vastausta") and Swedish ("svara inte").
_NO_REPLY_WORDS = (
    "noreply", "donotreply", "dontreply", "donotrespond", "noresponse", "noreturn",
    "alavastaa", "eivastausta", "eivastaa", "svarainte", "ingetsvar",
)  # fmt: skip
# Addresses of list software: owner-LIST, LIST-request, LIST-owner, LIST-bounces(+...).
_LIST_ROBOT = re.compile(r"^owner-|-(request|owner|bounces?)(\+.*)?$|^bounces?[+-]")
_SEPARATORS = re.compile(r"[-_.]")
# One bare address, as a bounded scan finds it where the stdlib's parser fails or cannot be
# trusted with a hostile value; a scan reads at most MAX_SCANNED_CHARS of a header value.
ADDRESS = re.compile(r"[\w.!#$%&'*+/=?^`{|}~-]+@[\w-]+(?:\.[\w-]+)+")
MAX_SCANNED_CHARS = 64 * 1024


def domain_is_public(domain: str, patterns: tuple[str, ...]) -> bool:
    """Whether `domain` or one of its parents matches a pattern ("*.fi", "vm.fi").

    >>> domain_is_public("x.vm.fi", ("vm.fi",))
    True
    """
    labels = domain.lower().strip(".").split(".")
    candidates = [".".join(labels[start:]) for start in range(len(labels))]
    return any(
        fnmatchcase(candidate, pattern.lower().strip())
        for candidate in candidates
        for pattern in patterns
    )


def is_robot_address(address: str) -> bool:
    """Whether `address` belongs to mail software (a bounce, a list, a no-reply sender).

    >>> is_robot_address("MAILER-DAEMON@vm.fi"), is_robot_address("no-reply@kela.fi")
    (True, True)
    >>> is_robot_address("maija.virtanen@vm.fi")
    False
    """
    local = address.rpartition("@")[0].strip().lower() if "@" in address else address.lower()
    if local in _ROBOT_LOCAL_PARTS or _LIST_ROBOT.search(local):
        return True
    squeezed = _SEPARATORS.sub("", local.replace("ä", "a"))
    return any(word in squeezed for word in _NO_REPLY_WORDS)
