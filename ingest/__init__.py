"""Mail in, drafts out: IMAP source, MIME parsing, understanding, photos and review rules."""
