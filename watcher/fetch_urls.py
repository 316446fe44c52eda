"""Feed addresses for fetch.py: which URLs may be requested, where credentials may go.

A feed URL with credentials (`https://user:password@host/feed`) is requested without them in
the URL; they become HTTP Basic auth for that URL's own origin (an https upgrade of it
included), never for another host a redirect points at. A redirect's target is checked like a
configured address. The host (with its port) is fetch.py's unit of politeness.
"""

from __future__ import annotations

import urllib.request
from urllib.parse import urljoin, urlsplit

import httpx

from watcher.errors import FetchError
from watcher.redact import redact


def host_of(url: httpx.URL) -> str:
    """host[:port], lower-case: the unit of politeness (its own slot limit and pool)."""
    return f"{url.host}:{url.port}" if url.port is not None else url.host


def environment_proxy(url: httpx.URL) -> str | None:
    """The proxy the environment names for this URL (HTTP_PROXY, HTTPS_PROXY, NO_PROXY)."""
    if urllib.request.proxy_bypass(url.host):
        return None
    return urllib.request.getproxies().get(url.scheme)


def checked_url(url: str) -> str:
    """`url` if it is an http(s) URL httpx can request, else a permanent FetchError."""
    try:
        parsed = httpx.URL(url)
        port = parsed.port
    except (httpx.InvalidURL, ValueError) as exc:
        raise FetchError(f"bad feed address: {redact(str(exc))}") from exc
    if parsed.scheme not in ("http", "https") or not parsed.host:
        raise FetchError("bad feed address: not an http(s) URL")
    if port is not None and not 0 < port < 65536:  # anyio raises an ExceptionGroup for these
        raise FetchError(f"bad feed address: port {port} out of range")
    return url


def without_credentials(url: str) -> str:
    """`url` without a user name and password (checked_url has accepted it)."""
    if "@" not in url:
        return url
    parsed = httpx.URL(url)
    return str(parsed.copy_with(userinfo=b"")) if parsed.userinfo else url


def basic_auth(url: str) -> tuple[httpx.URL, httpx.BasicAuth] | None:
    """The origin of `url` and the Basic auth its user name and password make, if it has any."""
    if "@" not in url:
        return None
    try:
        parsed = httpx.URL(url)
    except (httpx.InvalidURL, ValueError):
        return None
    if not parsed.userinfo:
        return None
    return parsed, httpx.BasicAuth(parsed.username, parsed.password)


def same_origin(origin: httpx.URL, url: httpx.URL) -> bool:
    """Whether credentials for `origin` may go to `url`: same host and port, or the same host
    moved from http to https on the default ports (as httpx's own redirect rule allows)."""
    if origin.host != url.host:
        return False
    if origin.scheme == url.scheme:
        return origin.port == url.port
    upgrade = origin.scheme == "http" and url.scheme == "https"
    return upgrade and origin.port in (None, 80) and url.port in (None, 443)


def redirect_target(current: str, location: str) -> str:
    try:
        target = urljoin(current, location.strip())
    except ValueError as exc:
        raise FetchError("redirect to a malformed address") from exc
    if urlsplit(target).scheme not in ("http", "https"):
        raise FetchError("redirect to a non-HTTP address")
    return without_credentials(checked_url(target))
