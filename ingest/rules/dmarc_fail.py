"""The DMARC rule: the receiving server found the sender's domain forged (dmarc=fail)."""

from __future__ import annotations

import re

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext

_DMARC_FAIL = re.compile(r"\bdmarc\s*=\s*fail\b", re.IGNORECASE)


class DmarcFail:
    """A failed DMARC check means the From address may be spoofed (RFC 7489, RFC 8601)."""

    name = "dmarc_fail"
    description = "An Authentication-Results header reports dmarc=fail."

    def check(self, context: RuleContext) -> Flag | None:
        for value in context.message.header("Authentication-Results"):
            if _DMARC_FAIL.search(value):
                return Flag(FlagCode.DMARC_FAIL, {"header": " ".join(value.split())[:200]})
        return None
