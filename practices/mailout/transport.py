"""One SMTP connection: TLS that is never downgraded, a login, timeouts, and errors sorted into
"try again later" and "this mail will never go".

smtplib's exceptions are mapped here, at the boundary:

- a reply 5xx to RCPT TO or DATA concerns this mail (no such mailbox, content refused):
  `PermanentFailure`, recorded on the row and retried only by hand;
- everything else is `TemporaryFailure`: a 4xx reply, a refused, dropped or silent connection,
  and also what concerns the connection rather than the mail (a refused login, a certificate
  that cannot be verified, a server without STARTTLS, MAIL FROM refused): the mail waits with
  backoff until the operator fixes the cause, and is never marked failed for it.
"""

from __future__ import annotations

import smtplib
import ssl
from types import TracebackType
from typing import Self

from core.config.smtp import SmtpSettings
from core.errors import ConfigError, OAuthError, PracticesError
from ingest.oauth_tokens import require_role, token_source


class SmtpFailure(PracticesError):
    """Raised when the SMTP server did not take a mail."""


class TemporaryFailure(SmtpFailure):
    """Raised for trouble that may pass (4xx, connection, login); the mail is tried again."""


class PermanentFailure(SmtpFailure):
    """Raised when the server refused this mail for good (5xx to RCPT TO or DATA)."""


def tls_context(smtp: SmtpSettings) -> ssl.SSLContext:
    """Verified TLS 1.2 or newer, trusting the system CAs and `ca_file`."""
    context = ssl.create_default_context(cafile=smtp.ca_file or None)
    context.minimum_version = ssl.TLSVersion.TLSv1_2
    return context


def _oauth_login(client: smtplib.SMTP, s: SmtpSettings) -> None:
    """AUTH XOAUTH2 with the [oauth2] application's token (all Exchange Online offers);
    to an error challenge the empty response is sent, as the mechanism requires."""
    offered = client.esmtp_features.get("auth", "").upper().split()
    if "XOAUTH2" not in offered:
        raise TemporaryFailure(
            f"SMTP server {s.host}:{s.port} does not offer AUTH XOAUTH2 (it offers "
            f'{" ".join(offered) or "no AUTH"}); use smtp.auth = "password" for it'
        )
    assert s.oauth2 is not None  # linked by Settings.checked for auth = "oauth2"
    try:
        token = token_source(s.oauth2).token()
        require_role(token, "smtp", s.oauth2)
    except OAuthError as exc:
        raise TemporaryFailure(str(exc)) from exc
    answers = [f"user={s.username}\x01auth=Bearer {token.value}\x01\x01"]

    def respond(_challenge: bytes | None = None) -> str:
        return answers.pop() if answers else ""

    try:
        # The token goes on a line of its own after "334": a JWT makes "AUTH XOAUTH2 <token>"
        # longer than the 512 octets some servers allow a command line.
        client.auth("XOAUTH2", respond, initial_response_ok=False)
    except smtplib.SMTPAuthenticationError as exc:
        raise TemporaryFailure(
            f"SMTP server {s.host}:{s.port} refused the OAuth 2.0 token for {s.username!r} "
            f"({_reply(exc.smtp_code, exc.smtp_error)}); in Exchange Online the app needs "
            "SMTP.SendAsApp, its service principal rights to the mailbox, and SMTP AUTH on"
        ) from exc


def _reply(code: int, message: bytes | str) -> str:
    text = message.decode("utf-8", "replace") if isinstance(message, bytes) else message
    return f"{code} {' '.join(text.split())}"


