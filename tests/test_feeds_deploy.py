"""deploy/feeds: the script that downloads and imports the admin's lists, run for real against a
local HTTPS server with a certificate made for the test; the systemd units verified."""

from __future__ import annotations

import http.server
import os
import shutil
import ssl
import subprocess
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
FEEDS = ROOT / "deploy" / "feeds"
ANSHIN = Path(sys.executable).parent / "anshin"
LIST = b"https://pay-fee.parcel-depot.example/track/88\nhxxps://login-check[.]example/portal\n"


@pytest.fixture
def https_server(tmp_path: Path) -> Iterator[tuple[str, Path]]:
    """A local HTTPS server for tmp_path/www, and the certificate that curl must trust."""
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.skip("openssl is not installed")
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1",
         "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
         "-keyout", str(key), "-out", str(cert)],
        check=True, capture_output=True,
    )  # fmt: skip
    www = tmp_path / "www"
    www.mkdir()

    class Quiet(http.server.SimpleHTTPRequestHandler):
        def __init__(self, *a: object, **k: object) -> None:
            super().__init__(*a, directory=str(www), **k)  # type: ignore[arg-type]

        def log_message(self, *args: object) -> None:
            pass

    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Quiet)
    context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
    context.load_cert_chain(cert, key)
    server.socket = context.wrap_socket(server.socket, server_side=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"https://127.0.0.1:{server.server_address[1]}", cert
    finally:
        server.shutdown()
        server.server_close()
        thread.join()


def run_script(conf: Path, db: Path, cert: Path | None = None) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "ANSHIN": str(ANSHIN), "ANSHIN_DB": str(db)}
    if cert is not None:
        env["CURL_CA_BUNDLE"] = str(cert)
    return subprocess.run(
        ["sh", str(FEEDS / "anshin-feeds.sh"), str(conf)],
        capture_output=True, text=True, env=env, timeout=120, check=False,
    )  # fmt: skip


def test_the_example_configuration_fetches_nothing(tmp_path: Path) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    done = run_script(FEEDS / "feeds.conf.example", tmp_path / "anshin.db")
    assert done.returncode == 0, done.stderr
    assert done.stdout == "" and not (tmp_path / "anshin.db").exists()


def test_the_script_downloads_imports_and_keeps_old_entries_when_a_download_fails(
    tmp_path: Path, https_server: tuple[str, Path]
) -> None:
    if shutil.which("curl") is None:
        pytest.skip("curl is not installed")
    base, cert = https_server
    (tmp_path / "www" / "feed.txt").write_bytes(LIST)
    conf = tmp_path / "feeds.conf"
    db = tmp_path / "anshin.db"
    conf.write_text(f"# a comment\nopenphish  {base}/feed.txt  replace\n", encoding="utf-8")
    done = run_script(conf, db, cert)
    assert done.returncode == 0, done.stderr
    assert "list 'openphish' now holds 2" in done.stdout

    conf.write_text(
        f"openphish  {base}/gone.txt  replace\nplain  http://127.0.0.1:9/feed.txt\n",
        encoding="utf-8",
    )
    failed = run_script(conf, db, cert)
    assert failed.returncode == 1
    assert "could not download openphish" in failed.stderr
    assert "could not download plain" in failed.stderr  # HTTPS only
    check = subprocess.run(
        [str(ANSHIN), "feeds", "check", "https://login-check.example/portal"],
        capture_output=True, text=True, env={**os.environ, "ANSHIN_DB": str(db)}, check=False,
    )  # fmt: skip
    assert check.returncode == 0 and "openphish" in check.stdout


def test_the_feeds_units_verify(tmp_path: Path) -> None:
    analyze = shutil.which("systemd-analyze")
    if analyze is None:
        pytest.skip("systemd-analyze is not installed")
    script = tmp_path / "deploy" / "feeds" / "anshin-feeds.sh"
    script.parent.mkdir(parents=True)
    shutil.copy(FEEDS / "anshin-feeds.sh", script)
    for unit in ("anshin-feeds.service", "anshin-feeds.timer"):
        text = (FEEDS / unit).read_text(encoding="utf-8").replace("/opt/anshin", str(tmp_path))
        (tmp_path / unit).write_text(text, encoding="utf-8")
    units = [str(tmp_path / "anshin-feeds.service"), str(tmp_path / "anshin-feeds.timer")]
    done = subprocess.run([analyze, "verify", *units], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stdout + done.stderr
