"""A loopback stand-in of the Telegram Bot API (getMe, sendMessage, editMessageText,
getUpdates, answerCallbackQuery).

    with FakeTelegram(token="123:abc") as tg:
        channel = TelegramChannel("desk", token="123:abc", chat_id="-1001", api_url=tg.api_url)
        tg.fail_next("sendMessage", 429, "Too Many Requests: retry after 7", {"retry_after": 7})
        tg.stall_next("sendMessage", 2.0)           # answer late (client timeouts)
        tg.migrate_chat("-1001", "-1002")           # the group became a supergroup
        tg.messages                                 # {"-1002": {1: "<b>…</b>"}} (HTML as sent)
        tg.replies                                  # {"-1002": {2: 1}}: message 2 replies to 1
        tg.calls                                    # [("sendMessage", {"chat_id": "-1001", ...})]
        tg.markups                                  # {"-1001": {1: {"inline_keyboard": ...}}}
        tg.user_says("-1001", 42, "/status")        # an update for getUpdates; its update_id
        tg.user_presses("-1001", 42, 1, "mute:7")   # a button press (callback_query)
        tg.press_answers                            # {callback id: (text, show_alert)}

Requests go to /bot<token>/<method>, GET query, form-encoded or JSON bodies (python-telegram-bot
sends forms). Answers are shaped like the Bot API's: {"ok": true, "result": Message} or
{"ok": false, "error_code": N, "description": "...", "parameters": {...}}, with the same HTTP
status. A wrong token gets 401 Unauthorized. Text sent with parse_mode=HTML is parsed like
Telegram does (supported tags only, balanced, entities) and rejected with 400 "Bad Request: can't
parse entities: ..." otherwise; this stand-in is stricter than Telegram about a bare "&", so
unescaped feed text cannot slip through a test. Text longer than 4096 UTF-16 units after
parsing is "message is too long". A sendMessage may reply to a message of the chat
(reply_parameters, a JSON object, or the older reply_to_message_id): the answer carries
reply_to_message and `replies` records it; a missing target is "message to be replied not
found" unless allow_sending_without_reply, when the message is sent as no reply. A message's
reply_markup (inline keyboard; callback_data of 1-64 bytes) is kept in `markups`, replaced by an
edit (an edit without one removes it, as Telegram does). getUpdates long-polls: it answers at
once with the updates whose update_id >= offset (those below are confirmed and forgotten), else
waits up to `timeout` seconds for one. answerCallbackQuery accepts each query id once, as
Telegram does ("query is too old" after that or for an unknown id). The server
runs in a background thread, so a subprocess can use it too. `LoopbackServer` (threaded
server, call log, scripted faults and stalls), `request_params` and `closed_port` are reused
by the Slack stand-in.
"""

from __future__ import annotations

import html
import json
import re
import socket
import threading
import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from tests.fakes.loopback import BackgroundServer

__all__ = [
    "EntityParseError",
    "FakeTelegram",
    "FaultQueue",
    "HttpRequest",
    "HttpResponse",
    "LoopbackServer",
    "closed_port",
    "parse_html",
]

MAX_TEXT = 4096


# --- a small threaded HTTP server ---------------------------------------------------------------


@dataclass(frozen=True)
class HttpRequest:
    method: str
    path: str
    query: dict[str, str]
    headers: dict[str, str]  # lower-case names
    body: bytes


@dataclass(frozen=True)
class HttpResponse:
    status: int
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)

    @classmethod
    def json(
        cls, status: int, payload: object, headers: dict[str, str] | None = None
    ) -> HttpResponse:
        merged = {"Content-Type": "application/json", **(headers or {})}
        return cls(status, json.dumps(payload).encode(), merged)

    @classmethod
    def text(cls, status: int, text: str, headers: dict[str, str] | None = None) -> HttpResponse:
        merged = {"Content-Type": "text/plain; charset=utf-8", **(headers or {})}
        return cls(status, text.encode(), merged)


