"""Command line: `anshin run | chat | validate | test-flows | graph | preview | schema | explain |
doctor | backup | restore | stats | feeds | mark`."""

from __future__ import annotations

import argparse
import asyncio
import sys
from pathlib import Path
from typing import Any

from bot.cli.flows import TESTS_DIR, load_library
from bot.cli.settings import Settings, load_settings
from bot.content.issues import Issue, errors
from bot.content.model import Library

SAMPLES = Path(__file__).parent.parent / "samples"


def _print_issues(issues: list[Issue]) -> None:
    for issue in issues:
        print(issue, file=sys.stderr)


def _library(flows: Path) -> Library | None:
    lib, issues = load_library(flows)
    if lib is None:
        _report(issues, flows)
    return lib


def _report(issues: list[Issue], flows: Path) -> None:
    _print_issues(issues)
    print(f"{len(errors(issues))} error(s) in {flows}; fix them and try again.", file=sys.stderr)


def cmd_validate(args: argparse.Namespace) -> int:
    from bot.cli.flowtests import read_tests
    from bot.cli.yamlio import load_file

    flows: Path = args.dir
    lib, issues = load_library(flows)
    tests = 0
    if lib is not None:
        for path in sorted((flows / TESTS_DIR).glob("*.y*ml")):
            data, problems = load_file(path, str(path))
            issues += problems
            if data is not None:
                tests += len(read_tests(data, str(path), lib, issues))
    _print_issues(issues)
    bad = errors(issues)
    if bad or lib is None:
        print(
            f"{len(bad)} error(s), {len(issues) - len(bad)} warning(s) in {flows}", file=sys.stderr
        )
        return 1
    steps = sum(len(w.steps) for w in lib.walkthroughs.values())
    print(
        f"ok: {len(lib.walkthroughs)} walkthroughs ({steps} steps), {len(lib.kinds)} notice kinds, "
        f"{len(lib.providers)} providers, {len(lib.drafts)} drafts, {len(lib.texts)} texts, "
        f"{tests} flow tests; {len(issues)} warning(s)"
    )
    return 0


def cmd_test_flows(args: argparse.Namespace) -> int:
    from bot.assistant.reading import read_notice
    from bot.cli.flowtests import read_tests, run_test
    from bot.cli.yamlio import load_file

    lib = _library(args.flows)
    if lib is None:
        return 1
    issues: list[Issue] = []
    results = []
    for path in sorted((args.flows / TESTS_DIR).glob("*.y*ml")):
        data, problems = load_file(path, str(path))
        issues += problems
        if data is None:
            continue
        for test in read_tests(data, str(path), lib, issues):
            if args.only and args.only not in test.name:
                continue
            results.append(run_test(lib, test, read_notice))
    _print_issues(issues)
    failed = [r for r in results if not r.ok]
    for r in failed:
        for f in r.failures:
            print(f"FAIL {f}")
    print(f"{len(results) - len(failed)} passed, {len(failed)} failed")
    return 1 if failed or errors(issues) else 0


def cmd_graph(args: argparse.Namespace) -> int:
    from bot.content.graph import mermaid

    lib = _library(args.flows)
    if lib is None:
        return 1
    w = lib.walkthroughs.get(args.walkthrough)
    if w is None:
        print(
            f"no walkthrough '{args.walkthrough}'; there are: {', '.join(lib.walkthroughs)}",
            file=sys.stderr,
        )
        return 1
    print(mermaid(w, args.lang), end="")
    return 0


def cmd_schema(args: argparse.Namespace) -> int:
    from bot.cli.schema_files import update_schemas

    return update_schemas(args.flows, check=args.check)


def cmd_preview(args: argparse.Namespace) -> int:
    from bot.cli.preview import write_preview

    lib = _library(args.flows)
    if lib is None:
        return 1
    return write_preview(lib, args.walkthrough, args.lang, args.out)


def cmd_explain(args: argparse.Namespace) -> int:
    from bot.cli.explain import run_explain

    db = _settings_with(args, report=False).db if args.lists else None
    return run_explain(args.file, args.lang, args.json, args.flows, lists=db)


def cmd_feeds(args: argparse.Namespace) -> int:
    from bot.cli.lists import run_feeds

    return run_feeds(args, _settings_with(args))


def cmd_mark(args: argparse.Namespace) -> int:
    from bot.cli.lists import run_mark

    return run_mark(args, _settings_with(args))


