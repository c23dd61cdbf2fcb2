"""Where rosterwatch may connect: allowed hosts by host *and* port, and no private addresses.

Two rules keep a fetch from being turned against the machine it runs on or its network:

- A URL is on a source's allowed hosts only if its host name equals an entry exactly (no
  suffix match: `evil-helsedirektoratet.no` is not `helsedirektoratet.no`) and its port is the
  entry's port: an entry `host` stands for the scheme's default port (80, 443), `host:port`
  for that port only. A redirect to the same host on another port is off the allowed hosts.
- Addresses that are not globally routable (private 10/8, 172.16/12, 192.168/16, loopback,
  link-local 169.254/16 with the cloud metadata service, unique-local and link-local IPv6,
  `0.0.0.0`, …) are refused unless the source says `allow_private = true`. An IPv4 address in
  any spelling the C library accepts (`2130706433`, `0x7f.1`, `127.1`) counts as that address.
"""

from __future__ import annotations

import ipaddress
import re
import socket
from urllib.parse import urlsplit

DEFAULT_PORTS = {"http": 80, "https": 443}
_HOST = re.compile(r"^[a-z0-9](?:[a-z0-9.-]*[a-z0-9])?$|^\[[0-9a-f:.]+\]$")

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


def literal_address(host: str) -> IPAddress | None:
    """The IP address a host name denotes by itself (no DNS), in any accepted spelling."""
    host = host.strip("[]").split("%", 1)[0]
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if not host or not all(part and (part.isdigit() or part.lower().startswith("0x")) for part in host.split(".")):
        return None
    try:
        return ipaddress.IPv4Address(socket.inet_aton(host))
    except OSError:
        return None


def is_public(address: IPAddress) -> bool:
    """Whether an address is globally routable (an IPv4-mapped IPv6 address counts as its IPv4)."""
    if isinstance(address, ipaddress.IPv6Address) and address.ipv4_mapped is not None:
        address = address.ipv4_mapped
    return address.is_global and not address.is_multicast


def private_host(host: str) -> str | None:
    """Why a host name is private without looking it up (`localhost`, a private IP literal), else None."""
    name = host.lower().rstrip(".")
    if name == "localhost" or name.endswith(".localhost"):
        return f"{host} is the local machine"
    address = literal_address(name)
    if address is not None and not is_public(address):
        spelled = "" if str(address) == name.strip("[]") else f" ({address})"
        return f"{host}{spelled} is a private, loopback or link-local address"
    return None


def authority(url: str) -> tuple[str, int] | None:
    """(host, port) a URL connects to, the scheme's default port filled in; None if not http(s)."""
    try:
        parts = urlsplit(url)
        if parts.scheme not in DEFAULT_PORTS or not parts.hostname:
            return None
        port = parts.port or DEFAULT_PORTS[parts.scheme]
    except ValueError:  # a garbled URL (a redirect's Location is the server's to write)
        return None
    return parts.hostname.rstrip("."), port


def host_entry(url: str) -> str:
    """The allowed-hosts entry for a URL's own host: `host`, or `host:port` for a non-default port."""
    parts = urlsplit(url)
    host = (parts.hostname or "").rstrip(".")
    shown = f"[{host}]" if ":" in host else host
    port = parts.port
    return shown if port in (None, DEFAULT_PORTS.get(parts.scheme)) else f"{shown}:{port}"


def parse_entry(entry: str) -> tuple[str, int | None] | None:
    """(host, port or None) of an allowed-hosts entry, lower-case; None if it is not a host[:port]."""
    text = entry.strip().lower().rstrip(".")
    host, port = text, None
    if text.startswith("["):
        host, _, rest = text.partition("]")
        host += "]"
        if rest:
            if not rest.startswith(":") or not rest[1:].isdigit():
                return None
            port = int(rest[1:])
    elif text.count(":") == 1:
        host, _, number = text.partition(":")
        if not number.isdigit():
            return None
        port = int(number)
    if not _HOST.match(host) or (port is not None and not 0 < port < 65536):
        return None
    return host.strip("[]"), port


def allowed(url: str, entries: frozenset[tuple[str, int | None]]) -> bool:
    """Whether `url` is http(s) on one of the parsed allowed-hosts `entries` (exact host, same port)."""
    target = authority(url)
    if target is None:
        return False
    host, port = target
    scheme = urlsplit(url).scheme
    return (host, port) in entries or (port == DEFAULT_PORTS[scheme] and (host, None) in entries)
