"""The admin's lists from the command line: import, show and check lists of phishing addresses,
and mark a notice's campaign as phishing or genuine (its fingerprint is kept, never its text)."""

from __future__ import annotations

import argparse
import sys
from datetime import UTC, datetime
from pathlib import Path

from bot.cli.feeds import day_of, file_day, read_feed, report_problems, source_name
from bot.cli.flows import load_library
from bot.cli.settings import Settings
from bot.notices import Analysis, analyse
from bot.notices.domains import host_of
from bot.notices.fingerprint import SAME_CAMPAIGN, Fingerprint
from bot.notices.known import url_key
from bot.storage import lists
from bot.storage.times import iso


def run_feeds(args: argparse.Namespace, settings: Settings) -> int:
    action = args.feeds_command
    if action == "import":
        return feeds_import(settings, args.file, args.source, args.replace, args.date)
    if action == "remove":
        return feeds_remove(settings, args.source)
    if action == "check":
        return feeds_check(settings, args.url)
    return feeds_list(settings, totals_only=action == "stats")


def feeds_import(
    settings: Settings, path: Path, source: str | None, replace: bool, day: str | None
) -> int:
    name = source_name(source if source is not None else path.stem)
    if name is None:
        print(
            f"anshin feeds import: {source or path.stem!r} cannot name a list; give "
            "--source NAME (letters, digits, '_', '-' or '.', up to 40)",
            file=sys.stderr,
        )
        return 2
    dated = day_of(day) if day else ""
    if day and not dated:
        print(
            f"anshin feeds import: --date {day!r} is not a day; write YYYY-MM-DD", file=sys.stderr
        )
        return 2
    try:
        feed = read_feed(path, dated or file_day(path))
    except OSError as e:
        print(f"anshin feeds import: cannot read {path}: {e.strerror or e}", file=sys.stderr)
        return 2
    report_problems(feed.problems)
    if not feed.entries:
        print(f"anshin feeds import: no web addresses in {path}; nothing imported", file=sys.stderr)
        return 1
    now = iso(datetime.now(UTC))
    with lists.open_lists(settings.db, settings.synchronous) as db:
        done = lists.import_feed(db, name, feed.entries, now, replace=replace)
    whole = sum(1 for e in feed.entries if e.whole_host)
    dropped = f", {done.dropped:,} dropped" if replace else ""
    print(
        f"read {done.read:,} addresses ({feed.shape}, {whole:,} naming a whole site) from {path}; "
        f"list '{name}' now holds {done.total:,}: {done.new:,} new{dropped}; "
        f"{len(feed.problems):,} lines skipped"
    )
    return 0


def feeds_list(settings: Settings, totals_only: bool = False) -> int:
    with lists.open_lists(settings.db, settings.synchronous) as db:
        sources = lists.feed_sources(db)
        counts = lists.counts(db)
        hosts = db.execute("SELECT count(DISTINCT host) FROM feed_entries").fetchone()[0]
    if not totals_only:
        if not sources:
            print("no lists imported yet: anshin feeds import FILE --source NAME")
        for s in sources:
            newest = s.newest or "no dates"
            print(
                f"{s.source}: {s.entries:,} entries ({s.whole_hosts:,} whole sites), newest "
                f"report {newest}, imported {s.imported[:19].replace('T', ' ')} UTC"
            )
    print(
        f"known phishing addresses: {counts.feed_entries:,} in {counts.feed_sources} list(s), "
        f"on {hosts:,} sites; marked campaigns: {counts.marks_phishing} phishing, "
        f"{counts.marks_genuine} genuine"
    )
    return 0


def feeds_remove(settings: Settings, source: str) -> int:
    with lists.open_lists(settings.db, settings.synchronous) as db:
        removed = lists.remove_feed(db, source)
    print(f"removed {removed:,} entries of list '{source}'")
    return 0 if removed else 1


def feeds_check(settings: Settings, url: str) -> int:
    """Whether the lists hold an address, or its site: 0 when they do, 1 when not."""
    key, host = url_key(url), host_of(url)
    if not key:
        print(f"anshin feeds check: {url!r} is not a web address", file=sys.stderr)
        return 2
    with lists.open_lists(settings.db, settings.synchronous) as db:
        found = lists.find_listed(db, [key], [host])
    for row in found:
        how = (
            "this address"
            if row.key == key
            else "the whole site"
            if row.whole_host
            else "another page of the site"
        )
        print(f"{row.source}: {how} ({row.host}), reported {row.reported or 'with no date'}")
    if not found:
        print(f"not on any list: {key}")
    return 0 if found else 1


