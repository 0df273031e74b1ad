"""The river-front view over HTTP: the page, its script, the layout, the background and the frame
stream, read-only and without a token, for the operator's app (``serve``) and for a server of the
view alone (``simulate --live --web``: live Art-Net in the browser).

Routes: ``/view``, ``/view.js``, ``GET /api/view/layout``, ``/api/view/background.png`` and the
WebSocket ``/api/view/ws`` (at most ``MAX_VIEWERS`` at once).  Without a view the layout and the
background are 404 and the WebSocket is closed with a reason.
"""

from __future__ import annotations

import importlib.resources
import json
import secrets

from fastapi import APIRouter, FastAPI, HTTPException, WebSocket, WebSocketDisconnect
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from lightshow.control.view_stream import ViewStream, stream_view
from lightshow.guard.http_guard import HttpGuard

MAX_VIEWERS = 32           # view streams at once (each up to a few Mbit/s)


def page_file(name: str) -> str:
    """A page or script of ``lightshow/control`` (``operator.html``, ``view.js``...)."""
    return importlib.resources.files("lightshow.control").joinpath(name).read_text("utf-8")


def view_router(view: ViewStream | None) -> APIRouter:
    router = APIRouter()
    viewers = set()
    layout_json = json.dumps(view.layout, separators=(",", ":")).encode() if view else b""

    def need_view() -> ViewStream:
        if view is None:
            raise HTTPException(404, "no river-front view in this server")
        return view

    @router.get("/api/view/layout")
    def view_layout() -> Response:
        """Where every screen cell, washer and head is drawn, and the drawing's constants."""
        need_view()
        return Response(layout_json, media_type="application/json")

    @router.get("/api/view/background.png")
    def view_background() -> Response:
        return Response(need_view().background_png, media_type="image/png",
                        headers={"cache-control": "max-age=3600"})

    @router.websocket("/api/view/ws")
    async def view_stream(socket: WebSocket) -> None:
        if view is None:
            await socket.close(code=1008, reason="no river-front view in this server")
            return
        if len(viewers) >= MAX_VIEWERS:
            await socket.close(code=1013, reason="too many views; try again later")
            return
        await socket.accept()
        viewers.add(socket)
        try:
            await stream_view(socket, view)
        except (WebSocketDisconnect, RuntimeError):
            pass
        finally:
            viewers.discard(socket)

    @router.get("/view", response_class=HTMLResponse)
    def view_page() -> str:
        return page_file("view.html")

    @router.get("/view.js")
    def view_script() -> Response:
        return Response(page_file("view.js"), media_type="text/javascript")

    return router


def create_view_app(view: ViewStream, title: str) -> FastAPI:
    """A server of the view alone: ``/view`` (``/`` leads there) and ``GET /api/show`` (the title,
    and ``live: true``, so the page offers no operator page).  It takes no commands: the guard's
    token is random and never told, so any ``POST /api/...`` is refused."""
    app = FastAPI(title="lightshow live view", docs_url=None, redoc_url=None, openapi_url=None)
    app.add_middleware(HttpGuard, token=secrets.token_urlsafe(32))

    @app.get("/api/show")
    def show() -> dict:
        return {"title": title, "live": True}

    @app.get("/")
    def home() -> RedirectResponse:
        return RedirectResponse("/view", status_code=307)

    app.include_router(view_router(view))
    return app
