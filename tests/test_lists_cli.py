"""`anshin feeds` and `anshin mark` on real files: lists written here in the two shapes the
importer reads, imported into a real database, then used by `anshin explain` as the bot does."""

from __future__ import annotations

import json
import sqlite3
from contextlib import closing
from pathlib import Path

import pytest

from bot.cli.main import main

ROOT = Path(__file__).resolve().parent.parent
FLOWS = ROOT / "flows"

# The JPCERT/CC phishurl-list shape: date,URL,description (the brand imitated).
CSV_LIST = """\
date,URL,description
2025/10/01 09:12:44,https://kuroneko-redeliver.example-hold.top/,ヤマト運輸
2025/10/02 18:40:02,https://sign-in.card-check.example/acc/verify,Card company
 ,https://no-date.example/,Bank
2025/10/03 07:00:00,not an address,Shop
"""
# The OpenPhish shape: one address a line, here with a comment, a defanged one and a blank line.
TEXT_LIST = """\
# downloaded by the timer
https://pay-fee.parcel-depot.example/track/88

hxxps://login-check[.]example/portal
"""
PARCEL = """\
Your parcel is held at our depot. Pay the redelivery fee today to choose a new time:
https://pay-fee.parcel-depot.example/track/88
"""
CARD = """\
Your card was used for an unusual payment. Please confirm it was you within 24 hours:
https://sign-in.card-check.example/acc/verify
"""
CAMPAIGN = """\
Dear customer, we could not collect the monthly fee for your mobile line because the card on
file was declined. To avoid the line being stopped, update your payment details through the
member page within three days. If you have already paid, please disregard this message.
https://mobile-fee.example/pay/1
"""
REWORDED = """\
Dear customer, we were unable to collect the monthly charge for your mobile line because the
card on file was declined. To keep the line from being stopped, update your payment details on
the member page within three days. If you already paid, please ignore this message.
https://line-charge.example/u/7
"""


@pytest.fixture
def db(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    path = tmp_path / "anshin.db"
    monkeypatch.setenv("ANSHIN_DB", str(path))
    monkeypatch.delenv("ANSHIN_CONFIG", raising=False)
    return path


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def explain_json(capsys: pytest.CaptureFixture[str], path: Path, *extra: str) -> dict[str, object]:
    capsys.readouterr()
    assert (
        main(["explain", str(path), "--json", "--lang", "en", "--flows", str(FLOWS), *extra]) == 0
    )
    record: dict[str, object] = json.loads(capsys.readouterr().out)
    return record


def reasons(record: dict[str, object]) -> dict[str, str]:
    found = record["reasons"]
    assert isinstance(found, list)
    return {r["code"]: r["text"] for r in found}


def test_a_csv_list_imports_once_and_a_listed_link_is_named_in_the_verdict(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = write(tmp_path, "phishurl-list.csv", CSV_LIST)
    assert main(["feeds", "import", str(listing), "--source", "jpcert"]) == 0
    out = capsys.readouterr()
    assert "read 3 addresses (csv, 2 naming a whole site)" in out.out
    assert "now holds 3: 3 new" in out.out
    assert f"{listing}:5: 'not an address' is not a web address" in out.err
    assert main(["feeds", "import", str(listing), "--source", "jpcert"]) == 0
    assert "now holds 3: 0 new" in capsys.readouterr().out

    card = write(tmp_path, "card.txt", CARD)
    # Without --lists the verdict rests on the notice alone (its lure's shape may already make it
    # likely phishing); the list is named only when it is consulted.
    assert "listed_url" not in reasons(explain_json(capsys, card))
    record = explain_json(capsys, card, "--lists")
    assert record["verdict"] == "likely_phishing"
    said = reasons(record)["listed_url"]
    assert "reported as phishing on 2025-10-02" in said and "list: jpcert" in said


def test_a_plain_list_is_dated_by_its_download_and_reads_defanged_addresses(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    listing = write(tmp_path, "feed.txt", TEXT_LIST)
    assert (
        main(["feeds", "import", str(listing), "--source", "openphish", "--date", "2026-01-15"])
        == 0
    )
    assert "read 2 addresses (text" in capsys.readouterr().out
    assert main(["feeds", "check", "https://login-check.example/portal"]) == 0
    assert "openphish: this address" in capsys.readouterr().out
    assert main(["feeds", "check", "https://elsewhere.example/"]) == 1
    parcel = write(tmp_path, "parcel.txt", PARCEL)
    said = reasons(explain_json(capsys, parcel, "--lists"))["listed_url"]
    assert "2026-01-15" in said and "openphish" in said


def test_feeds_list_stats_and_anshin_stats_count_lists_and_marks(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    main(["feeds", "import", str(write(tmp_path, "a.csv", CSV_LIST)), "--source", "jpcert"])
    main(["feeds", "import", str(write(tmp_path, "b.txt", TEXT_LIST)), "--source", "openphish"])
    main(["mark", str(write(tmp_path, "c.txt", CAMPAIGN)), "phishing", "--flows", str(FLOWS)])
    capsys.readouterr()
    assert main(["feeds", "list"]) == 0
    listed = capsys.readouterr().out
    assert "jpcert: 3 entries (2 whole sites), newest report 2025-10-02" in listed
    assert "openphish: 2 entries" in listed
    assert main(["feeds", "stats"]) == 0
    assert "5 in 2 list(s)" in capsys.readouterr().out
    assert main(["stats"]) == 0
    stats = capsys.readouterr().out
    assert "known phishing addresses: 5 in 2 list(s)" in stats
    assert "marked campaigns: 1 phishing, 0 genuine" in stats
    assert main(["feeds", "remove", "openphish"]) == 0


def test_a_marked_campaigns_reworded_copy_is_recognised_and_no_text_is_kept(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    first = write(tmp_path, "first.txt", CAMPAIGN)
    assert main(["mark", str(first), "phishing", "--flows", str(FLOWS)]) == 0
    assert "marked" in capsys.readouterr().out
    record = explain_json(capsys, write(tmp_path, "again.txt", REWORDED), "--lists")
    assert record["verdict"] == "likely_phishing"
    assert "marked as phishing on" in reasons(record)["marked_phishing"]
    with closing(sqlite3.connect(db)) as conn:
        conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
    for name in (db.name, db.name + "-wal"):
        data = (tmp_path / name).read_bytes() if (tmp_path / name).exists() else b""
        assert b"declined" not in data and b"member page" not in data
    assert main(["mark", "--list"]) == 0
    assert "1: phishing" in capsys.readouterr().out
    assert main(["mark", "--remove", "1"]) == 0
    assert "marked_phishing" not in reasons(explain_json(capsys, tmp_path / "again.txt", "--lists"))


def test_bad_input_to_the_list_commands_gets_a_clear_answer(
    tmp_path: Path, db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    binary = tmp_path / "list.bin"
    binary.write_bytes(b"\x00\x01\x02PK\x03\x04")
    assert main(["feeds", "import", str(binary), "--source", "x"]) == 1
    assert "not a text file" in capsys.readouterr().err
    assert main(["feeds", "import", str(tmp_path / "missing.txt")]) == 2
    assert "cannot read" in capsys.readouterr().err
    assert (
        main(["feeds", "import", str(write(tmp_path, "x.txt", TEXT_LIST)), "--source", "B A D"])
        == 2
    )
    assert "cannot name a list" in capsys.readouterr().err
    assert main(["mark", str(write(tmp_path, "short.txt", "hi there")), "genuine"]) == 1
    assert "too few words" in capsys.readouterr().err
    assert main(["mark"]) == 2
