"""The desk page on a real socket: sign-in, CSRF, roles, the slowdown of failed sign-ins,
stories, and the rule workbench's atomic save. The service is stood in for by its hooks (a real
SQLite store, a reload that records its calls); tests/test_web_browser.py drives a real
`watcher run` with Chromium."""

from __future__ import annotations

import asyncio
import errno
import os
import re
import stat
import subprocess
import sys
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path

import httpx
import pytest

from watcher import config
from watcher.errors import ConfigError
from watcher.files import write_atomic
from watcher.health import Health
from watcher.metrics import Metrics
from watcher.model import Item, Tier
from watcher.query.tomlfile import rule_files
from watcher.rulebook import RuleSet, load_rules
from watcher.store import Store
from watcher.store.state import ServiceRecord
from watcher.web import workbench
from watcher.web.desk import DeskConfig, Hooks, desk_app
from watcher.web.guard import Throttle, token_ok
from watcher.web.probes import probes_app
from watcher.web.server import HttpServer
from watcher.web.users import add_user, read_users

NOW = datetime(2026, 3, 1, 12, 0, tzinfo=UTC)
RULES = '[[rule]]\nname = "pk-ir"\nquery = "Iran AND Pakistan"\nchannels = ["desk"]\n'


@dataclass
class Clock:
    now: float = 1000.0

    def __call__(self) -> float:
        return self.now


@dataclass
class Site:
    base: str
    folder: Path
    store: Store
    clock: Clock
    reloads: list[str] = field(default_factory=list)

    @property
    def rule_file(self) -> Path:
        return self.folder / "rules" / "desk.toml"

    def client(self) -> httpx.AsyncClient:
        return httpx.AsyncClient(base_url=self.base, timeout=30)


def _item(n: int, title: str, summary: str = "") -> Item:
    return Item(f"guid:{n}", "https://a.example/feed", "Outlet A", f"https://a.example/{n}",
                title, summary, NOW - timedelta(hours=1), f"h{n}")  # fmt: skip


@pytest.fixture
async def site(tmp_path: Path) -> AsyncIterator[Site]:
    (tmp_path / "rules").mkdir()
    (tmp_path / "rules" / "desk.toml").write_text(RULES)
    users = tmp_path / "web-users"
    add_user(users, "dana", "desk-pass", "desk")
    add_user(users, "ada", "admin-pass", "admin")
    store = Store(tmp_path / "watcher.db")
    story = store.new_story("Iran thanks Pakistan at the UNHRC", NOW - timedelta(hours=1))
    store.add_item(_item(1, "Iran thanks Pakistan at the UNHRC", "A vote in Geneva."),
                   story, Tier.NEW, 1.0, NOW, fresh_story=True)  # fmt: skip
    store.add_item(_item(2, "Pakistan and Iran at the UN rights council"), story, Tier.EVENT,
                   0.42, NOW)  # fmt: skip
    store.add_match(story, "pk-ir", ["Iran", "Pakistan"], NOW)
    store.want_delivery(story, "desk", ["pk-ir"], ["Iran"], 0, NOW)
    paths = (tmp_path / "rules",)
    clock = Clock()
    holder: list[Site] = []

    async def reload_rules(why: str) -> bool:
        holder[0].reloads.append(why)
        return True

    def validate(texts: object) -> RuleSet:
        return load_rules(list(paths), channel_names=["desk"], texts=texts)  # type: ignore[arg-type]

    config = DeskConfig(users, tmp_path / "rule-edits.jsonl", paths, validate)
    hooks = Hooks(store, _health, Metrics(process=False), lambda: [], reload_rules, lambda: NOW)
    server = HttpServer("127.0.0.1:0", desk_app(config, hooks, throttle=Throttle(clock)))
    await server.start()
    holder.append(Site(f"http://127.0.0.1:{server.port}", tmp_path, store, clock))
    try:
        yield holder[0]
    finally:
        await server.close()
        store.close()


