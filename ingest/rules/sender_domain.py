"""The sender-domain rule: the submitter's address is not from a public-sector domain."""

from __future__ import annotations

from fnmatch import fnmatchcase

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


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


class SenderDomain:
    """Practices come from the public administration; other senders deserve a second look.

    The contact address wins over the envelope sender, since a forwarded submission's contact is
    the original author. With no patterns configured the rule never fires.
    """

    name = "sender_not_public_sector"
    description = "The contact (or sender) address matches none of the configured public_domains."

    def check(self, context: RuleContext) -> Flag | None:
        if not context.public_domains:
            return None
        address = context.understanding.contact_email or context.message.from_address
        domain = address.rsplit("@", 1)[-1].strip(" <>").lower()
        if domain and domain_is_public(domain, context.public_domains):
            return None
        return Flag(FlagCode.SENDER_NOT_PUBLIC_SECTOR, {"address": address})
