"""A throwaway PostgreSQL server for the tests of the index on PostgreSQL.

`pg_url` gives each test its own empty database. The server is the one named by
ROSTERWATCH_TEST_PG_URL (an admin URL), else one this module starts for the session from
the installed binaries (initdb + pg_ctl, as the `postgres` user when run as root) in a
temporary directory on a free port of 127.0.0.1, and stops afterwards. Where neither works
the tests are skipped and say why; `.ci/run` installs PostgreSQL so that CI runs them.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import uuid

import pytest


def _binary(name: str) -> str | None:
    found = sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), key=lambda p: int(p.split("/")[4]))
    return found[-1] if found else shutil.which(name)


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def start_server():
    """(admin URL, stop function) of a fresh server, or a reason why none can be started."""
    initdb, pg_ctl = _binary("initdb"), _binary("pg_ctl")
    if not (initdb and pg_ctl):
        return "PostgreSQL is not installed (apt-get install postgresql) and ROSTERWATCH_TEST_PG_URL is not set"
    run_as: list[str] = []
    home = tempfile.mkdtemp(prefix="rosterwatch-pg-")
    if os.geteuid() == 0:
        try:
            user = pwd.getpwnam("postgres")
        except KeyError:
            return "running as root and there is no 'postgres' user to run PostgreSQL as"
        os.chown(home, user.pw_uid, user.pw_gid)
        run_as = ["runuser", "-u", "postgres", "--"]
    data, port = os.path.join(home, "data"), _free_port()
    try:
        subprocess.run(
            [*run_as, initdb, "-D", data, "-A", "trust", "-U", "postgres", "-E", "UTF8", "--locale=C", "--no-sync"],
            check=True, capture_output=True, timeout=120,
        )
        options = f"-c listen_addresses=127.0.0.1 -p {port} -k {home} -F"
        subprocess.run(
            [*run_as, pg_ctl, "-D", data, "-o", options, "-l", os.path.join(home, "log"), "-w", "-t", "60", "start"],
            check=True, capture_output=True, timeout=90,
        )
    except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
        detail = getattr(exc, "stderr", b"") or b""
        shutil.rmtree(home, ignore_errors=True)
        return f"could not start PostgreSQL: {exc} {detail.decode(errors='replace').strip()[:200]}"

    def stop() -> None:
        subprocess.run([*run_as, pg_ctl, "-D", data, "-m", "immediate", "stop"], capture_output=True, timeout=60)
        shutil.rmtree(home, ignore_errors=True)

    return f"postgresql+psycopg://postgres@127.0.0.1:{port}/postgres", stop


@pytest.fixture(scope="session")
def pg_server():
    given = os.environ.get("ROSTERWATCH_TEST_PG_URL")
    if given:
        yield given
        return
    started = start_server()
    if isinstance(started, str):
        pytest.skip(started)
    url, stop = started
    try:
        yield url
    finally:
        stop()


@pytest.fixture
def pg_url(pg_server):
    """A SQLAlchemy URL of a new, empty database, dropped after the test."""
    import psycopg
    from sqlalchemy.engine import make_url

    admin = make_url(pg_server)
    name = f"rosterwatch_{uuid.uuid4().hex[:12]}"
    conninfo = admin.set(drivername="postgresql").render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    yield admin.set(database=name).render_as_string(hide_password=False)
    with psycopg.connect(conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')
