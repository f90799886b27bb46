"""Webhook URL policy: http(s) only, and never the delivery host's own private ranges.

A URL whose host resolves to a loopback, private (RFC 1918 / ULA), link-local, CGNAT, multicast,
reserved or unspecified address is refused (``UrlNotAllowed``) unless the service was started
with ``allow_private`` (the localnet and the tests, whose receivers listen on 127.0.0.1). The
check runs when an endpoint is created or updated and again before every attempt, so a name that
later resolves to an internal address (DNS rebinding) is not posted to.
"""

from __future__ import annotations

import ipaddress
import socket
from urllib.parse import urlsplit


class UrlNotAllowed(ValueError):
    """The URL is malformed, not http(s), or resolves to a refused address range."""


def _refused(ip: ipaddress.IPv4Address | ipaddress.IPv6Address) -> bool:
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return (
        ip.is_private
        or ip.is_loopback
        or ip.is_link_local
        or ip.is_multicast
        or ip.is_reserved
        or ip.is_unspecified
        or ip in ipaddress.ip_network("100.64.0.0/10")
    )


def check_url(url: str, *, allow_private: bool) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https"):
        raise UrlNotAllowed("webhook url must be http:// or https://")
    if not parts.hostname:
        raise UrlNotAllowed("webhook url has no host")
    if parts.username or parts.password:
        raise UrlNotAllowed("webhook url must not carry credentials")
    try:
        port = parts.port or (443 if parts.scheme == "https" else 80)
    except ValueError:
        raise UrlNotAllowed("webhook url has an invalid port") from None
    if allow_private:
        return
    try:
        infos = socket.getaddrinfo(parts.hostname, port, proto=socket.IPPROTO_TCP)
    except socket.gaierror as e:
        raise UrlNotAllowed(f"webhook host does not resolve: {e}") from None
    for info in infos:
        ip = ipaddress.ip_address(str(info[4][0]).split("%", 1)[0])
        if _refused(ip):
            raise UrlNotAllowed(f"webhook host resolves to a private or loopback address ({ip})")
