"""The unknown-organisation rule: the organisation is in neither the register nor the config."""

from __future__ import annotations

from core.vocabulary import FlagCode
from ingest.rules.base import Flag, RuleContext

# How an organisation found in the register or the configuration is recorded in field_sources.
KNOWN_SOURCES = ("register:", "config:")


class UnknownOrganisation:
    """Editors should know when the organisation is a guess from a signature line, or missing.

    Not a fault of the submission: a new agency, an association or a company may send one too.
    `found` names what was found (or the sender's domain), so the editor can add it to
    `[organisations]` when it recurs.
    """

    name = "unknown_organisation"
    description = (
        "The sender's organisation was not found in the organisation register or the "
        "[organisations] table."
    )

    def check(self, context: RuleContext) -> Flag | None:
        understanding = context.understanding
        source = understanding.field_sources.get("organisation", "")
        if source.startswith(KNOWN_SOURCES):
            return None
        address = understanding.contact_email or context.message.from_address
        domain = address.rsplit("@", 1)[-1] if "@" in address else ""
        return Flag(FlagCode.UNKNOWN_ORGANISATION, {"found": understanding.organisation or domain})
