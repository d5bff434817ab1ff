"""Throwaway servers and sample mail for tests, the demo and benchmarks; never used in production.

`DovecotServer` runs a real Dovecot IMAP server in its own temporary directory, `tls` makes the
certificates it serves, and `samples` builds realistic submissions in code.
"""

from devserver.dovecot import DovecotServer, DovecotStartError
from devserver.samples import photo_jpeg, sample_submissions
from devserver.tls import TlsFiles, write_tls_files

__all__ = [
    "DovecotServer",
    "DovecotStartError",
    "TlsFiles",
    "photo_jpeg",
    "sample_submissions",
    "write_tls_files",
]
