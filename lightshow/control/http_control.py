"""HTTP control of the player (FastAPI): the OSC commands as an API, a status stream, a page.

Every request that changes the show needs ``Authorization: Bearer <token>`` (checked
before its body is read, see :mod:`lightshow.guard.http_guard`).  Reading (status,
the show's chapters and cues, nodes, the status WebSocket, the operator page, and the
river-front view: its page, layout and frame stream at /view, /api/view/...) does not.
A bad request is a 4xx that says why, without echoing what was sent.  OpenAPI is at
/docs and /openapi.json.
"""

from __future__ import annotations

import asyncio
import hmac
from typing import Callable

from fastapi import APIRouter, Depends, FastAPI, Header, HTTPException, WebSocket, WebSocketDisconnect
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, Response
from pydantic import BaseModel, Field

from lightshow.guard.http_guard import HttpGuard, validation_response
from lightshow.errors import LightshowError, NotFoundError
from lightshow.playback.player import Player
from lightshow.control.view_stream import ViewStream
from lightshow.control.view_web import page_file, view_router

MAX_FADE_S = 3600.0
MIN_TOKEN_CHARS = 8
MAX_WEBSOCKETS = 200
HEALTH_SILENT_S = 2.0


class Level(BaseModel):
    level: float = Field(ge=0.0, le=1.0, allow_inf_nan=False, description="0..1")
    fade_s: float = Field(0.0, ge=0.0, le=MAX_FADE_S, allow_inf_nan=False)


class Switch(BaseModel):
    on: bool
    fade_s: float = Field(0.0, ge=0.0, le=MAX_FADE_S, allow_inf_nan=False)


class Seek(BaseModel):
    time_s: float = Field(ge=0.0, allow_inf_nan=False)


class Rate(BaseModel):
    rate: float = Field(gt=0.0, le=8.0, allow_inf_nan=False)


def _run(command: Callable[[], dict]) -> dict:
    try:
        return command()
    except NotFoundError as exc:
        raise HTTPException(404, str(exc)) from None
    except LightshowError as exc:
        raise HTTPException(409, str(exc)) from None


