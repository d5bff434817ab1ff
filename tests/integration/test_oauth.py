"""OAuth 2.0 sign-in for real: msal against a loopback token service, Dovecot checking each
token by introspection, as Exchange Online does with Entra ID's tokens."""

from __future__ import annotations

import os
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import trustme

from core.config.smtp import SmtpSettings
from devserver.dovecot import DOVECOT_BINARY, DovecotServer
from devserver.dovecot_setup import DovecotOptions
from devserver.smtp import SmtpServer
from devserver.token_service import Client, TokenService
from ingest.imap_source import ImapSource
from practices.mailout.transport import TemporaryFailure, check_login
from tests.configs import Table, TomlValue, parsed_settings, smtp_table
from tests.integration.harness import Installation, new_installation
from tests.mail import submission

pytestmark = pytest.mark.dovecot

SECRET_ENV = "PRACTICES_TEST_OAUTH_SECRET"


@pytest.fixture(scope="module")
def tokens(tmp_path_factory: pytest.TempPathFactory) -> Iterator[TokenService]:
    with TokenService(tmp_path_factory.mktemp("tokens")) as service:
        yield service


@pytest.fixture(scope="module")
def dovecot_oauth(tokens: TokenService) -> Iterator[DovecotServer]:
    """Dovecot whose oauth2 passdb asks `tokens` about every OAUTHBEARER/XOAUTH2 login."""
    if not Path(DOVECOT_BINARY).exists():
        pytest.skip(f"{DOVECOT_BINARY} not installed")
    options = DovecotOptions(oauth2_introspection_url=tokens.introspection_url)
    with DovecotServer(options=options) as server:
        yield server


@pytest.fixture
def app_id(request: pytest.FixtureRequest) -> str:
    """A client ID of this test's own, so no token cached for another test is reused."""
    return f"app-{abs(hash(request.node.nodeid)):x}"


