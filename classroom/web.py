"""The phones' side of a class game: a light page and JSON endpoints (Starlette, no streamlit).

streamlit_app.py mounts these routes in its ``st.App``, so ``streamlit run streamlit_app.py``
serves the Streamlit pages and these from one server and port. Why phones do not get a
Streamlit session each: docs/architecture.md ("Class games: the phone transport").

    GET  /join                          the phone page (plain HTML/JS; text set with textContent)
    POST /api/class/{code}/join         {"nickname"} -> {"token", "nickname"}
    GET  /api/class/{code}/state        ?since=<version>, header X-Player-Token: long poll
    POST /api/class/{code}/answer       {"round": n, "answer": {...}}, X-Player-Token
    POST /api/class/{code}/poll         {"pace", "happiness", "comment"}, X-Player-Token
    POST /api/class/{code}/host         {"key", "action": "advance" | "finish", "version"}

Errors are JSON ``{"error": message}`` with a 4xx status and a message a student can act on.
"""

from __future__ import annotations

import json
import logging
import threading
from collections import OrderedDict
from collections.abc import Callable
from pathlib import Path

from anyio import to_thread
from sqlalchemy.engine import Engine
from starlette.requests import Request
from starlette.responses import FileResponse, JSONResponse, Response
from starlette.routing import Route

import store

from . import host, players
from .database import shared_store
from .errors import ClassError, Invalid
from .live import Watcher
from .views import Public, phone_state, read_personal, read_public

__all__ = ["ClassroomApi", "routes", "MAX_BODY", "LONG_POLL"]

log = logging.getLogger("lmm_games.classroom")
STATIC = Path(__file__).resolve().parent / "static"
MAX_BODY = 16_384
LONG_POLL = 25.0
SECURITY_HEADERS = {
    "Content-Security-Policy": "default-src 'none'; script-src 'self'; style-src 'self'; "
    "connect-src 'self'; img-src 'self'; base-uri 'none'; form-action 'none'; "
    "frame-ancestors 'none'",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cache-Control": "no-store",
}


