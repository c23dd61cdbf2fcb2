"""Politeness per host, across every process of a run: at most N fetches at a time from one
host, and at least D seconds between the starts of two of them.

A fetch of a source (robots.txt, the page, its redirects and retries) holds its host's slot
from its first request to its last, so "at a time" counts requests too. Where the slot is kept
depends on who runs the stages:

- `PrefectHosts`: Prefect global concurrency limits named after the host, one for fetches at
  once and one with slot decay for the pause. Every worker of a work pool, on any machine,
  asks the same Prefect server, so the limits hold across all of them; nothing sleeps in a
  process hoping the others do the same. A run creates (or corrects) the limits of its hosts
  before it fetches; they are visible and adjustable in the Prefect UI (Concurrency).
- `LocalHosts`: a run in the command's own process (no Prefect API): a semaphore and a clock
  per host, which is all the process that fetches needs.

Host means the host name of the source's URL (any port): two ports of one server are one host.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterable, Iterator
from contextlib import contextmanager

from flows.config import Politeness

LIMIT_PREFIX = "rosterwatch-host:"  # fetches at once from the host
DELAY_PREFIX = "rosterwatch-host-delay:"  # a slot that decays over the pause


def limit_names(host: str) -> tuple[str, str]:
    """The two Prefect global concurrency limits of a host: fetches at once, and the pause."""
    return LIMIT_PREFIX + host, DELAY_PREFIX + host


class LocalHosts:
    """Politeness within one process: a semaphore and the next allowed start per host."""

    def __init__(self, politeness: Politeness):
        self.politeness = politeness
        self._lock = threading.Lock()
        self._slots: dict[str, threading.Semaphore] = {}
        self._next_start: dict[str, float] = {}

    def prepare(self, hosts: Iterable[str]) -> None:
        """Nothing to set up beforehand: a host's semaphore is made on first use."""

    def close(self) -> None:
        """Nothing to let go of."""

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        with self._lock:
            slots = self._slots.setdefault(host, threading.Semaphore(self.politeness.requests_per_host))
        with slots:
            with self._lock:
                now = time.monotonic()
                start = max(now, self._next_start.get(host, now))
                self._next_start[host] = start + self.politeness.delay
            time.sleep(start - now)
            yield


class PrefectHosts:
    """Politeness across every worker: Prefect global concurrency limits keyed by host.

    The limits are asked for through the client's own calls (increment with a lease, rate-limit
    increment, release), one request each, on one connection for the run: Prefect's
    `concurrency()` helper also renews each lease at once on a thread of its own, opens a new
    client (and TLS context) to release, and emits events for both, which cost more CPU than
    the fetch. The lease outlives any fetch (its deadline) and frees the slot on the server if
    the process dies holding it.
    """

    def __init__(self, politeness: Politeness, fetch_deadline: float):
        from prefect.client.orchestration import get_client

        self.politeness = politeness
        self.lease_seconds = 2 * fetch_deadline + 60  # a fetch, and a wait for the pause, end well before

        self._client = get_client(sync_client=True)
        self._client.__enter__()
        self._held: set = set()  # leases of the slots this run holds now
        self._held_lock = threading.Lock()
        self._closed = False

    def close(self) -> None:
        """Give back every slot still held (a run ended by Ctrl-C leaves fetches in flight), then
        let go of the connection; a second call does nothing. Without it an interrupted run
        would keep its hosts closed to every worker until the leases ran out."""
        with self._held_lock:
            if self._closed:
                return
            self._closed = True
            held, self._held = self._held, set()
        try:
            for lease in held:
                self._client.release_concurrency_slots_with_lease(lease)
        finally:
            self._client.__exit__(None, None, None)

    def prepare(self, hosts: Iterable[str]) -> None:
        """Create each host's limits, or set them to this run's politeness where they differ."""
        from prefect.client.schemas.actions import GlobalConcurrencyLimitCreate, GlobalConcurrencyLimitUpdate
        from prefect.exceptions import ObjectAlreadyExists

        wanted: dict[str, tuple[int, float]] = {}
        for host in set(hosts):
            at_once, pause = limit_names(host)
            wanted[at_once] = (self.politeness.requests_per_host, 0.0)
            if self.politeness.delay > 0:
                wanted[pause] = (1, 1.0 / self.politeness.delay)
        existing = {}
        while True:
            page = self._client.read_global_concurrency_limits(limit=200, offset=len(existing))
            existing.update({limit.name: limit for limit in page})
            if len(page) < 200:
                break
        for name, (limit, decay) in sorted(wanted.items()):
            found = existing.get(name)
            if found is None:
                try:
                    self._client.create_global_concurrency_limit(
                        GlobalConcurrencyLimitCreate(name=name, limit=limit, slot_decay_per_second=decay)
                    )
                except ObjectAlreadyExists:
                    pass  # another run made it a moment ago, with the same politeness
            elif (found.limit, found.slot_decay_per_second, found.active) != (limit, decay, True):
                self._client.update_global_concurrency_limit(
                    name, GlobalConcurrencyLimitUpdate(limit=limit, slot_decay_per_second=decay, active=True)
                )

    @contextmanager
    def slot(self, host: str) -> Iterator[None]:
        """Hold one of the host's slots; then take the pause's slot, so starts are spaced."""
        at_once, pause = limit_names(host)
        granted = self._granted(
            lambda: self._client.increment_concurrency_slots_with_lease(
                names=[at_once], slots=1, mode="concurrency", lease_duration=self.lease_seconds
            )
        )
        lease = granted["lease_id"]
        with self._held_lock:
            self._held.add(lease)
        try:
            if self.politeness.delay > 0:
                self._granted(lambda: self._client.increment_concurrency_slots(names=[pause], slots=1, mode="rate_limit"))
            yield
        finally:
            with self._held_lock:
                mine = lease in self._held  # else close() gave it back already
                self._held.discard(lease)
            if mine:
                self._client.release_concurrency_slots_with_lease(lease)

    @staticmethod
    def _granted(ask) -> dict:
        """Ask until the server grants it, waiting as long as each 423 answer's Retry-After says."""
        import httpx

        while True:
            try:
                answer = ask().json()
                break
            except httpx.HTTPStatusError as refused:
                if refused.response.status_code != 423:
                    raise
                time.sleep(float(refused.response.headers.get("Retry-After", "1")))
        granted = answer if isinstance(answer, dict) else {"limits": answer}
        if not granted["limits"]:  # the server grants a slot of a limit it does not know: no limit at all
            raise RuntimeError("a host's limit is missing on the Prefect server; prepare() makes them before fetching")
        return granted
