"""docs/alert.png: the demo's alert as Telegram shows it, buttons and all (run by hand).

    .venv/bin/python docs/make_alert_picture.py            # writes docs/alert.png

Nothing here is drawn by hand. The demo (watcher/demo: three invented outlets served from
127.0.0.1, its own rules, its clock) runs its two rounds through the real pipeline and a real
Telegram channel with `commands = true`, pointed at the loopback Bot API stand-in
(tests/fakes/telegram_api.py). The sendMessage the stand-in received for the story of two
sources — its HTML text and its `reply_markup` inline keyboard, as sent — is laid out as a
Telegram message card (the text as Telegram renders its HTML subset, the keyboard's rows
under it) and photographed by headless Chromium (tests/browser.py). Needs the dev extras and
a `chromium` on PATH.
"""

from __future__ import annotations

import asyncio
import base64
import html
import os
import sys
import tempfile
from collections.abc import Callable, Sequence
from datetime import datetime
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from tests.browser import Chromium  # noqa: E402
from tests.fakes.telegram_api import FakeTelegram  # noqa: E402
from watcher.app import open_app, poll_once  # noqa: E402
from watcher.demo import RULES, STARTS_AT, clock_from, demo_settings, serve  # noqa: E402
from watcher.rulebook import load_rules  # noqa: E402

OUT = ROOT / "docs" / "alert.png"
TOKEN = "4242:PICTURE-token"
CHAT = "-1001234567890"
WIDTH = 520  # CSS pixels: about a phone's chat column

CARD = """<!doctype html><meta charset="utf-8"><style>
body {{ margin: 0; background: #d5e2c6; font: 15px/1.38 -apple-system, "Segoe UI", Roboto,
  "Noto Sans", "DejaVu Sans", sans-serif; }}
#shot {{ padding: 14px 14px 12px; width: {width}px; box-sizing: border-box; }}
.bubble {{ background: #fff; border-radius: 12px 12px 12px 4px; padding: 7px 11px 6px;
  box-shadow: 0 1px 1px rgba(0,0,0,.15); }}
.from {{ color: #3a8bd0; font-weight: 600; font-size: 14px; margin-bottom: 2px; }}
.text {{ white-space: pre-wrap; overflow-wrap: anywhere; color: #111; }}
.text a {{ color: #2a7ab8; text-decoration: none; }}
.time {{ text-align: right; color: #8a9a7e; font-size: 12px; margin-top: 2px; }}
.row {{ display: flex; gap: 4px; margin-top: 4px; }}
.button {{ flex: 1; text-align: center; padding: 9px 6px; border-radius: 8px; color: #fff;
  font-weight: 500; font-size: 14px; background: rgba(74, 104, 58, .55); }}
</style><div id="shot"><div class="bubble"><div class="from">watcher</div>
<div class="text">{text}</div><div class="time">{time}</div></div>{keyboard}</div>"""


async def demo_alert(folder: Path) -> tuple[str, dict[str, Any]]:
    """The demo's two rounds into a Telegram channel at the stand-in; the alert of two
    sources as it was sent: (HTML text, reply_markup)."""
    rules_file = folder / "rules.toml"
    rules_file.write_text(
        RULES.read_text(encoding="utf-8").replace('"console"', '"desk"'), encoding="utf-8"
    )
    clock = clock_from(STARTS_AT)
    os.environ["PICTURE_TOKEN"] = TOKEN  # the config names it; gone again below
    try:
        return await _run_demo(folder, rules_file, clock)
    finally:
        os.environ.pop("PICTURE_TOKEN", None)


async def _run_demo(
    folder: Path, rules_file: Path, clock: Callable[[], datetime]
) -> tuple[str, dict[str, Any]]:
    with FakeTelegram(token=TOKEN) as tg, serve() as server:
        port = server.server_address[1]
        channel = {
            "type": "telegram",
            "chat_id": CHAT,
            "token_env": "PICTURE_TOKEN",
            "api_url": tg.api_url,
            "commands": True,
        }
        settings = demo_settings(port, folder, rules_file, {"desk": channel})
        rules = load_rules(settings.rules.paths, channel_names=settings.channel.keys())
        for round_ in (1, 2):
            server.round = round_
            await poll_once(open_app(settings, rules=rules, clock=clock))
        for message_id, text in tg.messages.get(CHAT, {}).items():
            markup = tg.markups.get(CHAT, {}).get(message_id) or {}
            if sum(len(row) for row in markup.get("inline_keyboard", [])) >= 2:
                return text, markup
    raise SystemExit("the demo sent no alert with two buttons")


def card(text: str, markup: dict[str, Any], time: str) -> str:
    rows: Sequence[Sequence[dict[str, Any]]] = markup.get("inline_keyboard", [])
    keyboard = "".join(
        '<div class="row">'
        + "".join(f'<div class="button">{html.escape(b["text"])}</div>' for b in row)
        + "</div>"
        for row in rows
    )
    # The text is Telegram HTML (b, i, a, code...), a subset of HTML: shown as it is.
    return CARD.format(width=WIDTH, text=text.strip(), time=time, keyboard=keyboard)


def photograph(page: Path, out: Path) -> None:
    binary = Chromium.find()
    if binary is None:
        raise SystemExit("no chromium on PATH")
    browser = Chromium(binary)
    try:
        browser.send(
            "Emulation.setDeviceMetricsOverride",
            width=WIDTH,
            height=900,
            deviceScaleFactor=1,
            mobile=False,
        )
        browser.goto(page.as_uri())
        box = browser.eval(
            "(r => ({x: r.x, y: r.y, width: r.width, height: r.height}))"
            "(document.getElementById('shot').getBoundingClientRect())"
        )
        shot = browser.send("Page.captureScreenshot", format="png", clip={**box, "scale": 1})
        out.write_bytes(base64.b64decode(shot["data"]))
    finally:
        browser.close()


def main() -> int:
    with tempfile.TemporaryDirectory(prefix="watcher-picture-") as tmp:
        folder = Path(tmp)
        text, markup = asyncio.run(demo_alert(folder))
        page = folder / "alert.html"
        page.write_text(card(text, markup, f"{STARTS_AT:%H:%M}"), encoding="utf-8")
        photograph(page, OUT)
    print(f"wrote {OUT} ({OUT.stat().st_size:,} bytes)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