def _health() -> Health:
    return Health(now=NOW, problems=(), service=ServiceRecord(rules_count=1, last_cycle=NOW),
                  feeds_total=0, feeds_ok=0, failing_feeds=(), outbox_depth=0)  # fmt: skip


def csrf_of(page: str) -> str:
    found = re.search(r'name="csrf" value="([^"]+)"', page)
    assert found, page
    return found.group(1)


async def sign_in(client: httpx.AsyncClient, name: str, password: str) -> httpx.Response:
    token = csrf_of((await client.get("/login")).text)
    form = {"csrf": token, "username": name, "password": password, "next": "/"}
    return await client.post("/login", data=form)


# -- sign-in and sessions ------------------------------------------------------------------------


async def test_every_page_but_the_probes_needs_a_sign_in(site: Site) -> None:
    async with site.client() as client:
        for path in ("/", "/stories/1", "/feeds", "/rules", "/rules/edit?file=0", "/outbox"):
            answer = await client.get(path)
            assert answer.status_code == 303 and answer.headers["location"].startswith("/login")
        assert (await client.get("/healthz")).text == "ok\n"
        assert "watcher_rules" in (await client.get("/metrics")).text
        assert (await client.get("/static/desk.css")).status_code == 200


async def test_sign_in_sets_an_httponly_samesite_cookie_and_opens_the_pages(site: Site) -> None:
    async with site.client() as client:
        answer = await sign_in(client, "dana", "desk-pass")
        assert answer.status_code == 303 and answer.headers["location"] == "/"
        cookie = answer.headers["set-cookie"].lower()
        assert "httponly" in cookie and "samesite=lax" in cookie
        stories = await client.get("/")
        assert stories.status_code == 200
        assert "Iran thanks Pakistan at the UNHRC" in stories.text and "Outlet A" in stories.text
        assert "pk-ir" in stories.text and "desk (pending)" in stories.text
        story = await client.get("/stories/1")
        assert "same event, other words (score 0.42)" in story.text
        assert (await client.get("/stories/999")).status_code == 404
        assert "UNHRC" in (await client.get("/", params={"q": "geneva"})).text
        assert "UNHRC" not in (await client.get("/", params={"q": "geneva zzz"})).text


async def test_a_wrong_password_or_unknown_user_is_refused_alike(site: Site) -> None:
    async with site.client() as client:
        wrong = await sign_in(client, "dana", "nope")
        unknown = await sign_in(client, "nobody", "nope")
        for answer in (wrong, unknown):
            assert answer.status_code == 401
            assert "Wrong user name or password." in answer.text
        assert (await client.get("/")).status_code == 303  # still signed out


# -- CSRF -----------------------------------------------------------------------------------------


async def test_a_post_without_the_sessions_token_is_refused(site: Site) -> None:
    async with site.client() as client:
        await client.get("/login")
        form = {"username": "dana", "password": "desk-pass"}
        assert (await client.post("/login", data=form)).status_code == 403
        assert (await client.post("/login", data={**form, "csrf": "forged"})).status_code == 403
        assert (await sign_in(client, "dana", "desk-pass")).status_code == 303
        before = site.rule_file.read_text()
        edit = {"file": "0", "action": "save", "text": RULES.replace("pk-ir", "x")}
        refused = await client.post("/rules/edit", data={**edit, "csrf": "forged"})
        assert refused.status_code == 403 and "expired" in refused.text
        assert site.rule_file.read_text() == before and site.reloads == []
    async with site.client() as other:  # another session's token does not pass either
        token = csrf_of((await other.get("/login")).text)
    async with site.client() as client:
        await sign_in(client, "dana", "desk-pass")
        assert (await client.post("/rules/edit", data={**edit, "csrf": token})).status_code == 403


def test_token_comparison() -> None:
    assert token_ok("abc", "abc")
    assert not token_ok("abc", "abd") and not token_ok("", "") and not token_ok(None, "x")


# -- roles -----------------------------------------------------------------------------------------


