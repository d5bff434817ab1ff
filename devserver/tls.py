"""Writes a throwaway CA and a server certificate for 127.0.0.1/localhost, for test servers.

Tests must exercise real certificate verification (STYLE.md: a TLS failure is an error, never a
reason to fall back), so the dev server serves a certificate signed by a CA that only the test
process trusts. `trustme` is a dev extra; production code never imports this module.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import trustme

SERVER_NAMES = ("127.0.0.1", "localhost")


@dataclass(frozen=True)
class TlsFiles:
    """Where the PEM files were written; `ca_file` is what a client passes as its trust root."""

    ca_file: Path
    cert_file: Path
    key_file: Path


def write_tls_files(directory: Path) -> TlsFiles:
    """Create a fresh CA and a server certificate for `SERVER_NAMES` as PEM files in `directory`.

    `cert.pem` holds the full chain (server certificate first), `key.pem` the unencrypted key.
    The key is readable only by its owner because servers read it before dropping privileges.
    """
    directory.mkdir(parents=True, exist_ok=True)
    authority = trustme.CA(organization_name="practice-inbox test CA")
    server = authority.issue_cert(*SERVER_NAMES)
    files = TlsFiles(
        ca_file=directory / "ca.pem",
        cert_file=directory / "cert.pem",
        key_file=directory / "key.pem",
    )
    authority.cert_pem.write_to_path(str(files.ca_file))
    chain = b"".join(blob.bytes() for blob in server.cert_chain_pems)
    files.cert_file.write_bytes(chain)
    files.key_file.touch(mode=0o600)
    server.private_key_pem.write_to_path(str(files.key_file))
    files.key_file.chmod(0o600)
    return files