def run_mark(args: argparse.Namespace, settings: Settings) -> int:
    if args.list:
        return marks_list(settings)
    if args.remove is not None:
        with lists.open_lists(settings.db, settings.synchronous) as db:
            gone = lists.remove_mark(db, args.remove)
        print(f"mark {args.remove} removed" if gone else f"there is no mark {args.remove}")
        return 0 if gone else 1
    if args.file is None or args.verdict is None:
        print(
            "anshin mark: give FILE and phishing or genuine (or --list, --remove ID)",
            file=sys.stderr,
        )
        return 2
    return mark_file(settings, Path(args.file), args.verdict, args.flows)


def mark_file(settings: Settings, path: Path, verdict: str, flows: Path) -> int:
    lib, issues = load_library(flows)
    if lib is None:
        for issue in issues:
            print(issue, file=sys.stderr)
        return 2
    try:
        raw = path.read_bytes() if str(path) != "-" else sys.stdin.buffer.read()
    except OSError as e:
        print(f"anshin mark: cannot read {path}: {e.strerror or e}", file=sys.stderr)
        return 2
    result = analyse(lib, raw, filename=path.name)
    if not isinstance(result, Analysis):
        print(f"anshin mark: {path}: {result.message.get('en')}", file=sys.stderr)
        return 1
    if not result.fingerprint:
        print(
            f"anshin mark: {path} has too few words to recognise its copies; mark a notice "
            "with at least a sentence or two of text",
            file=sys.stderr,
        )
        return 1
    hashes = Fingerprint.from_hex(result.fingerprint).hashes
    now = iso(datetime.now(UTC))
    with lists.open_lists(settings.db, settings.synchronous) as db:
        mark = lists.add_mark(db, verdict, result.fingerprint, hashes, now, "cli")
    print(
        f"marked {path} as {verdict} (mark {mark}): notices sharing about "
        f"{SAME_CAMPAIGN:.0%} or more of its wording will say so. No text was kept."
    )
    return 0


def marks_list(settings: Settings) -> int:
    with lists.open_lists(settings.db, settings.synchronous) as db:
        marks = lists.list_marks(db)
    for m in marks:
        print(f"{m.id}: {m.verdict}, marked {m.marked[:19].replace('T', ' ')} UTC by {m.marked_by}")
    if not marks:
        print("no marks yet: anshin mark FILE phishing|genuine, or /mark in Telegram")
    return 0


def add_parsers(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    """`feeds` and `mark`; their handlers are set by the caller (they need the settings)."""
    feeds = sub.add_parser("feeds", help="lists of known phishing addresses: import, list, check")
    feeds.add_argument("--db", type=Path, help="database file (overrides ANSHIN_DB)")
    acts = feeds.add_subparsers(dest="feeds_command", required=True)
    imp = acts.add_parser("import", help="read a list (CSV with a URL column, or one URL a line)")
    imp.add_argument("file", type=Path)
    imp.add_argument("--source", help="the list's name, shown in reasons (default: file name)")
    imp.add_argument("--replace", action="store_true", help="drop the list's entries not in FILE")
    imp.add_argument("--date", help="report date for a list without dates (default: file's day)")
    acts.add_parser("list", help="the lists imported, with their sizes and dates")
    acts.add_parser("stats", help="how many addresses and marks there are")
    rm = acts.add_parser("remove", help="delete one list's entries")
    rm.add_argument("source")
    chk = acts.add_parser("check", help="whether an address or its site is on a list")
    chk.add_argument("url")

    mark = sub.add_parser("mark", help="mark a notice's campaign as phishing or genuine")
    mark.add_argument("file", nargs="?", help="a .eml or .txt notice (or - for standard input)")
    mark.add_argument("verdict", nargs="?", choices=lists.VERDICTS)
    mark.add_argument("--list", action="store_true", help="show the marks")
    mark.add_argument("--remove", type=int, metavar="ID", help="delete a mark")
    mark.add_argument("--flows", type=Path, default=Path("flows"))
    mark.add_argument("--db", type=Path, help="database file (overrides ANSHIN_DB)")
