"""The desk page (`[web] listen`): stories, feeds, the rule workbench and the outbox, behind a
sign-in, served by `watcher run` on its own loop beside /healthz and /metrics.

Every page but the probes, /login and /static needs a signed-in user (a session cookie,
HttpOnly, SameSite=Lax, signed with a key made at start: a restart signs everyone out). Every
POST carries the session's CSRF token. Two roles: `desk` reads, tries and saves rules; `admin`
also sees feeds and the outbox and retries deliveries. Handlers run on the loop and use the
service's own store (short queries); password hashing runs in a worker thread.
"""

from __future__ import annotations

import asyncio
import logging
import re
import secrets
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

from starlette.applications import Starlette
from starlette.exceptions import HTTPException
from starlette.middleware import Middleware
from starlette.middleware.sessions import SessionMiddleware
from starlette.requests import Request
from starlette.responses import RedirectResponse, Response
from starlette.routing import Mount, Route
from starlette.staticfiles import StaticFiles
from starlette.templating import Jinja2Templates

from watcher.errors import RuleError
from watcher.explain import why_joined
from watcher.feed_report import feed_rows
from watcher.health import Health
from watcher.item_policy import document
from watcher.metrics import Metrics
from watcher.model import Feed
from watcher.requeue import retry
from watcher.store import Store
from watcher.web import workbench
from watcher.web.guard import Throttle, new_token, token_ok
from watcher.web.probes import probe_routes
from watcher.web.users import User, read_users, verify

log = logging.getLogger("watcher.web")

HERE = Path(__file__).parent
TRY_WINDOW = timedelta(hours=24)  # the workbench tries rules on the items of the last day
# Only watcher's own files run or style a page, and no other site may frame it (clickjacking).
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'self'; frame-ancestors 'none'; form-action 'self'",
    "X-Frame-Options": "DENY",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "same-origin",
}
FEED_ORDER = {"failing": 0, "stale": 1, "disabled": 2, "new": 3, "ok": 4}


@dataclass(frozen=True, slots=True)
class DeskConfig:
    users_file: Path
    edits_log: Path  # who saved which rule file when (JSON lines)
    rule_paths: tuple[Path, ...]
    validate: workbench.Validate


@dataclass(frozen=True, slots=True)
class Hooks:
    """What the running service lends the page."""

    store: Store
    health: Callable[[], Health]
    metrics: Metrics
    feeds: Callable[[], Sequence[Feed]]
    reload_rules: Callable[[str], Awaitable[bool]]
    clock: Callable[[], datetime]


class _Denied(Exception):
    def __init__(self, response: Response) -> None:
        self.response = response


def desk_app(config: DeskConfig, hooks: Hooks, *, throttle: Throttle | None = None) -> Starlette:
    desk = _Desk(config, hooks, throttle or Throttle(_monotonic))
    routes = [
        *probe_routes(hooks.health, hooks.metrics),
        Route("/login", desk.login_form, methods=["GET"]),
        Route("/login", desk.login, methods=["POST"]),
        Route("/logout", desk.logout, methods=["POST"]),
        Route("/", desk.stories, methods=["GET"]),
        Route("/stories/{story_id:int}", desk.story, methods=["GET"]),
        Route("/feeds", desk.feeds, methods=["GET"]),
        Route("/rules", desk.rules, methods=["GET"]),
        Route("/rules/edit", desk.edit_form, methods=["GET"]),
        Route("/rules/edit", desk.edit, methods=["POST"]),
        Route("/rules/check", desk.check, methods=["POST"]),
        Route("/outbox", desk.outbox, methods=["GET"]),
        Route("/outbox/retry", desk.retry, methods=["POST"]),
        Mount("/static", StaticFiles(directory=HERE / "static"), name="static"),
    ]
    session = Middleware(
        SessionMiddleware,
        secret_key=secrets.token_urlsafe(32),
        session_cookie="watcher_session",
        max_age=12 * 3600,
        same_site="lax",
    )
    return Starlette(
        routes=routes,
        middleware=[session],
        exception_handlers={_Denied: desk.denied, HTTPException: desk.http_error},
    )


def _monotonic() -> float:
    return asyncio.get_running_loop().time()


