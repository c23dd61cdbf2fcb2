"""Test-wide isolation: no test touches the user's ~/.prefect or data dir.

Prefect reads PREFECT_HOME when it is imported, so it is set here, before any test module
imports Prefect. Flow tests share one ephemeral Prefect server (`prefect_test_harness`).

Tests that use `prefect_harness` never use `capsys`: the harness sets up Prefect's console
log handler on the sys.stderr of the moment, and a per-test capture is closed after the test.
"""

import os
import tempfile

_HOME = tempfile.mkdtemp(prefix="rosterwatch-tests-")
os.environ["PREFECT_HOME"] = os.path.join(_HOME, "prefect")
os.environ["XDG_DATA_HOME"] = os.path.join(_HOME, "xdg")
os.environ["PREFECT_SERVER_ANALYTICS_ENABLED"] = "false"
# Console-script tests start Prefect's ephemeral server in child processes, sometimes two at
# once on a loaded 2-core machine; the default 20 s start-up wait is too tight there.
os.environ["PREFECT_SERVER_EPHEMERAL_STARTUP_TIMEOUT_SECONDS"] = "180"
# Test pages share one server on 127.0.0.1: no pause between fetches from it, unless a test
# of politeness asks for one.
os.environ["ROSTERWATCH_HOST_DELAY"] = "0"
os.environ.pop("ROSTERWATCH_HOST_REQUESTS", None)
os.environ.pop("ROSTERWATCH_DATA", None)
os.environ.pop("ROSTERWATCH_SOURCES", None)
os.environ.pop("PREFECT_API_URL", None)

import pytest  # noqa: E402

from tests.http_server import http_server  # noqa: E402,F401  (fixture)


@pytest.fixture(scope="session")
def prefect_harness():
    from prefect.testing.utilities import prefect_test_harness

    with prefect_test_harness(server_startup_timeout=120):
        yield