class SmtpConnection:
    """An open, authenticated connection to the configured server; `send` one mail at a time."""

    def __init__(self, smtp: SmtpSettings) -> None:
        self.settings = smtp
        self._client: smtplib.SMTP | None = None

    def open(self) -> None:
        """Connect, say EHLO, start TLS when asked (refusing a server that cannot) and log in."""
        s = self.settings
        where = f"{s.host}:{s.port}"
        try:
            if s.security == "tls":
                client: smtplib.SMTP = smtplib.SMTP_SSL(
                    s.host, s.port, timeout=s.timeout_seconds, context=tls_context(s)
                )
            else:
                client = smtplib.SMTP(s.host, s.port, timeout=s.timeout_seconds)
            self._client = client
            client.ehlo()
            if s.security == "starttls":
                if not client.has_extn("starttls"):
                    raise TemporaryFailure(
                        f"SMTP server {where} does not offer STARTTLS; mail is never sent "
                        'without TLS: fix the server or use security = "tls"'
                    )
                client.starttls(context=tls_context(s))
                client.ehlo()
            if s.username and s.auth == "oauth2":
                _oauth_login(client, s)
            elif s.username:
                client.login(s.username, s.password())
        except TemporaryFailure:
            self.close()
            raise
        except ConfigError as exc:
            self.close()
            raise TemporaryFailure(str(exc)) from exc
        except ssl.SSLCertVerificationError as exc:
            self.close()
            raise TemporaryFailure(
                f"the certificate of SMTP server {where} cannot be verified "
                f"({exc.verify_message}); give the CA in smtp.ca_file or fix the server"
            ) from exc
        except smtplib.SMTPAuthenticationError as exc:
            self.close()
            raise TemporaryFailure(
                f"SMTP server {where} refused the login of {s.username!r} "
                f"({_reply(exc.smtp_code, exc.smtp_error)}); check smtp.username and the password"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise TemporaryFailure(
                f"SMTP server {where}: {_reply(exc.smtp_code, exc.smtp_error)}"
            ) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise TemporaryFailure(f"cannot connect to SMTP server {where}: {exc}") from exc

    def send(self, sender: str, recipients: list[str], message: bytes) -> str:
        """Hand one mail to the server; returns a note on recipients refused while others took
        it ("" when all did); raises TemporaryFailure or PermanentFailure."""
        if self._client is None:
            self.open()
        client = self._client
        assert client is not None
        try:
            refused = client.sendmail(sender, recipients, message)
        except smtplib.SMTPRecipientsRefused as exc:
            replies = "; ".join(
                f"{rcpt}: {_reply(code, text)}" for rcpt, (code, text) in exc.recipients.items()
            )
            self._after_refusal()
            codes = [code for code, _text in exc.recipients.values()]
            if all(code >= 500 for code in codes):
                raise PermanentFailure(f"recipient refused: {replies}") from exc
            raise TemporaryFailure(f"recipient deferred: {replies}") from exc
        except smtplib.SMTPDataError as exc:
            self._after_refusal()
            reply = _reply(exc.smtp_code, exc.smtp_error)
            if exc.smtp_code >= 500:
                raise PermanentFailure(f"message refused: {reply}") from exc
            raise TemporaryFailure(f"message deferred: {reply}") from exc
        except smtplib.SMTPSenderRefused as exc:
            self._after_refusal()
            raise TemporaryFailure(
                f"sender {sender} refused: {_reply(exc.smtp_code, exc.smtp_error)}; "
                "check smtp.from_address"
            ) from exc
        except smtplib.SMTPResponseException as exc:
            self.close()
            raise TemporaryFailure(_reply(exc.smtp_code, exc.smtp_error)) from exc
        except (OSError, smtplib.SMTPException) as exc:
            self.close()
            raise TemporaryFailure(f"connection to the SMTP server lost: {exc}") from exc
        # Some recipients of a mail to several (a digest) refused: it went to the others, so
        # it is sent; the note says who did not get it.
        return "; ".join(f"refused {r}: {_reply(c, t)}" for r, (c, t) in refused.items())

    @property
    def is_open(self) -> bool:
        """Whether the connection still stands (a refusal of one mail keeps it)."""
        return self._client is not None

    def _after_refusal(self) -> None:
        """Reset the transaction so the connection can carry the next mail."""
        try:
            if self._client is not None:
                self._client.rset()
        except (OSError, smtplib.SMTPException):
            self.close()

    def close(self) -> None:
        """Say QUIT; a connection that is already gone is fine."""
        client, self._client = self._client, None
        if client is None:
            return
        try:
            client.quit()
        except (OSError, smtplib.SMTPException):
            client.close()

    def __enter__(self) -> Self:
        self.open()
        return self

    def __exit__(
        self, kind: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self.close()


def check_login(smtp: SmtpSettings) -> str:
    """Connect, start TLS and log in without sending anything (`check-config --connect`);
    returns what was proven, raises TemporaryFailure saying what failed."""
    with SmtpConnection(smtp):
        pass
    login = f"logged in as {smtp.username!r}" if smtp.username else "no login configured"
    return f"smtp {smtp.host}:{smtp.port} ({smtp.security}): {login}"
