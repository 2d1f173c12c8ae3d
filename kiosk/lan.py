"""Where the hub listens on the office network: whether that is only this PC (loopback, plain
HTTP is fine) or the LAN (HTTPS by default), and the names and addresses other PCs reach it by,
which its certificate must carry. Standard library only: `cac app` asks before loading TLS."""

from __future__ import annotations

import ipaddress
import logging
import re
import socket
from dataclasses import dataclass
from typing import Literal

log = logging.getLogger(__name__)

IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
Scheme = Literal["http", "https"]

# Addresses of documentation networks (RFC 5737, RFC 3849): a UDP socket "connected" there
# picks the interface of the default route, and sends nothing.
_ROUTE_PROBES = ((socket.AF_INET, "192.0.2.1"), (socket.AF_INET6, "2001:db8::1"))
_LABEL = r"[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?"
_HOST_NAME = re.compile(rf"^{_LABEL}(\.{_LABEL})*$")
WILDCARDS = ("", "0.0.0.0", "::")


def is_loopback(host: str) -> bool:
    """True when `host` is only reachable from this PC (localhost, 127.0.0.0/8, ::1)."""
    name = host.strip().strip("[]").lower()
    if name == "localhost" or name.endswith(".localhost"):
        return True
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def lan_scheme(host: str, *, own_certificate: bool, insecure_http: bool) -> Scheme:
    """How the hub serves on `host`: HTTPS with the administrator's certificate when one is
    installed; otherwise plain HTTP on loopback, HTTPS (the office CA) anywhere else unless
    the administrator asked for plain HTTP on purpose (`--insecure-http`)."""
    if own_certificate:
        return "https"
    if is_loopback(host) or insecure_http:
        return "http"
    return "https"


def plain_off_loopback(host: str, *, own_certificate: bool, insecure_http: bool) -> bool:
    """True when the hub would serve the office network in clear (the windows' warning)."""
    return lan_scheme(host, own_certificate=own_certificate, insecure_http=insecure_http) \
        == "http" and not is_loopback(host)


def _address(text: str) -> IpAddress | None:
    try:
        address = ipaddress.ip_address(text.split("%", 1)[0])
    except ValueError:
        return None
    # A link-local address needs its interface (fe80::1%eth0): no use in a certificate.
    if address.is_unspecified or address.is_link_local or address.is_multicast:
        return None
    return address


def _dns_name(text: str) -> str | None:
    name = text.strip().rstrip(".").lower()
    return name if name and _HOST_NAME.match(name) and _address(name) is None else None


@dataclass(frozen=True)
class HubNames:
    """What a client may put in the hub's address: host names and IP addresses."""

    dns: frozenset[str]
    ips: frozenset[IpAddress]

    @classmethod
    def of(cls, names: list[str], addresses: list[str]) -> HubNames:
        return cls(frozenset(n for n in map(_dns_name, names) if n),
                   frozenset(a for a in map(_address, addresses) if a))

    @classmethod
    def discover(cls, host: str = "") -> HubNames:
        """This PC's names (localhost, its host name and FQDN) and addresses (loopback, those
        of its host name, those of its default routes, and `host` when it is specific)."""
        names = ["localhost"]
        addresses = ["127.0.0.1", "::1"]
        hostname = socket.gethostname()
        names.append(hostname)
        try:
            names.append(socket.getfqdn(hostname))
            addresses += [str(info[4][0]) for info in socket.getaddrinfo(
                hostname, None, type=socket.SOCK_STREAM)]
        except OSError as exc:  # no name service: the routes' addresses still count
            log.info("host name %s not resolved: %s", hostname, exc)
        for family, probe in _ROUTE_PROBES:
            try:
                with socket.socket(family, socket.SOCK_DGRAM) as udp:
                    udp.connect((probe, 9))
                    addresses.append(str(udp.getsockname()[0]))
            except OSError:  # no route of that family
                continue
        if host.strip() not in WILDCARDS:
            (addresses if _address(host.strip("[]")) else names).append(host.strip("[]"))
        return cls.of(names, addresses)

    def lan_host(self) -> str:
        """A name other PCs can use: a LAN IPv4 address, else the host name."""
        lan = sorted((a for a in self.ips if a.version == 4 and not a.is_loopback), key=str)
        return str(lan[0]) if lan else socket.gethostname()


def hub_url(scheme: Scheme, host: str, port: int, names: HubNames | None = None) -> str:
    """The hub's address as other PCs write it (for a wildcard host, one of its own)."""
    if host.strip() in WILDCARDS:
        shown = (names or HubNames.discover()).lan_host()
    else:
        shown = f"[{host}]" if ":" in host else host
    return f"{scheme}://{shown}:{port}"