async def _console(settings: Settings, notice: Path | None, lang: str | None) -> int:
    from bot.cli.flows import load_flows
    from bot.cli.run import run_chat

    lib, issues = load_flows(settings.flows)
    if lib is None:
        _report(issues, settings.flows)
        return 1
    return await run_chat(settings, lib, notice, lang)


def _settings_with(args: argparse.Namespace, report: bool = True) -> Settings:
    from dataclasses import replace

    from bot.cli.logs import add_secret

    settings = load_settings()
    add_secret(settings.token)
    for problem in settings.problems if report else ():
        print(f"setting: {problem}", file=sys.stderr)
    if getattr(args, "db", None):
        settings = replace(settings, db=args.db)
    if getattr(args, "flows", None):
        settings = replace(settings, flows=args.flows)
    return settings


def cmd_chat(args: argparse.Namespace) -> int:
    settings = _settings_with(args)
    if args.notice is not None:
        try:
            with args.notice.open("rb"):
                pass
        except OSError as e:
            print(f"anshin chat: cannot read {args.notice}: {e.strerror or e}", file=sys.stderr)
            return 2
    return asyncio.run(_console(settings, args.notice, args.lang))


def cmd_run(args: argparse.Namespace) -> int:
    settings = _settings_with(args)
    if settings.token:
        from bot.cli.run import run_telegram

        return run_telegram(
            settings, webhook=args.webhook, listen=args.listen, port=args.port, watch=args.watch
        )
    print("TELEGRAM_BOT_TOKEN is not set: starting the console with a sample notice.")
    lang = settings.lang if settings.lang in ("ja", "en") else "ja"
    return asyncio.run(_console(settings, SAMPLES / f"isp_notice_{lang}.txt", lang))


def cmd_doctor(args: argparse.Namespace) -> int:
    from bot.cli.doctor import doctor

    return doctor(_settings_with(args, report=False), quiet=args.quiet, health=args.health)


def cmd_backup(args: argparse.Namespace) -> int:
    from bot.storage.backup import BackupError, backup

    settings = _settings_with(args)
    try:
        copied = backup(settings.db, args.path)
    except BackupError as e:
        print(f"backup failed: {e}", file=sys.stderr)
        return 1
    size = f"{copied.bytes:,} bytes, schema {copied.version}"
    print(f"backed up {settings.db} to {copied.path} ({size})")
    return 0


def cmd_restore(args: argparse.Namespace) -> int:
    from bot.storage.backup import BackupError, restore

    settings = _settings_with(args)
    try:
        copied = restore(args.path, settings.db)
    except BackupError as e:
        print(f"restore failed: {e}", file=sys.stderr)
        return 1
    print(
        f"restored {args.path} to {copied.path} (schema {copied.version}); the previous file, "
        f"if any, is {settings.db}.before-restore. Start the bot again."
    )
    return 0


def cmd_stats(args: argparse.Namespace) -> int:
    from bot.assistant.admin import stats_text
    from bot.storage.sqlite import SqliteStore

    settings = _settings_with(args)

    async def show() -> str:
        store = await SqliteStore.open(settings.db, synchronous=settings.synchronous)
        try:
            return stats_text(await store.stats())
        finally:
            await store.close()

    print(asyncio.run(show()))
    return 0


def build_parser() -> argparse.ArgumentParser:
    p = argparse.ArgumentParser(
        prog="anshin", description="Anshin: calm help with worrying notices."
    )
    sub = p.add_subparsers(dest="command", required=True)
    _bot_commands(sub)
    _flow_commands(sub)
    _database_commands(sub)
    return p


def _bot_commands(sub: Any) -> None:
    """Running the bot: on Telegram (or the console), or in the terminal."""
    run = sub.add_parser("run", help="start the bot (Telegram with a token, else the console)")
    run.add_argument("--webhook", metavar="URL", help="serve a webhook at URL instead of polling")
    run.add_argument("--listen", default="127.0.0.1", help="webhook listen address")
    run.add_argument("--port", type=int, default=8443, help="webhook listen port")
    run.add_argument("--watch", action="store_true", help="reload flows when their files change")
    run.add_argument("--db", type=Path, help="database file (overrides ANSHIN_DB)")
    run.add_argument("--flows", type=Path, help="flows folder (overrides ANSHIN_FLOWS)")
    run.set_defaults(func=cmd_run)

    chat = sub.add_parser("chat", help="talk to the assistant in the terminal")
    chat.add_argument("--notice", type=Path, help="start with this notice (.txt or .eml)")
    chat.add_argument("--lang", choices=("ja", "en"))
    chat.add_argument("--db", type=Path, help="database file (overrides ANSHIN_DB)")
    chat.add_argument("--flows", type=Path, help="flows folder (overrides ANSHIN_FLOWS)")
    chat.set_defaults(func=cmd_chat)


