"""Credentials in URLs are never shown: `https://user:password@host/feed` is shown as
`https://***@host/feed` in log lines, errors, admin notices, `watcher feeds`, `watcher status`
and the OPML export. (The configured URL stays the feed's identity in the database; fetch.py
sends the credentials as HTTP Basic auth, to the feed's own origin only.) A Slack
`response_url` (`https://hooks.slack.com/commands/T0123/4567/SECRET`: whoever holds it may
post as the app for 30 minutes) is shown as `https://hooks.slack.com/commands/***`.

Pure and dependency-free, so the commands that show feeds need not import an HTTP client.
"""

from __future__ import annotations

import re

# The userinfo of an http(s) URL: everything between "//" and "@" before the first "/?#".
_USERINFO = re.compile(r"\b(https?://)[^/?#\s@<>\"']*@", re.IGNORECASE)
# The path of a Slack response_url after its kind: team id, a number, the secret.
_SLACK_REPLY = re.compile(r"(/(?:commands|actions)/)[A-Z][A-Z0-9]*/[0-9]+/[A-Za-z0-9]+")


def redact(text: str) -> str:
    """`text` (a URL, or a message holding URLs) with every URL's user name and password, and
    every Slack response_url's secret path, replaced by ***."""
    if "@" in text:
        text = _USERINFO.sub(r"\1***@", text)
    if "/commands/" in text or "/actions/" in text:
        text = _SLACK_REPLY.sub(r"\1***", text)
    return text
