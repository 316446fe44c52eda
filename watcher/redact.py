"""Credentials in feed URLs are never shown: `https://user:password@host/feed` is shown as
`https://***@host/feed` in log lines, errors, admin notices, `watcher feeds`, `watcher status`
and the OPML export. (The configured URL stays the feed's identity in the database; fetch.py
sends the credentials as HTTP Basic auth, to the feed's own origin only.)

Pure and dependency-free, so the commands that show feeds need not import an HTTP client.
"""

from __future__ import annotations

import re

# The userinfo of an http(s) URL: everything between "//" and "@" before the first "/?#".
_USERINFO = re.compile(r"\b(https?://)[^/?#\s@<>\"']*@", re.IGNORECASE)


def redact(text: str) -> str:
    """`text` (a URL, or a message holding URLs) with every URL's user name and password
    replaced by ***."""
    return _USERINFO.sub(r"\1***@", text) if "@" in text else text