def _flow_commands(sub: Any) -> None:
    """For admins who write flows, and for reading one notice."""
    val = sub.add_parser("validate", help="check every flow file; exit 1 on any error")
    val.add_argument("dir", nargs="?", type=Path, default=Path("flows"))
    val.set_defaults(func=cmd_validate)

    tf = sub.add_parser("test-flows", help="run the conversations under flows/tests/")
    tf.add_argument("--flows", type=Path, default=Path("flows"))
    tf.add_argument("--only", help="run tests whose name contains this")
    tf.set_defaults(func=cmd_test_flows)

    graph = sub.add_parser("graph", help="print a walkthrough as a Mermaid diagram")
    graph.add_argument("walkthrough")
    graph.add_argument("--flows", type=Path, default=Path("flows"))
    graph.add_argument("--lang", choices=("ja", "en"), default="en")
    graph.set_defaults(func=cmd_graph)

    sch = sub.add_parser(
        "schema", help="write flows/schema/ and the editor line at the top of each flow file"
    )
    sch.add_argument("--flows", type=Path, default=Path("flows"))
    sch.add_argument("--check", action="store_true", help="only say what is out of date")
    sch.set_defaults(func=cmd_schema)

    pv = sub.add_parser("preview", help="write a walkthrough as one HTML page to review")
    pv.add_argument("walkthrough")
    pv.add_argument("--flows", type=Path, default=Path("flows"))
    pv.add_argument("--lang", choices=("ja", "en"), default="ja")
    pv.add_argument("--out", type=Path, help="the HTML file (default: WALKTHROUGH.html)")
    pv.set_defaults(func=cmd_preview)

    ex = sub.add_parser("explain", help="read a notice and explain it")
    ex.add_argument(
        "file",
        nargs="+",
        help="a .txt or .eml file, several, a folder of them, or - for standard input",
    )
    ex.add_argument("--lang", choices=("ja", "en"), default="ja")
    ex.add_argument(
        "--json",
        action="store_true",
        help="print JSON: one object per line, each with its file when there are several",
    )
    ex.add_argument("--flows", type=Path, default=Path("flows"))
    ex.add_argument(
        "--lists",
        action="store_true",
        help="use the database's lists of phishing addresses and marked campaigns, as the bot does",
    )
    ex.add_argument("--db", type=Path, help="the database for --lists (overrides ANSHIN_DB)")
    ex.set_defaults(func=cmd_explain)


def _database_commands(sub: Any) -> None:
    """Looking after a running bot: its health, its database, its numbers."""
    doc = sub.add_parser("doctor", help="check settings, database and flows")
    doc.add_argument("--quiet", action="store_true", help="print only problems")
    doc.add_argument(
        "--health",
        action="store_true",
        help="quick checks only (no integrity scan), for health checks",
    )
    doc.add_argument("--db", type=Path, help="database file (overrides ANSHIN_DB)")
    doc.add_argument("--flows", type=Path, help="flows folder (overrides ANSHIN_FLOWS)")
    doc.set_defaults(func=cmd_doctor)

    bak = sub.add_parser("backup", help="copy the database while the bot runs")
    bak.add_argument("path", type=Path, help="where to write the copy (a new file)")
    bak.add_argument("--db", type=Path, help="database file (overrides ANSHIN_DB)")
    bak.set_defaults(func=cmd_backup)

    res = sub.add_parser("restore", help="put a backup in place (stop the bot first)")
    res.add_argument("path", type=Path, help="the backup file")
    res.add_argument("--db", type=Path, help="database file (overrides ANSHIN_DB)")
    res.set_defaults(func=cmd_restore)

    st = sub.add_parser("stats", help="people, open incidents by kind, unknown notices, lists")
    st.add_argument("--db", type=Path, help="database file (overrides ANSHIN_DB)")
    st.set_defaults(func=cmd_stats)

    from bot.cli.lists import add_parsers

    add_parsers(sub)
    sub.choices["feeds"].set_defaults(func=cmd_feeds)
    sub.choices["mark"].set_defaults(func=cmd_mark)


def main(argv: list[str] | None = None) -> int:
    args = build_parser().parse_args(argv)
    code: int = args.func(args)
    return code