async def test_desk_reads_and_edits_rules_admin_also_feeds_and_outbox(site: Site) -> None:
    async with site.client() as desk:
        await sign_in(desk, "dana", "desk-pass")
        assert (await desk.get("/rules")).status_code == 200
        assert (await desk.get("/rules/edit?file=0")).status_code == 200
        for path in ("/feeds", "/outbox"):
            assert (await desk.get(path)).status_code == 403, path
        token = csrf_of((await desk.get("/rules")).text)
        assert (
            await desk.post("/outbox/retry", data={"csrf": token, "id": "1"})
        ).status_code == 403
    async with site.client() as admin:
        await sign_in(admin, "ada", "admin-pass")
        assert (await admin.get("/feeds")).status_code == 200
        outbox = await admin.get("/outbox")
        assert outbox.status_code == 200 and "Iran thanks Pakistan" in outbox.text
        token = csrf_of(outbox.text)
        retried = await admin.post("/outbox/retry", data={"csrf": token, "id": "1"})
        assert "requeued delivery 1 on desk" in retried.text
        unknown = await admin.post("/outbox/retry", data={"csrf": token, "id": "77"})
        assert unknown.status_code == 404 and "no delivery with id 77" in unknown.text


# -- failed sign-ins slowed down -----------------------------------------------------------------


async def test_failed_sign_ins_make_the_next_ones_wait(site: Site) -> None:
    async with site.client() as client:
        for _ in range(3):
            assert (await sign_in(client, "dana", "wrong")).status_code == 401
        waiting = await sign_in(client, "dana", "desk-pass")  # even the right password waits
        assert waiting.status_code == 429 and "try again in 3 s" in waiting.text
        site.clock.now += 2.5
        assert (await sign_in(client, "dana", "desk-pass")).status_code == 303


def test_throttle_doubles_up_to_its_cap_and_forgets_on_success() -> None:
    clock = Clock()
    throttle = Throttle(clock, free=2, base=1.0, cap=5.0)
    keys = ("user:a",)
    throttle.failed(keys)
    assert throttle.wait(keys) == 0
    waits = []
    for _ in range(5):
        throttle.failed(keys)
        waits.append(throttle.wait(keys))
    assert waits == [1.0, 2.0, 4.0, 5.0, 5.0]
    assert throttle.wait(("user:b",)) == 0  # another user is not held up
    clock.now += 5
    assert throttle.wait(keys) == 0
    throttle.succeeded(keys)
    throttle.failed(keys)
    assert throttle.wait(keys) == 0  # counting starts over


# -- the rule workbench ----------------------------------------------------------------------------


async def test_a_check_shows_errors_at_line_and_col_and_tries_the_rules(site: Site) -> None:
    async with site.client() as client:
        await sign_in(client, "dana", "desk-pass")
        token = csrf_of((await client.get("/rules/edit?file=0")).text)
        broken = RULES.replace("AND Pakistan", "AND (Pakistan")
        checked = await client.post(
            "/rules/check", data={"csrf": token, "file": "0", "text": broken}
        )
        assert "desk.toml:3:19" in checked.text and "never closed" in checked.text
        good = await client.post("/rules/check", data={"csrf": token, "file": "0", "text": RULES})
        assert "Tried on 2 item(s)" in good.text and "2 match(es)" in good.text
        assert "<mark>Iran</mark>" in good.text and "<mark>Pakistan</mark>" in good.text


async def test_an_invalid_set_is_not_saved(site: Site) -> None:
    async with site.client() as client:
        await sign_in(client, "dana", "desk-pass")
        token = csrf_of((await client.get("/rules/edit?file=0")).text)
        before = site.rule_file.read_text()
        for text in (RULES.replace('["desk"]', '["nowhere"]'), 'enabled = "x"\n', ""):
            form = {"csrf": token, "file": "0", "action": "save", "text": text}
            refused = await client.post("/rules/edit", data=form)
            assert refused.status_code == 422 and "Not saved" in refused.text, text
        assert site.rule_file.read_text() == before
        assert not (site.rule_file.parent / "desk.toml.bak").exists() and site.reloads == []


