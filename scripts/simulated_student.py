"""A simulated student for `scripts/load_test.py`: one browser tab of the playground, on the wire.

It speaks Bokeh's websocket protocol with Bokeh's own message classes, doing what BokehJS and the app's
BrowserBridge do in a real tab (see load_test.py's docstring for the steps). It keeps no Bokeh Document:
it reads each PATCH-DOC's events for the few models it watches, which keeps 30 of them cheap to run.
"""

from __future__ import annotations

import asyncio
import json
import random
import re
import time
from http.cookies import SimpleCookie
from urllib.parse import urlsplit

from bokeh.client.websocket import WebSocketClientConnectionWrapper
from bokeh.protocol import Protocol
from bokeh.protocol.messages.patch_doc import patch_doc
from bokeh.protocol.receiver import Receiver
from bokeh.util.token import get_session_id
from tornado.httpclient import AsyncHTTPClient, HTTPRequest
from tornado.websocket import websocket_connect

from playground.live.frame_encoding import frame_id_and_weights

LISTENERS = ("LiveText", "LossChart")  # components whose views tell the server they listen (live_component.py)
BALANCER_COOKIE = "playground_backend"  # deploy/haproxy.cfg's sticky cookie: which backend a page is on
SAFE_LEARNING_RATES = ["0.001", "0.003", "0.01", "0.03", "0.1"]  # never so high that training breaks down
NOISE_VALUES = list(range(0, 55, 5))


def _objects(node) -> dict[str, dict]:
    """Every model serialized whole in `node` (a document, or a patch event's new value), by id."""
    objects: dict[str, dict] = {}

    def walk(node) -> None:
        if isinstance(node, dict):
            if node.get("type") == "object" and "id" in node and "attributes" in node:
                objects[node["id"]] = node
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    walk(node)
    return objects


def _noise_slider(objects: dict[str, dict]) -> tuple[str, object] | None:
    """The noise slider's (a `RangeInput` browser component) data model, whose `value` the page sets, and
    that value."""
    for obj in objects.values():
        if "noise-slider" in (obj["attributes"].get("css_classes") or []):
            data = objects[obj["attributes"]["data"]["id"]]
            return data["id"], data["attributes"].get("value", 0)  # Bokeh leaves out a value at its default (0)
    return None


def find_models(doc_json: dict) -> dict[str, str]:
    """Ids of the models a student touches, found in the pulled document by their CSS classes. The noise
    slider is in the data column, which comes after the first frame (`_on_patch` finds it then)."""
    objects = _objects(doc_json)
    found: dict = {}
    for model_id, obj in objects.items():
        attrs = obj["attributes"]
        if attrs.get("class_name") == "TopControls":  # the top bar: Play, the learning rate
            found["top"], found["top_data"] = model_id, attrs["data"]["id"]
        if attrs.get("class_name") == "NetworkCanvas":  # the network canvas: frames, points, acks
            found["canvas"] = model_id
            found["canvas_data"] = attrs["data"]["id"]
        if obj["name"].endswith("Location"):
            found["location"] = model_id
        if attrs.get("class_name") in LISTENERS:  # views that say they read messages once rendered
            found.setdefault("listeners", []).append(model_id)
    missing = {"top", "canvas", "location"} - set(found)
    if missing:
        raise RuntimeError(f"the page has no {', '.join(sorted(missing))} model: has the app changed?")
    top = objects[found["top_data"]]["attributes"]
    menus = [_entries(menu) for menu in top["menus"]]
    rate = next(menu for menu in menus if menu["name"] == "learningRate")
    found["rate_options"] = [label for label, _enabled in rate["options"]]
    found["rate_value"] = _entries(top["values"]).get("learningRate")
    if (noise := _noise_slider(objects)) is not None:
        found["noise"], found["noise_value"] = noise
    return found


def _as_map(value):
    """A value as BokehJS serialises it: plain objects as {"type": "map", "entries": [...]}, a model's
    reference ({"id": ...}) as it is."""
    if isinstance(value, dict):
        if set(value) == {"id"}:
            return value
        return {"type": "map", "entries": [[key, _as_map(item)] for key, item in value.items()]}
    if isinstance(value, list):
        return [_as_map(item) for item in value]
    return value


def _entries(value) -> dict:
    """A dict as Bokeh serializes it ({"type": "map", "entries": [[key, value], …]}) or as plain JSON."""
    if isinstance(value, dict) and value.get("type") == "map":
        return dict(value["entries"])
    return value