def create_app(player: Player, token: str, nodes: Callable[[], list[dict]] | None = None,
               routers: list[APIRouter] = (), schedule=None, alerts=None,
               view: ViewStream | None = None) -> FastAPI:
    """The operator app; ``schedule`` (a ScheduleDriver) adds ``/api/schedule`` and its hold;
    ``alerts`` (an Alerts) the latest alerts at ``/api/alerts`` (empty without); ``view`` the
    river-front at ``/view`` and in the operator page (404 without)."""
    if len(token or "") < MIN_TOKEN_CHARS:
        raise LightshowError(f"the HTTP API needs a token of at least {MIN_TOKEN_CHARS} characters "
                             "(--token or LIGHTSHOW_TOKEN)")
    app = FastAPI(title="lightshow", description="Operator control of a playing light show.")
    app.add_middleware(HttpGuard, token=token)

    app.add_exception_handler(RequestValidationError, validation_response)

    def authorised(authorization: str = Header("", description="Bearer TOKEN")) -> None:
        scheme, _, given = authorization.partition(" ")
        if scheme.lower() != "bearer" or not hmac.compare_digest(given.encode(), token.encode()):
            raise HTTPException(401, "a valid token is needed: Authorization: Bearer TOKEN",
                                headers={"WWW-Authenticate": "Bearer"})

    control = APIRouter(prefix="/api", dependencies=[Depends(authorised)])
    reading = APIRouter(prefix="/api")

    @reading.get("/status")
    async def status() -> dict:        # on the event loop: no thread hop for the most asked question
        return player.status()

    @reading.get("/show")
    def show() -> dict:
        return {**player.index.as_json(), "groups": player.group_names}

    @reading.get("/nodes")
    def node_list() -> list[dict]:
        return nodes() if nodes else []

    @reading.get("/health")
    async def health() -> JSONResponse:
        """200 while the show's clock loop sends frames; 503 (for a load balancer or a monitor) when
        it has been silent for more than HEALTH_SILENT_S."""
        silent_s = player.silent_s()
        healthy = silent_s <= HEALTH_SILENT_S
        return JSONResponse({"ok": healthy, "output_silent_s": round(min(silent_s, 1e9), 3)},
                            status_code=200 if healthy else 503)

    @reading.get("/schedule")
    def schedule_status() -> dict:
        if schedule is None:
            raise HTTPException(404, "no schedule: serve was started without --schedule")
        return schedule.status()

    @reading.get("/alerts")
    def alert_list() -> list[dict]:
        """The latest alerts (a dead node, a missed run), newest first."""
        return alerts.recent() if alerts is not None else []

    @control.post("/schedule/hold")
    def schedule_hold(body: Switch) -> dict:
        if schedule is None:
            raise HTTPException(404, "no schedule: serve was started without --schedule")
        return schedule.hold(body.on)

    @control.post("/play")
    def play() -> dict:
        return _run(player.play)

    @control.post("/pause")
    def pause() -> dict:
        return _run(player.pause)

    @control.post("/resume")
    def resume() -> dict:
        return _run(player.resume)

    @control.post("/stop")
    def stop() -> dict:
        return _run(player.stop)

    @control.post("/go")
    def go() -> dict:
        return _run(player.go)

    @control.post("/seek")
    def seek(body: Seek) -> dict:
        return _run(lambda: player.seek_s(body.time_s))

    @control.post("/goto/cue/{cue_id}")
    def goto_cue(cue_id: str) -> dict:
        return _run(lambda: player.goto_cue(cue_id))

    @control.post("/goto/chapter/{ref}")
    def goto_chapter(ref: str) -> dict:
        return _run(lambda: player.goto_chapter(ref))

    @control.post("/rate")
    def rate(body: Rate) -> dict:
        return _run(lambda: player.set_rate(body.rate))

    @control.post("/loop")
    def loop(body: Switch) -> dict:
        return _run(lambda: player.set_loop(body.on))

    @control.post("/master")
    def master(body: Level) -> dict:
        return _run(lambda: player.set_master(body.level, body.fade_s))

    @control.post("/blackout")
    def blackout(body: Switch) -> dict:
        return _run(lambda: player.set_blackout(body.on, body.fade_s))

    @control.post("/freeze")
    def freeze(body: Switch) -> dict:
        return _run(lambda: player.set_freeze(body.on))

    @control.post("/groups/{name}/intensity")
    def group(name: str, body: Level) -> dict:
        return _run(lambda: player.set_group(name, body.level, body.fade_s))

    watching = set()

    @app.websocket("/api/status/ws")
    async def status_stream(socket: WebSocket) -> None:
        if len(watching) >= MAX_WEBSOCKETS:
            await socket.close(code=1013, reason="too many status streams; try again later")
            return
        await socket.accept()
        watching.add(socket)
        loop = asyncio.get_running_loop()
        updates: asyncio.Queue = asyncio.Queue(maxsize=64)

        def push(state: dict) -> None:
            def put():
                if not updates.full():
                    updates.put_nowait(state)
            loop.call_soon_threadsafe(put)
        unsubscribe = player.subscribe(push)
        try:
            await socket.send_json(player.status())
            while True:
                await socket.send_json(await updates.get())
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            watching.discard(socket)
            unsubscribe()

    @app.get("/", response_class=HTMLResponse)
    def page() -> str:
        return page_file("operator.html")

    @app.get("/operator.js")
    def page_script() -> Response:
        return Response(page_file("operator.js"), media_type="text/javascript")

    app.include_router(reading)
    app.include_router(control)
    app.include_router(view_router(view))
    for router in routers:
        app.include_router(router)
    return app
