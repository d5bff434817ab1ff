"""Entra ID's refusals (AADSTS codes) as one line each saying what the operator must change.

Entra ID answers a refused token request with `error`, `error_description` ("AADSTS7000215:
Invalid client secret provided. ...") and `error_codes`; msal passes that on as a dict, or, for
a tenant that does not exist, as the text of a ValueError from its discovery step. The code is
found in either and looked up here; an unknown code keeps Entra's own first sentence, so the
operator always sees the code to search for.
"""

from __future__ import annotations

import re

from core.config.oauth2 import OAuth2Settings

_CODE = re.compile(r"AADSTS(\d+)")

# AADSTS code -> what to do; formatted with the [oauth2] settings' fields and `secret` (where
# the secret comes from). Codes from Entra ID's published error list.
ADVICE: dict[int, str] = {
    7000215: "the client secret is wrong: put the secret's Value (not its Secret ID) in {secret}",
    7000222: (
        "the client secret has expired: create a new one for application {client_id} in Entra "
        "ID (Certificates & secrets), put it in {secret} and update client_secret_expires"
    ),
    700016: (
        "application {client_id} does not exist in tenant {tenant}: check client_id and tenant"
    ),
    90002: "tenant {tenant} does not exist: check tenant (the Directory (tenant) ID)",
    900023: "tenant {tenant!r} is neither a tenant ID nor a domain: check tenant",
    90033: "tenant {tenant} is not reachable now; retried later",
    65001: (
        "admin consent is missing: an administrator must grant consent to the permissions of "
        "application {client_id} in Entra ID"
    ),
    650057: (
        "application {client_id} has no permission for {scope}: add the Office 365 Exchange "
        "Online application permissions (IMAP.AccessAsApp, SMTP.SendAsApp) and grant consent"
    ),
    500011: (
        "the resource of scope {scope} is not in tenant {tenant}: check scope (Exchange Online: "
        "https://outlook.office365.com/.default)"
    ),
    70011: "scope {scope} is not valid: client credentials need a scope ending in /.default",
    1002012: "scope {scope} is not valid: client credentials need a scope ending in /.default",
    700027: (
        "the certificate in certificate_file is not registered for application {client_id}: "
        "upload its public certificate in Entra ID (Certificates & secrets)"
    ),
    700024: "the signed request is outside its validity: check this machine's clock",
    7000112: "application {client_id} is disabled in tenant {tenant}: ask its administrator",
    53003: "Conditional Access blocked the request: the tenant's administrator must allow it",
    7000218: "no client secret or certificate was sent: check client_secret_env/_file",
}


def aadsts_code(text: str) -> int | None:
    """The first AADSTS code in an answer's text, if any."""
    match = _CODE.search(text)
    return int(match.group(1)) if match else None


def refusal_message(settings: OAuth2Settings, answer: str) -> str:
    """One line for the refusal whose text (JSON or msal's message) is `answer`."""
    code = aadsts_code(answer)
    head = f"[oauth2] the token service refused application {settings.client_id}"
    if code in ADVICE:
        advice = ADVICE[code].format(
            client_id=settings.client_id,
            tenant=settings.tenant,
            scope=settings.scope,
            secret=settings.describe_credential(),
        )
        return f"{head} (AADSTS{code}): {advice}"
    return f"{head}: {_first_sentence(answer)}"


def _first_sentence(answer: str) -> str:
    description = re.search(r'"error_description":\s*"([^"]*)', answer)
    text = description.group(1) if description else answer
    text = " ".join(text.replace("\\r\\n", " ").split())
    sentence = re.match(r"(.+?[.!?])(\s|$)", text)
    return (sentence.group(1) if sentence else text)[:300]