async def test_a_valid_save_is_atomic_kept_as_backup_reloaded_and_recorded(site: Site) -> None:
    edited = RULES + '\n[[rule]]\nname = "unhrc"\nquery = "UNHRC"\nchannels = ["desk"]\n'
    mode = 0o664
    os.chmod(site.rule_file, mode)
    async with site.client() as client:
        await sign_in(client, "dana", "desk-pass")
        token = csrf_of((await client.get("/rules/edit?file=0")).text)
        form = {"csrf": token, "file": "0", "action": "save", "text": edited}
        saved = await client.post("/rules/edit", data=form)
        assert saved.status_code == 200 and "Saved by dana" in saved.text
        rules = await client.get("/rules")
        assert "dana</strong> saved" in rules.text and "+name = &#34;unhrc&#34;" in rules.text
    folder = site.rule_file.parent
    assert site.rule_file.read_text() == edited
    assert (folder / "desk.toml.bak").read_text() == RULES
    assert stat.S_IMODE(site.rule_file.stat().st_mode) == mode
    assert sorted(p.name for p in folder.iterdir()) == ["desk.toml", "desk.toml.bak"]  # no tmp
    assert rule_files(folder) == [site.rule_file]  # the backup is never read as rules
    assert site.reloads == ["saved on the desk page by dana"]


def test_write_atomic_keeps_the_old_text_until_the_rename(tmp_path: Path) -> None:
    target = tmp_path / "a.toml"
    write_atomic(target, "one\n", mode=0o640)
    assert stat.S_IMODE(target.stat().st_mode) == 0o640
    write_atomic(target, "two\n", backup=tmp_path / "a.toml.bak")
    assert target.read_text() == "two\n" and (tmp_path / "a.toml.bak").read_text() == "one\n"
    assert stat.S_IMODE(target.stat().st_mode) == 0o640


# -- watcher web adduser ---------------------------------------------------------------------------


def test_adduser_reads_the_password_from_stdin_and_keeps_the_file_private(tmp_path: Path) -> None:
    config = tmp_path / "config.toml"
    config.write_text(f'[storage]\npath = "{tmp_path / "w.db"}"\n')

    def adduser(*args: str, password: str = "s3cret\n") -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [sys.executable, "-m", "watcher", "--config", str(config), "web", "adduser", *args],
            input=password, capture_output=True, text=True, timeout=120,
        )  # fmt: skip

    first = adduser("ada", "--role", "admin")
    assert first.returncode == 0 and "added admin user ada" in first.stdout, first.stderr
    assert adduser("dana").returncode == 0
    again = adduser("dana", "--role", "admin", password="other\n")
    assert again.returncode == 0 and "updated admin user dana" in again.stdout
    users_file = tmp_path / "web-users"
    users = read_users(users_file)
    assert {u.name: u.role for u in users.values()} == {"ada": "admin", "dana": "admin"}
    assert "s3cret" not in users_file.read_text()
    assert stat.S_IMODE(users_file.stat().st_mode) == 0o600
    bad = adduser("no spaces")
    assert (
        bad.returncode == 1 and "invalid user name" in bad.stderr and "Traceback" not in bad.stderr
    )
    empty = adduser("eve", password="\n")
    assert empty.returncode == 1 and "empty password" in empty.stderr


async def test_the_users_file_rules_every_request(site: Site) -> None:
    users = site.folder / "web-users"
    async with site.client() as client:
        await sign_in(client, "dana", "desk-pass")
        assert (await client.get("/feeds")).status_code == 403
        add_user(users, "dana", "desk-pass", "admin")  # made an admin: at once
        assert (await client.get("/feeds")).status_code == 200
        kept = [line for line in users.read_text().splitlines() if not line.startswith("dana:")]
        users.write_text("\n".join(kept) + "\n")  # removed: signed out at once
        assert (await client.get("/")).status_code == 303


