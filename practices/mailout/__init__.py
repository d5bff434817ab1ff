"""Mail out: templates, composing, SMTP sending, the sent-folder copy, the digest and alerts.

Queuing is not here: a mail is queued where its event happens (`ingest.acknowledge`,
`review.notices`, the daemon's digest and alert jobs) with `store.outbox`. This package turns
queued rows into mail and sends them after commit (`sender.OutboxSender`).
"""
