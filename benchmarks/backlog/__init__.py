"""The parts of scripts/bench_backlog (issue 6), which only parses its options and runs them.

messages: the submissions and photos it generates; seeding: Maildir files Dovecot indexes;
reference_clients: the bare imapclient loop and mbsync it compares against; poll, memory and
profiling: running `practices poll` and measuring its process tree; results and sections: what
is timed in each mailbox and the table printed at the end.
"""