class Student:
    """One tab. `base`: the server's (or balancer's) URL, e.g. http://127.0.0.1:5890; the tab's Origin is
    `origin` (default: the base's). It keeps its cookies as a browser does (a balancer's sticky cookie, the
    server's worker cookie). With `reload_on_loss`, a tab whose websocket the server closes loads the page
    again, as a student does when the page says the connection was lost: `reloads` records when."""

    def __init__(self, index: int, base: str, rng: random.Random, change_every: float, origin: str | None = None,
                 reload_on_loss: bool = False):
        self.index, self.base, self.rng = index, base.rstrip("/"), rng
        parts = urlsplit(self.base)
        self.origin = origin or f"{parts.scheme}://{parts.netloc}"
        self.ws_url = f"{'wss' if parts.scheme == 'https' else 'ws'}://{parts.netloc}{parts.path}/ws"
        self.cookies: dict[str, str] = {}
        self.reload_on_loss = reload_on_loss
        self.reloads: list[dict] = []  # {"at": when the connection was lost, "back_at": first frame after reload}
        self.change_every = (change_every * 2 / 3, change_every * 4 / 3)
        self.protocol, self.receiver = Protocol(), Receiver(Protocol())
        self.frames: list[float] = []
        self.new_weights: list[float] = []  # when a frame brought weights other than the last one's (new epochs)
        self._weights = b""
        self._last_draw = 0.0  # when the last frame is drawn (the page draws one per animation frame)
        self.action_latencies: list[float] = []
        self.echo_latencies: list[float] = []
        self.errors: list[str] = []
        self.restarts = self.changes = self.noise_changes = 0
        self.session_id, self.ws = "", None
        self.session_ids: list[str] = []  # every page's session (a reload makes a new one)
        self.backends: list[str | None] = []  # per page: the balancer's sticky cookie, where there is one
        self.opened_at = self.closed_at = 0.0
        self.whole_page_at = 0.0  # when the rest of the page (the data column, ...) came: its first page only
        self._pending_points: float | None = None
        self._pending_echo: float | None = None
        self._playing = self._closing = False

    async def run(self, start_at: float, stop_at: float) -> dict:
        await asyncio.sleep(max(0.0, start_at - time.time()))
        try:
            try:
                await asyncio.wait_for(self._open(), timeout=max(1.0, stop_at - time.time()))
            except asyncio.TimeoutError:
                raise TimeoutError("could not open the page and its websocket before the run ended") from None
            reader = asyncio.ensure_future(self._read())
            # the page is drawn: with no URL hash reported by its Location, the app draws its frames
            await self._views_rendered()
            await self._press_play()
            next_change = time.time() + self.rng.uniform(*self.change_every)
            while (now := time.time()) < stop_at:
                if reader.done():
                    if not (self.reload_on_loss and isinstance(reader.exception(), ConnectionError)):
                        break
                    reader = await self._reload(stop_at)
                    continue
                if now >= next_change:
                    await self._change_setting()
                    next_change = now + self.rng.uniform(*self.change_every)
                await asyncio.sleep(min(stop_at, next_change, now + 0.25) - now)
            if reader.done() and reader.exception():
                self.errors.append(f"connection: {reader.exception()!r}")
            self._closing, self.closed_at = True, time.time()  # from now on nothing more is sent
            self.ws.close(1000, "student left")
            reader.cancel()
        except Exception as exc:  # a student that cannot connect is a failure to report, not a crash
            self.errors.append(f"{type(exc).__name__}: {exc}")
            self.closed_at = self.closed_at or time.time()
            self._closing = True
            if self.ws is not None:
                self.ws.close(1000, "student failed")
        return {"session_id": self.session_id, "session_ids": self.session_ids, "backends": self.backends,
                "opened_at": self.opened_at, "whole_page_at": self.whole_page_at, "frames": self.frames, "new_weights": self.new_weights,
                "action": self.action_latencies,
                "echo": self.echo_latencies, "errors": self.errors, "restarts": self.restarts,
                "changes": self.changes, "noise_changes": self.noise_changes, "closed_at": self.closed_at, "reloads": self.reloads}

    async def _reload(self, stop_at: float) -> asyncio.Future:
        """The server closed the websocket: load the page again (its cookies kept) and train on."""
        lost = {"at": time.time(), "back_at": None, "backend_before": self.backends[-1] if self.backends else None}
        self.reloads.append(lost)
        self.ws, self._pending_points, self._pending_echo = None, None, None  # nothing is sent meanwhile
        while time.time() < stop_at:
            try:
                await asyncio.wait_for(self._open(), timeout=max(1.0, stop_at - time.time()))
                break
            except Exception as exc:  # the balancer may not have noticed yet: try again shortly
                lost.setdefault("failed_tries", []).append(f"{type(exc).__name__}: {exc}")
                await asyncio.sleep(0.5)
        frames_before = len(self.frames)
        reader = asyncio.ensure_future(self._read())
        await self._views_rendered()
        await self._press_play()
        lost["frames_before"] = frames_before
        return reader

    async def _views_rendered(self) -> None:
        """What a tab sends once it has built its views: each live component's {listening: true}, then
        Panel's `document_ready` event."""
        for model_id in self.models.get("listeners", []):
            await self._event("data_event", {"model": {"id": model_id}, "data": {"listening": True}})
        await self._event("document_ready", {})

    def _headers(self, **extra: str) -> dict:
        headers = {"Origin": self.origin, **extra}
        if self.cookies:
            headers["Cookie"] = "; ".join(f"{k}={v}" for k, v in self.cookies.items())
        return headers

    def _keep_cookies(self, headers) -> None:
        for line in headers.get_list("Set-Cookie"):
            for name, morsel in SimpleCookie(line).items():
                self.cookies[name] = morsel.value

    async def _open(self) -> None:
        self.opened_at = self.opened_at or time.time()
        page = await AsyncHTTPClient().fetch(f"{self.base}/", headers=self._headers(), request_timeout=120)
        self._keep_cookies(page.headers)
        html = page.body.decode()
        token = re.search(r'"token":\s*"([^"]+)"', html).group(1)
        self.session_id = get_session_id(token)
        self.session_ids.append(self.session_id)
        self.backends.append(self.cookies.get(BALANCER_COOKIE))
        if "page-link" in html:  # the page posts its (empty) hash first thing (early_link.py)
            posted = await AsyncHTTPClient().fetch(
                f"{self.base}/page-link", method="POST", body=json.dumps({"session": self.session_id, "hash": ""}),
                headers=self._headers(**{"Content-Type": "application/json"}), raise_error=False,
                request_timeout=120)
            self._keep_cookies(posted.headers)
        request = HTTPRequest(self.ws_url, headers=self._headers(), request_timeout=120)
        socket = await websocket_connect(request, subprotocols=["bokeh", token], max_message_size=20 * 2**20)
        self._keep_cookies(socket.headers)
        self.ws = WebSocketClientConnectionWrapper(socket)
        if (await self._receive()).msgtype != "ACK":
            raise RuntimeError("the server did not acknowledge the connection")
        await self.protocol.create("PULL-DOC-REQ").send(self.ws)
        while (reply := await self._receive()).msgtype != "PULL-DOC-REPLY":
            pass
        self.models = find_models(reply.content["doc"])

    async def _receive(self):
        while True:
            fragment = await self.ws.read_message()
            if fragment is None:
                raise ConnectionError("the server closed the websocket")
            message = await self.receiver.consume(fragment)
            if message is not None:
                return message

    async def _read(self) -> None:
        while True:
            message = await self._receive()
            if message.msgtype == "ERROR":
                self.errors.append(f"server refused a message: {message.content.get('text')}")
            elif message.msgtype == "PATCH-DOC":
                self._on_patch(message.content["events"], time.time())

    def _on_patch(self, events: list[dict], now: float) -> None:
        m = self.models
        for event in events:
            if event.get("kind") == "MessageSent":  # a component's message: the canvas's frames come so
                self._on_message(event.get("msg_data"), now)
                continue
            model, attr = event.get("model", {}).get("id"), event.get("attr")
            if "noise" not in m and isinstance(event.get("new"), (list, dict)):  # the data column has come
                if (noise := _noise_slider(_objects(event["new"]))) is not None:
                    m["noise"], m["noise_value"] = noise
                    self.whole_page_at = self.whole_page_at or now
            if model == m["canvas_data"] and attr == "frame":
                self._on_frame(event["new"], now)
            elif model == m["canvas_data"] and attr == "points" and self._pending_points is not None:
                self.action_latencies.append(now - self._pending_points)
                self._pending_points = None
            elif model == m["location"] and attr == "hash" and self._pending_echo is not None:
                self.echo_latencies.append(now - self._pending_echo)
                self._pending_echo = None
            elif model == m["top_data"] and attr == "playing" and event["new"] is False and self._playing:
                self._playing = False  # training stopped on its own: press Play again, as a student would
                self.restarts += 1
                asyncio.get_running_loop().call_later(1.0, lambda: asyncio.ensure_future(self._press_play()))

    def _on_message(self, data, now: float) -> None:
        """A Panel ESM message (`_send_msg`): {"type": "event", "name": "esm_event", "values": {model, data}}."""
        if not isinstance(data, dict) or data.get("name") != "esm_event":
            return
        values = _entries(data.get("values"))
        if not isinstance(values, dict) or (values.get("model") or {}).get("id") != self.models.get("canvas"):
            return
        payload = _entries(values.get("data"))
        if isinstance(payload, dict) and isinstance(payload.get("frame"), str):
            self._on_frame(payload["frame"], now)

    def _on_frame(self, text: str, now: float) -> None:
        self.frames.append(now)
        frame_id, weights = frame_id_and_weights(text)
        if weights != self._weights:  # else the picture is the last one's
            self._weights = weights
            self.new_weights.append(now)
        if self.reloads and self.reloads[-1]["back_at"] is None:
            self.reloads[-1]["back_at"] = now
        # the canvas queues frames and draws one per animation frame (60 Hz), acknowledging each
        tick = 1 / 60
        draw_at = max(now + tick - (now % tick), self._last_draw + tick)
        self._last_draw = draw_at
        asyncio.get_running_loop().call_later(draw_at - now, self._ack, frame_id)

    def _ack(self, frame_id: int) -> None:
        asyncio.ensure_future(self._event("data_event", {"model": {"id": self.models["canvas"]},
                                                         "data": {"ack": frame_id}}))

    async def _press_play(self) -> None:
        self._playing = True
        await self._event("data_event", {"model": {"id": self.models["top"]},
                                         "data": {"action": "click", "button": "playButton"}})

    async def _change_setting(self) -> None:
        self.changes += 1
        m = self.models  # always a different value: an unchanged setting would have nothing to show
        now = time.time()
        self._pending_echo = now
        if self.rng.random() < 0.5 or "noise" not in m:
            m["rate_value"] = self.rng.choice([r for r in SAFE_LEARNING_RATES
                                               if r in m["rate_options"] and r != m["rate_value"]])
            await self._event("data_event", {"model": {"id": m["top"]}, "data": {
                "action": "choose", "menu": "learningRate", "value": m["rate_value"]}})
            return
        m["noise_value"] = value = self.rng.choice([n for n in NOISE_VALUES if n != m["noise_value"]])
        self.noise_changes += 1
        self._pending_points = now
        await self._patch([{"kind": "ModelChanged", "model": {"id": m["noise"]}, "attr": "value", "new": value}])

    async def _event(self, name: str, values: dict) -> None:
        """A UI event, as BokehJS sends it: a MessageSent "bokeh_event" in a PATCH-DOC, its values (and any
        object in them but a model's reference) serialised as maps."""
        await self._patch([{"kind": "MessageSent", "msg_type": "bokeh_event",
                            "msg_data": {"type": "event", "name": name, "values": _as_map(values)}}])

    async def _patch(self, events: list[dict]) -> None:
        if self._closing or self.ws is None:
            return
        try:
            await patch_doc(patch_doc.create_header(), {}, {"events": events}).send(self.ws)
        except Exception as exc:
            self.errors.append(f"send failed: {exc!r}")


def run_students(indices: list[int], total: int, base: str, seed: int, change_every: float, ramp: float,
                 start: float, stop_at: float, results, origin: str | None = None,
                 reload_on_loss: bool = False) -> None:
    """One client process: its students as asyncio tasks (arriving evenly over `ramp` seconds); puts
    (results, CPU seconds) on the queue."""
    async def main():
        AsyncHTTPClient.configure(None, max_clients=len(indices))  # like separate browsers: no shared queue
        students = [Student(i, base, random.Random(seed + i), change_every, origin, reload_on_loss) for i in indices]
        return await asyncio.gather(*(s.run(start + ramp * s.index / total, stop_at) for s in students))

    cpu0 = time.process_time()
    outcome = asyncio.run(main())
    results.put((outcome, time.process_time() - cpu0))
