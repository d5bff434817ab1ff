"""The sender-domain rule: the submitter's address is not from a public-sector domain."""

from __future__ import annotations

from core.senders import domain_is_public
from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext


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
