"""Folder names from the TOML in each server's form (RFC 2342 namespaces)."""

from __future__ import annotations

import pytest

from ingest.imap_folders import FolderListing, Namespace, UnwritableName, namespace_from

DOVECOT = Namespace("", "/")
COURIER = Namespace("INBOX.", ".")


@pytest.mark.parametrize(
    ("namespace", "configured", "expected"),
    [
        (DOVECOT, "Käsitellyt", "Käsitellyt"),
        (DOVECOT, "Käsitellyt/2026", "Käsitellyt/2026"),
        (COURIER, "Käsitellyt", "INBOX.Käsitellyt"),
        (COURIER, "Käsitellyt/2026", "INBOX.Käsitellyt.2026"),
        (COURIER, "INBOX.Käsitellyt", "INBOX.Käsitellyt"),
        (COURIER, "inbox.Käsitellyt", "INBOX.Käsitellyt"),
        (COURIER, "INBOX/Käsitellyt", "INBOX.Käsitellyt"),
        (COURIER, "inbox", "INBOX"),
        (Namespace("", "."), "Käsitellyt/2026", "Käsitellyt.2026"),
    ],
)
def test_a_configured_name_becomes_the_servers_name(
    namespace: Namespace, configured: str, expected: str
) -> None:
    assert namespace.server_name(configured) == expected


def test_a_level_holding_the_servers_delimiter_is_refused_with_the_reason() -> None:
    with pytest.raises(UnwritableName, match="would become two levels"):
        COURIER.server_name("Versio 1.2")


def test_an_empty_level_is_refused() -> None:
    with pytest.raises(UnwritableName, match="empty level"):
        DOVECOT.server_name("Käsitellyt//2026")


def test_a_flat_server_takes_no_nested_names() -> None:
    with pytest.raises(UnwritableName, match="no folder hierarchy"):
        Namespace("", "").server_name("Käsitellyt/2026")


def test_the_personal_namespace_comes_from_namespace_and_the_delimiter_from_list() -> None:
    assert namespace_from((("INBOX.", "."),), ".") == COURIER
    assert namespace_from(None, "/") == DOVECOT  # a server without NAMESPACE
    assert namespace_from((("", None),), "/") == DOVECOT


def test_special_use_attributes_are_read_from_the_listing() -> None:
    listing = FolderListing.from_list(
        [((b"\\HasNoChildren", b"\\Sent"), b"/", "Lähetetyt"), ((b"\\HasChildren",), b"/", "INBOX")]
    )
    assert listing.special_use == {"\\Sent": "Lähetetyt"}
    assert listing.has("inbox") and listing.has("Lähetetyt") and not listing.has("Roskat")