class _Desk:
    def __init__(self, config: DeskConfig, hooks: Hooks, throttle: Throttle) -> None:
        self.config = config
        self.hooks = hooks
        self.throttle = throttle
        self.templates = Jinja2Templates(directory=HERE / "templates")
        self.templates.env.filters["web_link"] = web_link
        # One argon2 check at a time (each takes 64 MiB and tens of ms of a core), so a flood
        # of sign-ins neither exhausts memory nor slips past the throttle in parallel.
        self.verifying = asyncio.Lock()
        self.trying = asyncio.Lock()

    # -- plumbing ----------------------------------------------------------------------------

    def page(
        self, request: Request, template: str, status: int = 200, /, **context: Any
    ) -> Response:
        session = request.session
        if "csrf" not in session:
            session["csrf"] = new_token()
        user = self.current_user(request)
        context.update(user=user, csrf=session["csrf"], health=self.hooks.health())
        response = self.templates.TemplateResponse(request, template, context, status_code=status)
        response.headers.update(SECURITY_HEADERS)
        return response

    def signed_in(self, request: Request, *, admin: bool = False) -> User:
        user = self.current_user(request)
        if user is None:
            where = request.url.path + (f"?{request.url.query}" if request.url.query else "")
            raise _Denied(RedirectResponse(f"/login?next={_quote(where)}", status_code=303))
        if admin and not user.admin:
            raise _Denied(self.page(request, "denied.html", 403))
        return user

    def current_user(self, request: Request) -> User | None:
        """The session's user as the users file says now: one removed is signed out, and a
        changed role applies at once."""
        name = request.session.get("user")
        listed = read_users(self.config.users_file).get(name) if isinstance(name, str) else None
        if listed is None:
            request.session.pop("user", None)
            return None
        return User(listed.name, listed.role)

    async def form(self, request: Request) -> dict[str, str]:
        """The POSTed form, after its CSRF token is checked."""
        data = await request.form(max_files=0, max_part_size=2 * 1024 * 1024)
        form = {k: v for k, v in data.items() if isinstance(v, str)}
        if not token_ok(request.session.get("csrf"), form.get("csrf")):
            raise _Denied(self.page(request, "expired.html", 403))
        return form

    async def denied(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, _Denied)
        return exc.response

    async def http_error(self, request: Request, exc: Exception) -> Response:
        assert isinstance(exc, HTTPException)
        if exc.status_code == 404:
            return self.page(request, "missing.html", 404)
        return Response(exc.detail, status_code=exc.status_code)

    # -- sign-in -----------------------------------------------------------------------------

    async def login_form(self, request: Request) -> Response:
        return self.page(request, "login.html", next=_safe_next(request.query_params.get("next")))

    async def login(self, request: Request) -> Response:
        form = await self.form(request)
        name, password = form.get("username", "").strip(), form.get("password", "")
        keys = (f"user:{name.lower()}", f"ip:{request.client.host if request.client else '-'}")
        next_page = _safe_next(form.get("next"))
        async with self.verifying:  # checked inside: parallel guesses wait for each other
            if (wait := self.throttle.wait(keys)) > 0:
                error = f"Too many failed sign-ins: try again in {int(wait) + 1} s."
                context = {"error": error, "next": next_page, "name": name}
                return self.page(request, "login.html", 429, **context)
            user = await asyncio.to_thread(verify, self.config.users_file, name, password)
            if user is None:
                self.throttle.failed(keys)
        if user is None:
            log.warning("desk page sign-in refused user=%r client=%s", name[:64], keys[1][3:])
            error = "Wrong user name or password."
            return self.page(request, "login.html", 401, error=error, next=next_page, name=name)
        self.throttle.succeeded(keys[:1])
        request.session.clear()  # a new session: a fixed one planted before sign-in is dropped
        request.session.update(user=user.name, csrf=new_token())
        log.info("desk page sign-in user=%s role=%s", user.name, user.role)
        return RedirectResponse(next_page, status_code=303)

    async def logout(self, request: Request) -> Response:
        await self.form(request)
        request.session.clear()
        return RedirectResponse("/login", status_code=303)

    # -- stories and feeds -------------------------------------------------------------------

    async def stories(self, request: Request) -> Response:
        self.signed_in(request)
        query = request.query_params.get("q", "").strip()
        store = self.hooks.store
        words = query.split()[:8]
        stories = store.search_stories(words, 50) if words else store.recent_stories(50)
        rows = [(s, store.story_rules(s.id), store.story_deliveries(s.id)) for s in stories]
        return self.page(request, "stories.html", rows=rows, q=query)

    async def story(self, request: Request) -> Response:
        self.signed_in(request)
        story_id = int(request.path_params["story_id"])
        story = self.hooks.store.story(story_id)
        if story is None:
            raise HTTPException(404)
        return self.page(
            request,
            "story.html",
            story=story,
            rules=self.hooks.store.story_rules(story_id),
            deliveries=self.hooks.store.story_deliveries(story_id),
            why=why_joined,
        )

    async def feeds(self, request: Request) -> Response:
        self.signed_in(request, admin=True)
        rows = feed_rows(list(self.hooks.feeds()), self.hooks.store, self.hooks.clock())
        rows.sort(key=lambda r: FEED_ORDER.get(r.status(), 9))
        return self.page(request, "feeds.html", rows=rows)

    # -- the rule workbench ------------------------------------------------------------------

    def files(self) -> list[Path]:
        return workbench.listed_files(self.config.rule_paths)

    def chosen(self, value: str | None) -> tuple[int, Path]:
        files = self.files()
        if value is None or not value.isdigit() or int(value) >= len(files):
            raise HTTPException(404)
        return int(value), files[int(value)]

    async def rules(self, request: Request) -> Response:
        self.signed_in(request)
        files = self.files()
        try:
            current, error = self.config.validate({}), None
        except RuleError as exc:  # shown on the page; the service keeps its last good set
            current, error = None, str(exc)
        by_file = {
            str(f): [r for r in current.rules if r.file == str(f)] if current else [] for f in files
        }
        history = workbench.history(self.config.edits_log)
        return self.page(
            request, "rules.html", files=files, by_file=by_file, error=error, history=history
        )

    async def edit_form(self, request: Request) -> Response:
        self.signed_in(request)
        index, file = self.chosen(request.query_params.get("file"))
        text = file.read_text(encoding="utf-8")
        return self.page(request, "edit.html", index=index, file=file, text=text, checked=None)

    async def check(self, request: Request) -> Response:
        """The JavaScript editor's live check: the results fragment for the text as typed."""
        self.signed_in(request)
        form = await self.form(request)
        _, file = self.chosen(form.get("file"))
        checked = await self.tried(file, form.get("text", ""))
        return self.page(request, "_checked.html", checked=checked, file=file)

    async def edit(self, request: Request) -> Response:
        user = self.signed_in(request)
        form = await self.form(request)
        index, file = self.chosen(form.get("file"))
        text = form.get("text", "").replace("\r\n", "\n")
        checked = await self.tried(file, text)
        context: dict[str, Any] = {"index": index, "file": file, "text": text, "checked": checked}
        if form.get("action") != "save":
            return self.page(request, "edit.html", **context)
        if not checked.ok:
            return self.page(request, "edit.html", 422, refused=True, **context)
        try:
            diff = workbench.save(file, text)
        except OSError as exc:  # e.g. a read-only /etc under systemd: say so, change nothing
            log.warning("desk page cannot save rule file=%s error=%s", file, exc.strerror)
            unwritable = f"Not saved: cannot write {file.name} ({exc.strerror})."
            return self.page(request, "edit.html", 503, unwritable=unwritable, **context)
        applied = await self.hooks.reload_rules(f"saved on the desk page by {user.name}")
        saved = workbench.Saved(
            self.hooks.clock(), user.name, str(file), workbench.digest(text), diff, applied
        )
        workbench.record(self.config.edits_log, saved)
        return self.page(request, "edit.html", saved=saved, **context)

    async def tried(self, file: Path, text: str) -> workbench.Checked:
        """The edit checked with the whole set, then tried on the last 24 h of items: the
        items are read here (the store belongs to the loop), the matching runs in a worker
        thread, one try at a time, so polls and deliveries go on meanwhile."""
        checked = workbench.check(file, text, self.config.rule_paths, self.config.validate)
        if not checked.ok:
            return checked
        since = self.hooks.clock() - TRY_WINDOW
        items = [
            (f"{item.feed_name}: {item.title}", item.link, document(item))
            for item, _ in self.hooks.store.items_since(since)
        ]
        async with self.trying:
            return await asyncio.to_thread(workbench.try_rules, checked, file, items)

    # -- the outbox --------------------------------------------------------------------------

    async def outbox(self, request: Request) -> Response:
        self.signed_in(request, admin=True)
        return self.page(
            request, "outbox.html", rows=self.hooks.store.outbox_rows(), message=None
        )

    async def retry(self, request: Request) -> Response:
        user = self.signed_in(request, admin=True)
        form = await self.form(request)
        which = form.get("id", "all")
        delivery_id = int(which) if which.isdigit() else None
        found, message = retry(self.hooks.store, delivery_id, self.hooks.clock())
        log.info("desk page retry user=%s delivery=%s: %s", user.name, which[:20], message)
        rows = self.hooks.store.outbox_rows()
        return self.page(request, "outbox.html", 200 if found else 404, rows=rows, message=message)


def web_link(url: str) -> str:
    """A feed's link for an href: http(s) only (never `javascript:`); else empty."""
    return url if re.match(r"(?i)^https?://", url or "") else ""


def _safe_next(value: str | None) -> str:
    """Only a path on this site (never `//evil.example`)."""
    if value and value.startswith("/") and not value.startswith("//") and "\\" not in value:
        return value
    return "/"


def _quote(path: str) -> str:
    from urllib.parse import quote

    return quote(path, safe="/")
