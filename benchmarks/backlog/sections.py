"""The two mailboxes the backlog benchmark times, each seeded, fetched and polled in turn.

Photo mailbox: the bare loop (plain IMAP and IMAPS, debug 0 and 5), mbsync, then our poll and a
no-op poll. Text-only mailbox: ingested in two halves, whose time per message must stay flat.
The aims are issue 6's; a row's verdict says whether this run met it.
"""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from pathlib import Path

from benchmarks.backlog.messages import (
    PHOTO_POOL_SIZE,
    PHOTO_SIZE,
    make_photo,
    photo_messages,
    text_messages,
)
from benchmarks.backlog.poll import (
    PollRun,
    noop_in_process,
    practices_poll,
    timed_subprocess,
    write_config,
)
from benchmarks.backlog.reference_clients import bare_fetch, mbsync_pull
from benchmarks.backlog.results import Results
from benchmarks.backlog.seeding import index_mailbox, seed_maildir
from benchmarks.backlog.settings import PHOTO_USER, TEXT_USER
from devserver.dovecot import DovecotServer

AIM_RATIO = 2.0
AIM_NOOP_SECONDS = 0.3
AIM_PEAK_MB = 300.0
AIM_GROWTH = 1.25


def timed(label: str, action: Callable[[], int]) -> int:
    started = time.perf_counter()
    value = action()
    print(f"  {label}: {time.perf_counter() - started:.1f} s", flush=True)
    return value


def photo_section(args: argparse.Namespace, server: DovecotServer, tmp: Path, out: Results) -> None:
    section = f"Photo mailbox ({args.count} messages, 30 % with 1-3 12 MP photos), IMAPS"
    print(f"\n{section}", flush=True)
    started = time.perf_counter()
    pool = [make_photo(seed) for seed in range(PHOTO_POOL_SIZE)]
    sizes = sorted(len(p) / 1e6 for p in pool)
    print(
        f"  photo pool: {len(pool)} base photos {PHOTO_SIZE[0]}x{PHOTO_SIZE[1]}, "
        f"{sizes[0]:.1f}-{sizes[-1]:.1f} MB, made in {time.perf_counter() - started:.1f} s"
    )
    messages = photo_messages(args.count, pool)
    total = timed(
        "seeded by writing Maildir files", lambda: seed_maildir(server, PHOTO_USER, messages, 0)
    )
    print(f"  mailbox size: {total / 1e9:.2f} GB")
    timed("Dovecot first indexing (untimed below)", lambda: index_mailbox(server, PHOTO_USER))
    budget = args.fetch_batch_bytes
    budget_mib = budget / 2**20
    out.add(section, "mailbox", f"{args.count} msgs, {total / 1e9:.2f} GB")
    out.add(section, "FETCH size budget (ours and bare)", f"{budget_mib:g} MiB")

    plain, _, _ = bare_fetch(server, PHOTO_USER, budget, tls=False, debug=0)
    out.add(section, "bare imapclient, plain IMAP, debug 0", f"{plain:.1f} s")
    bare, n_bare, fetched = bare_fetch(server, PHOTO_USER, budget, tls=True, debug=0)
    out.add(
        section,
        "bare imapclient, IMAPS, debug 0 (the limit)",
        f"{bare:.1f} s, {n_bare / bare:.1f} msg/s, {fetched / 1e6 / bare:.0f} MB/s",
    )
    subset = min(args.debug_subset, args.count)
    quiet, _, sub_bytes = bare_fetch(server, PHOTO_USER, budget, tls=True, debug=0, limit=subset)
    loud, _, _ = bare_fetch(server, PHOTO_USER, budget, tls=True, debug=None, limit=subset)
    out.add(
        section,
        f"first {subset} msgs ({sub_bytes / 1e6:.0f} MB): debug 0 / default 5",
        f"{quiet:.1f} s / {loud:.1f} s ({loud / quiet:.1f}x)",
    )
    if not args.skip_mbsync:
        seconds, files, _ = mbsync_pull(server, PHOTO_USER, tmp / "mbsync")
        out.add(
            section,
            "mbsync (isync) into a Maildir, IMAPS",
            f"{seconds:.1f} s, {files / seconds:.1f} msg/s ({files} files)",
        )

    config = write_config(tmp / "photos.toml", tmp / "photos-data", server, PHOTO_USER, budget)
    profile = tmp / "photos.pyspy" if args.profile else None
    run = practices_poll(config, tmp / "photos-poll.log", profile)
    print(f"  [{run.summary}]")
    out.add(
        section,
        "practices poll (ours, fsync on)",
        f"{run.seconds:.1f} s, {args.count / run.seconds:.1f} msg/s",
    )
    ratio = run.seconds / bare
    out.add(section, "ratio ours / bare IMAPS", f"{ratio:.2f}x", "<= 2x", ratio <= AIM_RATIO)
    cpu = run.cpu_seconds + run.helper_cpu_seconds
    out.add(
        section,
        "  CPU time: daemon + workers",
        f"{run.cpu_seconds:.1f} + {run.helper_cpu_seconds:.1f} s "
        f"({cpu / run.seconds:.2f} cores busy)",
    )
    add_memory_rows(out, section, run, "")
    if run.profile:
        print("  py-spy profile of the photo poll:\n" + run.profile, flush=True)
    noop_section(section, config, tmp, out)