class LoopbackServer(BackgroundServer):
    """A chat API stand-in: subclasses answer `handle` and call `scripted` first, which records
    the call and plays scripted stalls and faults (stopping the server releases stalls)."""

    def __init__(self) -> None:
        self.lock = threading.RLock()
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._faults = FaultQueue()
        self._stalls = FaultQueue()
        super().__init__(_make_handler(self))

    @property
    def origin(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def stall_next(self, method: str, seconds: float, times: int = 1) -> None:
        """Hold the next `times` calls of `method` for `seconds` before answering normally."""
        self._stalls.add(method, seconds, times)

    def scripted(self, method: str, params: dict[str, Any]) -> Any:
        """Record the call, wait out a scripted stall, and return a scripted fault (or None)."""
        with self.lock:
            self.calls.append((method, params))
        stall = self._stalls.take(method)
        if stall:
            self._stopping.wait(stall)  # released early when the server closes
        return self._faults.take(method)

    def handle(self, request: HttpRequest) -> HttpResponse:
        raise NotImplementedError


def closed_port() -> int:
    """A 127.0.0.1 port nothing listens on (for "connection refused")."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _make_handler(server: LoopbackServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def _serve(self) -> None:
            split = urlsplit(self.path)
            length = int(self.headers.get("Content-Length") or 0)
            request = HttpRequest(
                method=self.command,
                path=split.path,
                query=dict(parse_qsl(split.query)),
                headers={k.lower(): v for k, v in self.headers.items()},
                body=self.rfile.read(length) if length else b"",
            )
            try:
                response = server.handle(request)
            except Exception as exc:  # a bug in the stand-in: say so instead of hanging up
                response = HttpResponse.text(500, f"stand-in error: {exc!r}")
            try:
                self.send_response(response.status)
                for name, value in response.headers.items():
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(response.body)))
                self.end_headers()
                self.wfile.write(response.body)
            except (BrokenPipeError, ConnectionResetError):
                self.close_connection = True  # the client gave up (a long poll cancelled)

        do_GET = do_POST = _serve

        def log_message(self, format: str, *args: Any) -> None:
            return  # keep test output clean (and URLs with tokens out of stderr)

    return Handler


class FaultQueue:
    """Scripted answers per method, used before the normal behaviour: (fault, times left)."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._queue: list[list[Any]] = []

    def add(self, method: str, fault: object, times: int) -> None:
        with self._lock:
            self._queue.append([method, fault, times])

    def take(self, method: str) -> Any:
        with self._lock:
            for entry in self._queue:
                if entry[0] in (method, "*"):
                    entry[2] -= 1
                    if entry[2] <= 0:
                        self._queue.remove(entry)
                    return entry[1]
        return None


def request_params(request: HttpRequest) -> dict[str, Any]:
    """Query, form or JSON body parameters (form and query values stay strings)."""
    params: dict[str, Any] = dict(request.query)
    kind = request.headers.get("content-type", "").split(";")[0].strip().lower()
    if kind == "application/json" and request.body:
        params.update(json.loads(request.body))
    elif request.body:
        params.update(parse_qsl(request.body.decode("utf-8"), keep_blank_values=True))
    return params


# --- Telegram's HTML parse mode -----------------------------------------------------------------


class EntityParseError(ValueError):
    pass


_TAGS = {
    "b", "strong", "i", "em", "u", "ins", "s", "strike", "del", "span", "tg-spoiler", "a",
    "code", "pre", "blockquote", "tg-emoji",
}  # fmt: skip
_TAG = re.compile(
    r"<(/?)([a-zA-Z][a-zA-Z0-9-]*)"
    r"((?:\s+[a-zA-Z-]+(?:\s*=\s*(?:\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?)*)\s*>"
)
_ATTR = re.compile(r"([a-zA-Z-]+)(?:\s*=\s*(\"[^\"]*\"|'[^']*'|[^\s\"'>]+))?")
_ENTITY = re.compile(r"&(?:lt|gt|amp|quot|#\d+|#[xX][0-9a-fA-F]+);")


def _offset(text: str, index: int) -> int:
    return len(text[:index].encode("utf-8"))


def _decode_entities(text: str, base: str, start: int) -> str:
    for amp in (m.start() for m in re.finditer("&", text)):
        if not _ENTITY.match(text, amp):
            raise EntityParseError(
                f"Character '&' at byte offset {_offset(base, start + amp)} is not a part of an "
                "HTML entity"
            )
    return html.unescape(text)


def _start_tag(text: str, match: re.Match[str], links: list[str]) -> str:
    name = match.group(2).lower()
    if name not in _TAGS:
        raise EntityParseError(
            f'Unsupported start tag "{name}" at byte offset {_offset(text, match.start())}'
        )
    attrs = {
        a.group(1).lower(): _decode_entities((a.group(2) or "").strip("\"'"), text, match.start())
        for a in _ATTR.finditer(match.group(3))
    }
    if name == "a":
        if not attrs.get("href"):
            raise EntityParseError("Can't find href attribute in a tag")
        links.append(attrs["href"])
    return name


def _end_tag(text: str, match: re.Match[str], stack: list[str]) -> None:
    name = match.group(2).lower()
    where = _offset(text, match.start())
    if not stack:
        raise EntityParseError(f"Unexpected end tag at byte offset {where}")
    if stack[-1] != name:
        raise EntityParseError(
            f'Unmatched end tag at byte offset {where}, expected "</{stack[-1]}>", '
            f'found "</{name}>"'
        )
    stack.pop()


def parse_html(text: str) -> tuple[str, list[str]]:
    """Telegram's HTML parse mode: the plain text and the link targets; EntityParseError if bad."""
    out: list[str] = []
    stack: list[str] = []
    links: list[str] = []
    i = 0
    while i < len(text):
        if text[i] == "<":
            match = _TAG.match(text, i)
            if match is None:
                raise EntityParseError(
                    f'Unsupported start tag "" at byte offset {_offset(text, i)}'
                )
            if match.group(1):
                _end_tag(text, match, stack)
            else:
                stack.append(_start_tag(text, match, links))
            i = match.end()
            continue
        run_end = text.find("<", i)
        run_end = len(text) if run_end < 0 else run_end
        out.append(_decode_entities(text[i:run_end], text, i))
        i = run_end
    if stack:
        raise EntityParseError(f'Can\'t find end tag corresponding to start tag "{stack[-1]}"')
    return "".join(out), links


def _utf16_len(text: str) -> int:
    return len(text.encode("utf-16-le")) // 2


# --- the Bot API --------------------------------------------------------------------------------


class FakeTelegram(LoopbackServer):
    """The Bot API's answers for one bot. Chats are free-form ids unless `chats` is given."""

    def __init__(self, token: str = "123456:TEST-token", *, chats: Iterable[str] | None = None):
        super().__init__()
        self.token = token
        self.chats = None if chats is None else {str(c) for c in chats}
        self.messages: dict[str, dict[int, str]] = {}
        self.replies: dict[str, dict[int, int]] = {}  # chat -> {reply's id: replied-to id}
        self.migrations: dict[str, str] = {}
        self.markups: dict[str, dict[int, Any]] = {}
        self.press_answers: dict[str, tuple[str, bool]] = {}
        self._updates: list[dict[str, Any]] = []  # not yet confirmed by an offset
        self._next_update = 1
        self._pending_presses: set[str] = set()
        self._arrived = threading.Condition(self.lock)

    # -- what users do ---------------------------------------------------------------------

    def user_says(self, chat: str, user: int, text: str, *, reply_to: int | None = None) -> int:
        """A user writes `text` in `chat` (a private chat: chat == str(user)); the update_id."""
        with self.lock:
            box = self.messages.setdefault(str(chat), {})
            message_id = max(box, default=0) + 1
            box[message_id] = text  # so a later reply to it can be found
            message: dict[str, Any] = {
                "message_id": message_id,
                "from": _user(user),
                "date": int(time.time()),
                "chat": _chat(str(chat)),
                "text": text,
            }
            if text.startswith("/"):
                command = text.split()[0]
                message["entities"] = [{"type": "bot_command", "offset": 0, "length": len(command)}]
            if reply_to is not None:
                message["reply_to_message"] = self._message(
                    str(chat), reply_to, {"text": box.get(reply_to, "")}
                )
            return self._push({"message": message})

    def user_presses(self, chat: str, user: int, message_id: int, data: str) -> int:
        """A user presses a button whose callback_data is `data` under message `message_id`."""
        with self.lock:
            query_id = f"q{self._next_update}"
            self._pending_presses.add(query_id)
            text = self.messages.get(str(chat), {}).get(message_id, "")
            query = {
                "id": query_id,
                "from": _user(user),
                "chat_instance": f"ci{chat}",
                "data": data,
                "message": self._message(str(chat), message_id, {"text": text or "."}),
            }
            return self._push({"callback_query": query})

    def _push(self, update: dict[str, Any]) -> int:
        update_id = self._next_update
        self._next_update += 1
        self._updates.append({"update_id": update_id, **update})
        self._arrived.notify_all()
        return update_id

    @property
    def api_url(self) -> str:
        return self.origin

    def fail_next(
        self,
        method: str,
        status: int,
        description: str,
        parameters: dict[str, Any] | None = None,
        times: int = 1,
    ) -> None:
        """Answer the next `times` calls of `method` ("*": any) with this error."""
        self._faults.add(method, (status, description, parameters), times)

    def migrate_chat(self, old: str, new: str) -> None:
        """From now on `old` answers every call with migrate_to_chat_id=`new`."""
        with self.lock:
            self.migrations[str(old)] = str(new)

    def handle(self, request: HttpRequest) -> HttpResponse:
        match = re.fullmatch(r"/bot([^/]+)/([A-Za-z]+)", request.path)
        if match is None:
            return _error(404, "Not Found")
        if match.group(1) != self.token:
            return _error(401, "Unauthorized")
        method, params = match.group(2), request_params(request)
        fault = self.scripted(method, params)
        if fault is not None:
            return _error(*fault)
        handler = getattr(self, f"_api_{method.lower()}", None)
        if handler is None:
            return _error(404, "Not Found")
        with self.lock:
            problem = self._precheck(method, params)
            result: HttpResponse = handler(params) if problem is None else problem
            return result

    def _api_getupdates(self, params: dict[str, Any]) -> HttpResponse:
        offset = int(params.get("offset") or 0)
        limit = int(params.get("limit") or 100)
        deadline = time.monotonic() + float(params.get("timeout") or 0)
        self._updates = [u for u in self._updates if u["update_id"] >= offset]
        while not self._updates and not self._stopping.is_set():
            left = deadline - time.monotonic()
            if left <= 0:
                break
            self._arrived.wait(min(left, 0.2))
        return _ok(self._updates[:limit])

    def _api_answercallbackquery(self, params: dict[str, Any]) -> HttpResponse:
        query_id = str(params.get("callback_query_id", ""))
        if query_id not in self._pending_presses:
            return _error(
                400,
                "Bad Request: query is too old and response timeout expired or query ID is invalid",
            )
        self._pending_presses.discard(query_id)
        show = str(params.get("show_alert", "")).lower() == "true"
        self.press_answers[query_id] = (str(params.get("text", "")), show)
        return _ok(True)

    def _keep_markup(
        self, chat: str, message_id: int, params: dict[str, Any]
    ) -> HttpResponse | None:
        raw = params.get("reply_markup")
        if isinstance(raw, str):
            raw = json.loads(raw)
        if raw is None:
            self.markups.get(chat, {}).pop(message_id, None)
            return None
        for row in raw.get("inline_keyboard", []):
            for button in row:
                data = button.get("callback_data")
                if data is not None and not 1 <= len(str(data).encode()) <= 64:
                    return _error(400, "Bad Request: BUTTON_DATA_INVALID")
        self.markups.setdefault(chat, {})[message_id] = raw
        return None

    def _precheck(self, method: str, params: dict[str, Any]) -> HttpResponse | None:
        if method not in ("sendMessage", "editMessageText"):
            return None
        return self._check_chat(str(params.get("chat_id", ""))) or self._check_text(params)

    def _api_getme(self, params: dict[str, Any]) -> HttpResponse:
        return _ok(self._bot_user())

    def _api_sendmessage(self, params: dict[str, Any]) -> HttpResponse:
        chat = str(params["chat_id"])
        box = self.messages.setdefault(chat, {})
        target, allow_missing = _reply_target(params)
        if target is not None and target not in box:
            if not allow_missing:
                return _error(400, "Bad Request: message to be replied not found")
            target = None
        message_id = max(box, default=0) + 1
        bad_markup = self._keep_markup(chat, message_id, params)
        if bad_markup is not None:
            return bad_markup
        box[message_id] = str(params["text"])
        message = self._message(chat, message_id, params)
        if params.get("message_thread_id"):
            message["message_thread_id"] = int(params["message_thread_id"])
        if target is not None:
            self.replies.setdefault(chat, {})[message_id] = target
            message["reply_to_message"] = self._message(chat, target, {"text": box[target]})
        return _ok(message)

    def _api_editmessagetext(self, params: dict[str, Any]) -> HttpResponse:
        chat = str(params["chat_id"])
        box = self.messages.get(chat, {})
        message_id = int(params.get("message_id") or 0)
        if message_id not in box:
            return _error(400, "Bad Request: message to edit not found")
        if box[message_id] == str(params["text"]) and self._same_markup(chat, message_id, params):
            return _error(
                400,
                "Bad Request: message is not modified: specified new message content and reply "
                "markup are exactly the same as a current content and reply markup of the message",
            )
        bad_markup = self._keep_markup(chat, message_id, params)
        if bad_markup is not None:
            return bad_markup
        box[message_id] = str(params["text"])
        return _ok({**self._message(chat, message_id, params), "edit_date": int(time.time())})

    def _same_markup(self, chat: str, message_id: int, params: dict[str, Any]) -> bool:
        raw = params.get("reply_markup")
        if isinstance(raw, str):
            raw = json.loads(raw)
        return bool(raw == self.markups.get(chat, {}).get(message_id))

    def _check_chat(self, chat: str) -> HttpResponse | None:
        if not chat:
            return _error(400, "Bad Request: chat_id is empty")
        if chat in self.migrations:
            return _error(
                400,
                "Bad Request: group chat was upgraded to a supergroup chat",
                {"migrate_to_chat_id": int(self.migrations[chat])},
            )
        if self.chats is not None and chat not in self.chats:
            return _error(400, "Bad Request: chat not found")
        return None

    def _check_text(self, params: dict[str, Any]) -> HttpResponse | None:
        text = str(params.get("text", ""))
        plain = text
        if str(params.get("parse_mode", "")).upper() == "HTML":
            try:
                plain, _ = parse_html(text)
            except EntityParseError as exc:
                return _error(400, f"Bad Request: can't parse entities: {exc}")
        if not plain.strip():
            return _error(400, "Bad Request: message text is empty")
        if _utf16_len(plain) > MAX_TEXT:
            return _error(400, "Bad Request: message is too long")
        return None

    def _bot_user(self) -> dict[str, Any]:
        bot_id = int(self.token.split(":")[0]) if self.token.split(":")[0].isdigit() else 1
        return {"id": bot_id, "is_bot": True, "first_name": "Watcher", "username": "watcher_bot"}

    def _message(self, chat: str, message_id: int, params: dict[str, Any]) -> dict[str, Any]:
        text = str(params["text"])
        if str(params.get("parse_mode", "")).upper() == "HTML":
            text, _ = parse_html(text)
        return {
            "message_id": message_id,
            "from": self._bot_user(),
            "date": int(time.time()),
            "chat": _chat(chat),
            "text": text,
        }


def _reply_target(params: dict[str, Any]) -> tuple[int | None, bool]:
    """The message a sendMessage replies to, and whether a missing one may be ignored."""
    raw = params.get("reply_parameters")
    if isinstance(raw, str):
        raw = json.loads(raw)  # form-encoded: a JSON-serialized object, as the Bot API says
    if isinstance(raw, dict) and raw.get("message_id") is not None:
        allow = raw.get("allow_sending_without_reply") in (True, "true", "True")
        return int(raw["message_id"]), allow
    if params.get("reply_to_message_id"):
        allow = str(params.get("allow_sending_without_reply", "")).lower() == "true"
        return int(params["reply_to_message_id"]), allow
    return None, False


def _user(user: int) -> dict[str, Any]:
    return {"id": user, "is_bot": False, "first_name": f"user {user}"}


def _chat(chat: str) -> dict[str, Any]:
    if chat.lstrip("-").isdigit():
        kind = "supergroup" if chat.startswith("-100") else "group" if chat[0] == "-" else "private"
        return {"id": int(chat), "type": kind, "title": f"chat {chat}"}
    return {"id": -1000000000000 - len(chat), "type": "channel", "username": chat.lstrip("@")}


def _ok(result: object) -> HttpResponse:
    return HttpResponse.json(200, {"ok": True, "result": result})


def _error(status: int, description: str, parameters: dict[str, Any] | None = None) -> HttpResponse:
    payload: dict[str, Any] = {"ok": False, "error_code": status, "description": description}
    if parameters:
        payload["parameters"] = parameters
    return HttpResponse.json(status, payload)
