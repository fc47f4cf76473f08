"""The reader's lists in flows/reader: loaded into the library, each entry sourced, and every
mistake reported with its file and line."""

from __future__ import annotations

from pathlib import Path

from bot.cli.flows import load_library
from bot.content.model import Library

FLOWS = Path(__file__).resolve().parents[2] / "flows"


def test_the_shipped_lists_are_loaded_with_their_sources(lib: Library) -> None:
    lists = lib.reader
    assert {r.id for r in lists.receivers} >= {"gmail", "microsoft"}
    assert any(h.domain == "storage.googleapis.com" for h in lists.shared_hosts)
    assert any(h.domain == "bit.ly" for h in lists.shorteners)
    assert any(h.domain == "sendgrid.net" for h in lists.trackers)
    assert "top" in lists.cheap_tlds
    for entry in (*lists.receivers, *lists.shared_hosts, *lists.shorteners, *lists.trackers):
        assert entry.source.startswith("https://"), entry


def copy_flows(tmp_path: Path, extra: str) -> Path:
    root = tmp_path / "flows"
    for path in FLOWS.rglob("*.yaml"):
        target = root / path.relative_to(FLOWS)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_text(path.read_text(encoding="utf-8"), encoding="utf-8")
    (root / "reader" / "local.yaml").write_text(extra, encoding="utf-8")
    return root


def test_an_admin_adds_a_receiving_service_and_a_shared_host(tmp_path: Path) -> None:
    root = copy_flows(
        tmp_path,
        "reader:\n"
        "  receivers:\n"
        "    - id: small-isp\n"
        "      name: Small ISP\n"
        "      authserv_ids: [mx.small-isp.example]\n"
        "      hosts: [small-isp.example]\n"
        "      source: https://small-isp.example/help/headers\n"
        "  shared_hosts:\n"
        "    - {domain: pages.small-isp.example, what: free_hosting, name: Small ISP pages,"
        " source: https://small-isp.example/pages}\n",
    )
    lib, issues = load_library(root)
    assert lib is not None, issues
    assert any(r.id == "small-isp" for r in lib.reader.receivers)
    assert any(h.domain == "pages.small-isp.example" for h in lib.reader.shared_hosts)


def test_mistakes_are_reported_with_file_line_and_fix(tmp_path: Path) -> None:
    root = copy_flows(
        tmp_path,
        "reader:\n"
        "  shared_hosts:\n"
        "    - {domain: 'not a domain', what: free_hosting, name: X, source: https://x.example/}\n"
        "    - {domain: y.example, what: hosting, name: Y, source: https://y.example/}\n"
        "    - {domain: z.example, what: free_hosting, name: Z, source: http://z.example/}\n"
        "    - {domain: bit.ly, what: free_hosting, name: Bitly, source: https://bitly.com/}\n"
        "    - {domain: bit.ly, what: free_hosting, name: Bitly, source: https://bitly.com/}\n"
        "  receivers:\n"
        "    - {id: nothing, name: Nothing, source: https://n.example/}\n",
    )
    lib, issues = load_library(root)
    assert lib is None
    mine = [i for i in issues if i.file.endswith("reader/local.yaml")]
    said = "\n".join(str(i) for i in mine)
    assert "'not a domain' is not a domain name" in said
    assert "unknown kind 'hosting'" in said
    assert "https://" in said
    assert "listed twice" in said
    assert "names no authserv_ids" in said
    assert all(i.line > 0 for i in mine), said


def test_every_reason_the_reader_gives_has_its_words_in_both_languages(lib: Library) -> None:
    import re

    source = "\n".join(
        p.read_text(encoding="utf-8")
        for p in (Path(__file__).resolve().parents[2] / "bot" / "notices").glob("*.py")
    )
    codes = set(re.findall(r"\br\.add\(\s*\"([a-z_]+)\"", source))
    assert len(codes) > 40
    missing = sorted(c for c in codes if f"reason_{c}" not in lib.texts)
    assert not missing, missing
    for code in codes:
        assert set(lib.texts[f"reason_{code}"].by_lang) == {"ja", "en"}, code


def test_the_lure_lists_name_providers_and_kinds_that_exist(lib: Library) -> None:
    assert {s.kind for s in lib.reader.scam_kinds} >= {"sextortion", "advance_fee"}
    assert any(s.provider == "smbc_card" and "sms" in s.by for s in lib.reader.link_senders)
    for s in (*lib.reader.scam_kinds, *lib.reader.link_senders):
        assert s.source.startswith("https://"), s
    for sender in lib.reader.link_senders:
        assert sender.provider in lib.providers
    for scam in lib.reader.scam_kinds:
        assert scam.kind in lib.kinds


def test_an_unknown_provider_or_kind_in_the_lure_lists_is_reported(tmp_path: Path) -> None:
    root = copy_flows(
        tmp_path,
        "reader:\n"
        "  link_senders:\n"
        "    - {provider: smbc_kard, by: [sms], source: https://x.example/}\n"
        "    - {provider: jcb, by: [fax], source: https://x.example/}\n"
        "  scam_kinds:\n"
        "    - {kind: sextortio, source: https://x.example/}\n",
    )
    lib, issues = load_library(root)
    assert lib is None
    said = "\n".join(str(i) for i in issues if i.file.endswith("reader/local.yaml"))
    assert "unknown provider 'smbc_kard'" in said and "did you mean 'smbc_card'" in said
    assert "unknown channel 'fax'" in said
    assert "unknown kind 'sextortio'" in said
    assert all(i.line > 0 for i in issues if i.file.endswith("reader/local.yaml"))