def add_memory_rows(out: Results, section: str, run: PollRun, prefix: str) -> None:
    out.add(
        section,
        f"{prefix}peak memory, {run.processes} processes (sum of PSS)",
        f"{run.tree_mb:.0f} MB",
        "< 300 MB",
        run.tree_mb < AIM_PEAK_MB,
    )
    out.add(section, f"  {prefix}largest VmHWM of one process", f"{run.vmhwm_mb:.0f} MB")
    helpers = ", ".join(f"{mb:.0f}" for mb in run.other_pss_mb) or "none"
    out.add(
        section,
        f"  {prefix}largest PSS of each: daemon / helpers",
        f"{run.main_pss_mb:.0f} MB / {helpers} MB",
    )
    out.add(section, f"  {prefix}wait4 ru_maxrss (main, inherits ours)", f"{run.maxrss_mb:.0f} MB")


def noop_section(section: str, config: Path, tmp: Path, out: Results) -> float:
    first, second = noop_in_process(config)
    process = timed_subprocess([sys.executable, "-m", "practices", "--config", str(config), "poll"])
    startup = timed_subprocess(
        [sys.executable, "-c", "import practices.cli.ops, practices.cli.review"]
    )
    out.add(
        section,
        "no-op poll, in-process (warm second call)",
        f"{second:.3f} s",
        "< 0.3 s",
        second < AIM_NOOP_SECONDS,
    )
    out.add(section, "  no-op poll, in-process first call", f"{first:.3f} s")
    out.add(section, "  no-op `practices poll` as a process", f"{process:.3f} s")
    out.add(section, "  of which interpreter start-up + imports", f"{startup:.3f} s")
    return second


def text_section(args: argparse.Namespace, server: DovecotServer, tmp: Path, out: Results) -> None:
    total_count = args.text_count
    halves = (total_count // 2, total_count - total_count // 2)
    section = f"Text-only mailbox ({total_count} messages, ingested in two halves), IMAPS"
    print(f"\n{section}", flush=True)
    budget = args.fetch_batch_bytes
    config = write_config(tmp / "texts.toml", tmp / "texts-data", server, TEXT_USER, budget)
    per_message: list[float] = []
    first = 0
    for number, count in enumerate(halves, start=1):
        size = seed_maildir(server, TEXT_USER, text_messages(first, count), first)
        index_mailbox(server, TEXT_USER)
        bare, _, _ = bare_fetch(server, TEXT_USER, budget, tls=True, debug=0)
        profile = tmp / f"texts-{number}.pyspy" if args.profile else None
        run = practices_poll(config, tmp / "texts-poll.log", profile)
        first += count
        per_message.append(run.seconds / count)
        print(f"  [{run.summary}]  ({size / 1e6:.1f} MB seeded)")
        out.add(
            section,
            f"half {number}: {count} new, {first} in the store after",
            f"{1000 * run.seconds / count:.2f} ms/msg ({run.seconds:.1f} s, bare {bare:.1f} s)",
        )
        add_memory_rows(out, section, run, f"half {number}: ")
        if run.profile:
            print(f"  py-spy profile of text half {number}:\n" + run.profile, flush=True)
    growth = per_message[1] / per_message[0]
    out.add(
        section,
        "time per message, half 2 / half 1",
        f"{growth:.2f}x",
        "flat (<= 1.25x)",
        growth <= AIM_GROWTH,
    )
    noop_section(section + f", no-op at {total_count}", config, tmp, out)