@pytest.fixture
def inst(
    dovecot_oauth: DovecotServer,
    tokens: TokenService,
    app_id: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> Installation:
    """An installation whose mailbox logs in with the [oauth2] app `app_id` (secret "s3cret")."""
    tokens.lifetime_seconds = 3600
    installation = new_installation(dovecot_oauth, tmp_path, monkeypatch.setenv)
    tokens.register(app_id, Client(username=installation.user, secret="s3cret"))
    monkeypatch.setenv(SECRET_ENV, "s3cret")
    configure(installation, oauth2_table(tokens, app_id))
    return installation


def oauth2_table(tokens: TokenService, app_id: str, **keys: str) -> Table:
    """The [oauth2] table of the app `app_id` registered at `tokens`, with `keys` changed."""
    return {
        "tenant": tokens.tenant,
        "client_id": app_id,
        "client_secret_env": SECRET_ENV,
        "authority": tokens.authority,
        "ca_file": str(tokens.ca_file),
        **keys,
    }


def configure(inst: Installation, oauth2: Table, **mailbox: TomlValue) -> None:
    """The mailbox with auth = "oauth2" (and `mailbox` keys) and the [oauth2] table `oauth2`."""
    inst.configure(mailbox={"auth": "oauth2", **mailbox}, oauth2=oauth2)


@pytest.fixture(autouse=True)
def _no_password_in_the_mailbox(monkeypatch: pytest.MonkeyPatch) -> None:
    # auth = "oauth2" takes no password: the harness's mailbox table must not carry one.
    from tests import configs

    original = configs.mailbox_table

    def without_password(*args: object, **keys: object) -> dict[str, object]:
        table = original(*args, **keys)  # type: ignore[arg-type]
        if table.get("auth") == "oauth2":
            table.pop("password_env", None)
        return table  # type: ignore[return-value]

    monkeypatch.setattr("tests.integration.harness.mailbox_table", without_password)


def test_a_mailbox_with_auth_oauth2_logs_in_with_a_token_and_polls(
    inst: Installation, tokens: TokenService, app_id: str
) -> None:
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    assert inst.uids("INBOX") == []
    assert len(inst.uids("Käsitellyt")) == 1
    [issued] = tokens.tokens_for(app_id)
    assert (issued.token, True) in tokens.records.introspected  # Dovecot checked it
    assert inst.cli("verify") == 0


def test_the_server_is_asked_with_oauthbearer_when_it_offers_it(inst: Installation) -> None:
    with ImapSource(inst.app().settings.mailboxes[0]) as source:
        assert source.login_method == "AUTHENTICATE OAUTHBEARER"


def test_a_token_that_expires_mid_backlog_is_renewed_without_losing_the_batch(
    inst: Installation, tokens: TokenService, app_id: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens.lifetime_seconds = 2  # renewed when half a second is left
    configure(inst, oauth2_table(tokens, app_id), fetch_batch_bytes=1)  # moved one by one
    for n in range(8):
        inst.deliver(submission(subject=f"Jono {n}"))
    original_move = ImapSource.move

    def slow_move(
        self: ImapSource, uids: object, folder: str, *, interrupted: bool = False
    ) -> None:
        time.sleep(0.4)  # a slow server: the backlog outlasts the token
        original_move(self, uids, folder, interrupted=interrupted)  # type: ignore[arg-type]

    monkeypatch.setattr(ImapSource, "move", slow_move)
    assert inst.cli("poll") == 0
    issued = tokens.tokens_for(app_id)
    assert len(issued) >= 2  # renewed during the one cycle
    seen = {token for token, active in tokens.records.introspected if active}
    assert {i.token for i in issued} <= seen  # each one logged in with while still valid
    assert not [t for t, active in tokens.records.introspected if t in seen and not active]
    assert inst.uids("INBOX") == []
    assert len(inst.uids("Käsitellyt")) == 8
    assert inst.cli("verify") == 0


def test_a_wrong_client_secret_is_one_line_naming_the_fix_and_loses_nothing(
    inst: Installation, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(SECRET_ENV, "not-the-secret")
    inst.deliver(submission())
    assert inst.cli("poll") == 1
    err = capsys.readouterr().err
    assert "AADSTS7000215" in err and "client secret is wrong" in err and SECRET_ENV in err
    assert "not-the-secret" not in err
    assert len(inst.uids("INBOX")) == 1


@pytest.mark.parametrize(
    ("client", "oauth2", "words"),
    [
        (Client(username="", secret="s3cret", secret_expired=True), {}, "AADSTS7000222"),
        (Client(username="", secret="s3cret", roles=()), {}, "IMAP.AccessAsApp role"),
        (Client(username="", secret="s3cret"), {"tenant": "muu.example"}, "AADSTS90002"),
    ],
    ids=["secret-expired", "consent-missing", "wrong-tenant"],
)
def test_each_refusal_says_what_to_change(
    inst: Installation,
    tokens: TokenService,
    app_id: str,
    capsys: pytest.CaptureFixture[str],
    client: Client,
    oauth2: dict[str, str],
    words: str,
) -> None:
    client.username = inst.user
    tokens.register(app_id, client)
    configure(inst, oauth2_table(tokens, app_id, **oauth2))
    introspected = len(tokens.records.introspected)
    assert inst.cli("poll") == 1
    err = capsys.readouterr().err
    assert words in err
    assert {
        "AADSTS7000222": "create a new one",
        "IMAP.AccessAsApp role": "admin consent",
        "AADSTS90002": "check tenant",
    }[words] in err
    assert len(tokens.records.introspected) == introspected  # the server was never asked


def test_a_certificate_instead_of_a_secret_signs_the_request(
    inst: Installation, tokens: TokenService, app_id: str, tmp_path: Path
) -> None:
    # Entra ID takes RSA certificates (RS256/PS256 client assertions).
    rsa = trustme.KeyType.RSA
    certificate = trustme.CA(key_type=rsa).issue_cert("practice-inbox.example", key_type=rsa)
    pem = tmp_path / "app.pem"
    pem.write_bytes(certificate.private_key_pem.bytes() + certificate.cert_chain_pems[0].bytes())
    pem.chmod(0o600)
    tokens.register(
        app_id,
        Client(username=inst.user, certificate_pem=certificate.cert_chain_pems[0].bytes()),
    )
    configure(inst, oauth2_table(tokens, app_id, client_secret_env="", certificate_file=str(pem)))
    inst.deliver(submission())
    assert inst.cli("poll") == 0
    assert len(inst.uids("Käsitellyt")) == 1


def test_smtp_logs_in_with_xoauth2(
    tokens: TokenService, app_id: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    tokens.register(app_id, Client(username="avoinhallinto@vm.fi", secret="s3cret"))
    monkeypatch.setenv(SECRET_ENV, "s3cret")

    def token_check(user: str, token: str) -> bool:
        answer = tokens.introspect({"token": token})[1]
        return bool(answer["active"]) and answer["username"] == user

    with SmtpServer(tmp_path / "smtp") as smtp_server:
        smtp_server.token_check = token_check
        settings = parsed_settings(
            tmp_path,
            smtp=smtp_table(
                smtp_server, auth="oauth2", username="avoinhallinto@vm.fi", password_env=""
            ),
            oauth2=oauth2_table(tokens, app_id),
        )
        smtp: SmtpSettings = settings.smtp
        assert "logged in" in check_login(smtp)
        assert smtp_server.logins == ["avoinhallinto@vm.fi"]
        smtp_server.token_check = None
        with pytest.raises(TemporaryFailure, match=r"refused the OAuth 2\.0 token"):
            check_login(smtp)
    assert os.environ[SECRET_ENV] == "s3cret"
