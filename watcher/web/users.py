"""The desk page's users: a file of `name:role:argon2-hash` lines, managed by
`watcher web adduser`, read again at every sign-in (a user added needs no restart).

Passwords are hashed with argon2id (argon2-cffi's defaults). An unknown name costs the same
as a wrong password (a dummy hash is verified), so timing does not tell which names exist.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError, VerifyMismatchError

from watcher.errors import UnreadableFileError
from watcher.files import read_text, write_atomic

Role = Literal["desk", "admin"]
ROLES: tuple[Role, ...] = ("desk", "admin")
NAME = re.compile(r"[A-Za-z0-9][A-Za-z0-9._@-]{0,63}")

_hasher = PasswordHasher()
_DUMMY = _hasher.hash("watcher: no such user")


@dataclass(frozen=True, slots=True)
class User:
    name: str
    role: Role
    hash: str = ""

    @property
    def admin(self) -> bool:
        return self.role == "admin"


def read_users(path: Path) -> dict[str, User]:
    """The users in the file (none when it does not exist yet); malformed lines are skipped."""
    try:
        text = read_text(path)
    except UnreadableFileError:
        if not path.exists():
            return {}
        raise
    users = {}
    for line in text.splitlines():
        name, _, rest = line.strip().partition(":")
        role, _, hashed = rest.partition(":")
        if NAME.fullmatch(name) and role in ROLES and hashed.startswith("$argon2"):
            users[name] = User(name, role, hashed)
    return users


def add_user(path: Path, name: str, password: str, role: Role) -> bool:
    """Add the user, or set a known user's password and role; True when the user is new."""
    if not NAME.fullmatch(name):
        raise ValueError(
            f"invalid user name {name!r}: letters, digits and . _ @ - (up to 64), "
            "starting with a letter or digit"
        )
    if not password:
        raise ValueError("empty password")
    users = read_users(path)
    new = name not in users
    users[name] = User(name, role, _hasher.hash(password))
    path.parent.mkdir(parents=True, exist_ok=True)
    lines = "".join(f"{u.name}:{u.role}:{u.hash}\n" for u in users.values())
    write_atomic(path, lines, mode=0o600)
    return new


def verify(path: Path, name: str, password: str) -> User | None:
    """The user when the password is theirs; else None (slow either way: run it off the loop)."""
    user = read_users(path).get(name)
    try:
        _hasher.verify(user.hash if user else _DUMMY, password)
    except (VerifyMismatchError, VerificationError, InvalidHashError):
        return None
    return User(user.name, user.role) if user else None