class ClassroomApi:
    """The endpoints, with one engine, one watcher and one cache of public states per process."""

    def __init__(self, engine_factory: Callable[[], Engine] = shared_store):
        self._engine_factory = engine_factory
        self._engine: Engine | None = None
        self._watcher: Watcher | None = None
        self._public: OrderedDict[tuple[int, int], Public] = OrderedDict()
        self._engine_lock, self._cache_lock = threading.Lock(), threading.Lock()

    @property
    def engine(self) -> Engine:
        with self._engine_lock:
            if self._engine is None:
                self._engine = self._engine_factory()
            return self._engine

    def routes(self) -> list[Route]:
        return [
            Route("/join", self.page, methods=["GET"]),
            Route("/join/{name:str}", self.asset, methods=["GET"]),
            Route("/api/class/{code:str}/join", self.join, methods=["POST"]),
            Route("/api/class/{code:str}/state", self.state, methods=["GET"]),
            Route("/api/class/{code:str}/answer", self.answer, methods=["POST"]),
            Route("/api/class/{code:str}/poll", self.poll, methods=["POST"]),
            Route("/api/class/{code:str}/host", self.host, methods=["POST"]),
        ]

    # ----- the page --------------------------------------------------------------------------
    async def page(self, request: Request) -> Response:
        return FileResponse(STATIC / "phone.html", headers=SECURITY_HEADERS)

    async def asset(self, request: Request) -> Response:
        name = request.path_params["name"]
        if name not in ("phone.js", "phone.css"):
            return JSONResponse({"error": "Not found."}, status_code=404)
        return FileResponse(STATIC / name, headers=SECURITY_HEADERS)

    # ----- the endpoints ---------------------------------------------------------------------
    async def join(self, request: Request) -> Response:
        async def work():
            body = await _json_body(request)
            joined = await _run(players.join, self.engine, request.path_params["code"],
                                body.get("nickname"))
            return {"token": joined.token, "nickname": joined.nickname}
        return await _respond(work)

    async def state(self, request: Request) -> Response:
        async def work():
            code, token = request.path_params["code"], request.headers.get("x-player-token")
            player = await _run(players.identify, self.engine, code, token)
            since = _int(request.query_params.get("since"), default=-1)
            if since == player.version:
                await self._watch().wait_past(player.game_id, since, LONG_POLL)
                player = await _run(players.identify, self.engine, code, token)
            return await _run(self._phone_state, player)
        return await _respond(work)

    async def answer(self, request: Request) -> Response:
        async def work():
            body = await _json_body(request)
            number = body.get("round")
            position = number - 1 if isinstance(number, int) else None
            receipt = await _run(players.submit_answer, self.engine,
                                 request.path_params["code"],
                                 request.headers.get("x-player-token"), position,
                                 body.get("answer"))
            return {"status": "already" if receipt.already else "stored",
                    "answer": dict(receipt.answer)}
        return await _respond(work)

    async def poll(self, request: Request) -> Response:
        async def work():
            body = await _json_body(request)
            already = await _run(players.submit_poll, self.engine, request.path_params["code"],
                                 request.headers.get("x-player-token"), body.get("pace"),
                                 body.get("happiness"), body.get("comment"))
            return {"status": "already" if already else "stored"}
        return await _respond(work)

    async def host(self, request: Request) -> Response:
        """The host's "next" and "end" for scripts and a second screen (the host page in
        Streamlit calls classroom.host directly)."""
        async def work():
            body = await _json_body(request)
            action = {"advance": host.advance, "finish": host.finish}.get(body.get("action"))
            if action is None:
                raise Invalid("The action is 'advance' or 'finish'.")
            args = (self.engine, request.path_params["code"], body.get("key"),
                    client_of(request))
            if action is host.advance:
                game = await _run(action, *args, _int(body.get("version"), default=None))
            else:
                game = await _run(action, *args)
            return {"phase": game.phase, "round_index": game.round_index,
                    "version": game.version}
        return await _respond(work)

    # ----- helpers ---------------------------------------------------------------------------
    def _watch(self) -> Watcher:
        if self._watcher is None:
            self._watcher = Watcher(self.engine)
        return self._watcher

    def _phone_state(self, player: players.Player) -> dict:
        public = self._public_state(player.game_id, player.version)
        me = read_personal(self.engine, public, player.id, player.nickname)
        return phone_state(public, player.id, me, store.utcnow())

    def _public_state(self, game_id: int, version: int) -> Public:
        """Read once per (game, version) in this process: a phase change wakes every phone
        at once, and they all need the same public state."""
        key = (game_id, version)
        with self._cache_lock:
            found = self._public.get(key)
            if found is None or found.game.version != version:
                found = read_public(self.engine, game_id)
                self._public[(game_id, found.game.version)] = found
                while len(self._public) > 64:
                    self._public.popitem(last=False)
            return found


def routes(engine_factory: Callable[[], Engine] = shared_store) -> list[Route]:
    """The phone page's routes, for st.App(routes=...)."""
    return ClassroomApi(engine_factory).routes()


def client_of(request: Request) -> str:
    """Who is asking, for counting wrong host keys: the address, or behind a proxy on this
    machine the address it forwards."""
    peer = request.client.host if request.client else "unknown"
    forwarded = request.headers.get("x-forwarded-for")
    if forwarded and peer in ("127.0.0.1", "::1"):
        return forwarded.split(",")[0].strip()[:64] or peer
    return peer


async def _run(fn, *args):
    return await to_thread.run_sync(fn, *args)


async def _respond(work) -> Response:
    try:
        return JSONResponse(await work(), headers={"Cache-Control": "no-store"})
    except ClassError as error:
        return JSONResponse({"error": error.message}, status_code=error.status,
                            headers={"Cache-Control": "no-store"})
    except Exception:  # noqa: BLE001 - a phone gets a message, the log gets the traceback
        log.exception("class game request failed")
        return JSONResponse({"error": "Something went wrong on the server; try again in a "
                             "moment."}, status_code=500)


async def _json_body(request: Request) -> dict:
    size = _int(request.headers.get("content-length"), default=0)
    if size > MAX_BODY:
        raise Invalid("That request is too large.")
    body = b""
    async for chunk in request.stream():
        body += chunk
        if len(body) > MAX_BODY:
            raise Invalid("That request is too large.")
    try:
        data = json.loads(body or b"{}")
    except (ValueError, UnicodeDecodeError):
        raise Invalid("The request is not JSON: reload the page.") from None
    if not isinstance(data, dict):
        raise Invalid("The request is not a JSON object: reload the page.")
    return data


def _int(text, default):
    if isinstance(text, int) and not isinstance(text, bool):
        return text
    try:
        return int(str(text)) if text is not None and len(str(text)) < 12 else default
    except ValueError:
        return default
