"""Commands for the desk page: `web adduser NAME [--role desk|admin]`."""

from __future__ import annotations

import argparse
import getpass
import sys

from watcher import config
from watcher.cli.common import EXIT_FAIL, EXIT_OK


def register(sub: argparse._SubParsersAction[argparse.ArgumentParser]) -> None:
    web = sub.add_parser("web", help="the desk page's users")
    actions = web.add_subparsers(dest="web_command", metavar="ACTION", required=True)
    add = actions.add_parser(
        "adduser",
        help="add a desk page user, or set a user's password and role (the password is read "
        "from standard input when that is not a terminal)",
    )
    add.add_argument("name", metavar="NAME")
    add.add_argument("--role", choices=("desk", "admin"), default="desk", help="default: desk")
    add.set_defaults(handler=cmd_adduser)


def cmd_adduser(args: argparse.Namespace) -> int:
    from watcher.web.users import add_user  # argon2 only for this command

    settings = config.load(config.config_path(args.config))
    path = settings.web.users_path(settings.storage.path)
    password = _password()
    if password is None:
        return EXIT_FAIL
    try:
        new = add_user(path, args.name, password, args.role)
    except ValueError as exc:
        print(f"watcher web adduser: {exc}", file=sys.stderr)
        return EXIT_FAIL
    print(f"{'added' if new else 'updated'} {args.role} user {args.name} in {path}")
    return EXIT_OK


def _password() -> str | None:
    if not sys.stdin.isatty():  # a script, a pipe: the first line is the password
        return sys.stdin.readline().rstrip("\r\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        print("watcher web adduser: the passwords differ", file=sys.stderr)
        return None
    return first
