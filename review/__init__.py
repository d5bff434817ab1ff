"""Editorial review of drafts: the operations, renderings, exports and retention editors rely on.

`review.operations` is the one place that changes a draft on an editor's behalf; the command line
(`practices review ...`) and any later web console both call it, so rules such as "approval needs
a theme" and the audit trail cannot differ between the two.
"""
