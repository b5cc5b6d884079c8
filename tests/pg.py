"""A real PostgreSQL server for the tests, and a fresh schema for each test that uses it.

CI (`.ci/run`) starts one throw-away server and names it in QUIZAPP_TEST_PG_URL. Without that
variable, a test process that needs a server starts its own (initdb into a temporary folder, a free
local port, durability off) and stops it at exit, so `pytest` alone also tests both engines where
PostgreSQL is installed. With QUIZAPP_REQUIRE_PG=1 (CI), a missing server fails the test instead of
skipping it.
"""

from __future__ import annotations

import atexit
import glob
import os
import secrets
import shutil
import socket
import subprocess
import tempfile
from pathlib import Path

import pytest

URL_ENV = "QUIZAPP_TEST_PG_URL"
REQUIRE_ENV = "QUIZAPP_REQUIRE_PG"


def _pg_bin() -> Path | None:
    for initdb in [*sorted(glob.glob("/usr/lib/postgresql/*/bin/initdb")), shutil.which("initdb")]:
        if initdb and Path(initdb).resolve().with_name("pg_ctl").exists():
            return Path(initdb).resolve().parent
    return None


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_private_server(durable: bool = False) -> str:
    """Start a server for this process; returns its URL. Raises RuntimeError if it cannot.
    `durable`: fsync and synchronous commit on, as a real server runs (benchmarks)."""
    bin_dir = _pg_bin()
    if bin_dir is None:
        raise RuntimeError("PostgreSQL's initdb is not installed")
    folder = Path(tempfile.mkdtemp(prefix="quizapp-test-pg-"))
    run_as: list[str] = []
    if os.geteuid() == 0:  # initdb refuses root
        shutil.chown(folder, "postgres")
        run_as = ["runuser", "-u", "postgres", "--"]
    port = _free_port()
    data = folder / "data"
    subprocess.run([*run_as, str(bin_dir / "initdb"), "-D", str(data), "-A", "trust", "-U", "postgres",
                    "-E", "UTF8"], check=True, capture_output=True)
    speed = "" if durable else "-c fsync=off -c synchronous_commit=off -c full_page_writes=off "
    options = f"-p {port} -k {folder} -c listen_addresses=127.0.0.1 {speed}-c max_connections=100"
    subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-l", str(folder / "log"), "-w",
                    "-o", options, "start"], check=True, capture_output=True)

    def stop() -> None:
        subprocess.run([*run_as, str(bin_dir / "pg_ctl"), "-D", str(data), "-m", "immediate", "stop"],
                       capture_output=True)
        shutil.rmtree(folder, ignore_errors=True)

    atexit.register(stop)
    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres"


def server_url() -> str:
    """The server every PostgreSQL test of this process uses (skips or fails without one)."""
    url = os.environ.get(URL_ENV)
    if url:
        return url
    why = ""
    try:
        import psycopg  # noqa: F401
    except ImportError:
        why = "psycopg is not installed (pip install -e '.[test]')"
    if not why:
        try:
            url = start_private_server()
        except (RuntimeError, OSError, subprocess.CalledProcessError) as exc:
            why = f"could not start a PostgreSQL server ({exc})"
    if why:
        if os.environ.get(REQUIRE_ENV) == "1":
            pytest.fail(f"{REQUIRE_ENV}=1 but {why}")
        pytest.skip(f"no PostgreSQL: {why}")
    os.environ[URL_ENV] = url  # child processes of this test run use the same server
    return url


def libpq_url(url: str) -> str:
    return url.replace("postgresql+psycopg://", "postgresql://", 1)


def new_schema(url: str) -> tuple[str, str]:
    """A fresh, empty schema on the server: (its name, a URL whose tables land in it)."""
    import psycopg

    name = f"t_{secrets.token_hex(6)}"
    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(f"CREATE SCHEMA {name}")
    sep = "&" if "?" in url else "?"
    return name, f"{url}{sep}options=-csearch_path%3D{name}"


def drop_schema(url: str, name: str) -> None:
    import psycopg

    with psycopg.connect(libpq_url(url), autocommit=True) as conn:
        conn.execute(f"DROP SCHEMA IF EXISTS {name} CASCADE")