async def test_a_listener_beyond_loopback_is_warned_about(caplog: pytest.LogCaptureFixture) -> None:
    server = HttpServer("0.0.0.0:0", probes_app(_health, Metrics(process=False)), name="desk page")
    await server.start()
    await server.close()
    assert "desk page listens beyond loopback host=0.0.0.0" in caplog.text


def test_web_listen_is_checked_like_service_http(tmp_path: Path) -> None:
    path = tmp_path / "config.toml"
    path.write_text('[web]\nlisten = "8686"\n')
    with pytest.raises(ConfigError) as refused:
        config.load(path)
    assert "config.toml:2:10: web.listen: expected HOST:PORT" in str(refused.value)
    path.write_text('[storage]\npath = "state/w.db"\n[web]\nlisten = "127.0.0.1:8686"\n')
    settings = config.load(path)
    assert settings.web.users_path(settings.storage.path) == tmp_path / "state" / "web-users"
    path.write_text('[web]\nusers_file = "etc/users"\n')  # relative to the config's folder
    settings = config.load(path)
    assert settings.web.users_path(settings.storage.path) == tmp_path / "etc" / "users"


async def test_a_rule_folder_it_cannot_write_is_said_so(
    site: Site, monkeypatch: pytest.MonkeyPatch
) -> None:
    def read_only(*args: object, **kwargs: object) -> None:  # /etc under ProtectSystem=strict
        raise OSError(errno.EROFS, "Read-only file system")

    monkeypatch.setattr(workbench, "write_atomic", read_only)
    async with site.client() as client:
        await sign_in(client, "dana", "desk-pass")
        token = csrf_of((await client.get("/rules/edit?file=0")).text)
        form = {"csrf": token, "file": "0", "action": "save", "text": RULES + "\n"}
        answer = await client.post("/rules/edit", data=form)
    assert answer.status_code == 503
    assert "Not saved: cannot write desk.toml (Read-only file system)" in answer.text
    assert site.rule_file.read_text() == RULES and site.reloads == []


async def test_parallel_guesses_do_not_slip_past_the_slowdown(site: Site) -> None:
    async with site.client() as client:
        token = csrf_of((await client.get("/login")).text)
        form = {"csrf": token, "username": "dana", "password": "guess"}
        answers = await asyncio.gather(*(client.post("/login", data=form) for _ in range(6)))
    codes = sorted(a.status_code for a in answers)
    assert codes == [401, 401, 401, 429, 429, 429]


async def test_pages_link_only_to_web_addresses_and_cannot_be_framed(site: Site) -> None:
    hostile = Item("guid:9", "https://a.example/feed", "Outlet A", "javascript:alert(1)",
                   "<b>Bold</b> claim", "", NOW, "h9")  # fmt: skip
    site.store.add_item(hostile, site.store.new_story("<b>Bold</b> claim", NOW), Tier.NEW, 1, NOW)
    async with site.client() as client:
        await sign_in(client, "dana", "desk-pass")
        page = await client.get("/")
    assert 'href="javascript:' not in page.text
    assert "&lt;b&gt;Bold&lt;/b&gt; claim" in page.text and "<b>Bold" not in page.text
    assert page.headers["x-frame-options"] == "DENY"
    assert "default-src 'self'" in page.headers["content-security-policy"]


async def test_without_javascript_check_and_try_is_a_page_load(site: Site) -> None:
    async with site.client() as client:
        await sign_in(client, "dana", "desk-pass")
        token = csrf_of((await client.get("/rules/edit?file=0")).text)
        broken = RULES.replace("AND Pakistan", "AND (Pakistan")
        form = {"csrf": token, "file": "0", "action": "check", "text": broken}
        page = await client.post("/rules/edit", data=form)
    assert page.status_code == 200 and "<textarea" in page.text
    assert "desk.toml:3:19" in page.text and "AND (Pakistan" in page.text  # the text kept
    assert site.rule_file.read_text() == RULES and site.reloads == []  # nothing saved
