"""HTTP for the citizen content queue: the submission page and API, the moderator page and API.

``content_router(store, moderator_token)`` is self-contained (its own error
answers, its own pages and scripts, relative URLs) so that the operator's HTTP
app can mount it; ``create_content_app`` wraps it in an app of its own.

Every refusal is a JSON answer ``{error, status, reason_zh, reason_en}`` with a
4xx status.  The moderator signs in with the token (a cookie, HttpOnly and
SameSite=Strict, for the page and its pictures) or sends ``Authorization:
Bearer TOKEN``; a change made with the cookie must also carry the
``X-Lightshow-Moderator`` header, which no other site's form can send.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
import html
import json
import time
from collections import OrderedDict
from contextlib import asynccontextmanager
from functools import lru_cache
from typing import Any, Callable

import numpy as np
from fastapi import APIRouter, FastAPI, Request
from fastapi.concurrency import run_in_threadpool
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse, RedirectResponse, Response
from fastapi.routing import APIRoute
from starlette.formparsers import MultiPartException, MultiPartParser

from lightshow.queue import content_pages as pages
from lightshow.queue.content_store import ContentStore, RateLimit
from lightshow.content.fair_queue import upcoming
from lightshow.content.limits import ContentLimits
from lightshow.content.validation import DecodedArtwork
from lightshow.content.rejection import ContentRejected
from lightshow.content.text_fields import check_upload_name
from lightshow.guard.http_guard import WRONG_TOKENS_PER_MINUTE, validation_response
from lightshow.guard.peer_limit import PeerLimit
from lightshow.content.plain_wall import FACADE_GROUP, plain_wall_rig
from lightshow.core.pixelmap import PixelMap, Target
from lightshow.errors import LightshowError
from lightshow.model.rig import Rig

FORM_OVERHEAD_BYTES = 256 * 1024      # multipart headers and the text fields around the file
SESSION_COOKIE = "lightshow_moderator"
MODERATOR_HEADER = "X-Lightshow-Moderator"
PREVIEW_CACHE_SIZE = 64
QUEUE_VIEW_SLOTS = 20
NO_REPEAT_SLOTS = 3
LAYOUT_SCALE = 65535


@lru_cache(maxsize=4)
def load_facade_rig(rig_path: str, group: str = FACADE_GROUP) -> Rig:
    """The rig at ``rig_path``, which must have ``group`` (such as the river-front's media facades)."""
    from lightshow.diagnostics import has_errors
    from lightshow.load.project import Project

    rig, problems = Project().load_rig(rig_path)
    if rig is None or has_errors(problems) or group not in rig.groups:
        raise LightshowError(f"rig '{rig_path}' has no usable group '{group}' for previews")
    return rig


def facade_target(rig: Rig, group: str = FACADE_GROUP) -> Target:
    """The pixels of the rig's ``group``: what works are previewed on."""
    return PixelMap(rig).target(rig.groups[group].fixture_ids)


def load_facades(rig_path: str, group: str = FACADE_GROUP) -> Target:
    """The pixels of ``group`` of the rig at ``rig_path``."""
    return facade_target(load_facade_rig(rig_path, group), group)


def plain_facade() -> Target:
    """A plain wall of pixels to preview works on when no rig is given."""
    return facade_target(plain_wall_rig())


def facade_layout_json(target: Target) -> bytes:
    """The facade pixels for the page's own preview: box size and xy as base64 uint16 0..65535."""
    xy = np.round(np.asarray(target.xy, dtype=np.float64) * LAYOUT_SCALE).astype("<u2")
    return json.dumps({"size_m": list(target.size_m), "scale": LAYOUT_SCALE,
                       "xy_u16": base64.b64encode(xy.tobytes()).decode("ascii")}).encode()


def _refusal(exc: ContentRejected) -> JSONResponse:
    return JSONResponse(exc.as_dict(), status_code=exc.status)


class ContentRoute(APIRoute):
    """A route whose :class:`ContentRejected` becomes its JSON answer (no app handler needed)."""

    def get_route_handler(self) -> Callable:
        handler = super().get_route_handler()

        async def answer(request: Request) -> Response:
            try:
                return await handler(request)
            except ContentRejected as exc:
                return _refusal(exc)
        return answer


def _page(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status, headers={
        "Content-Security-Policy": pages.CONTENT_SECURITY_POLICY, "X-Content-Type-Options": "nosniff",
        "Referrer-Policy": "no-referrer", "Cache-Control": "no-store"})


def _script(text: str) -> Response:
    return Response(text, media_type="text/javascript; charset=utf-8",
                    headers={"X-Content-Type-Options": "nosniff"})


class Utf8FormParser(MultiPartParser):
    """A multipart parser whose text fields must be UTF-8: starlette's falls back to Latin-1, which
    turns a title in another encoding into mojibake instead of a refusal."""

    def on_part_end(self) -> None:
        if self._current_part.file is None:
            try:
                bytes(self._current_part.data).decode("utf-8")
            except UnicodeDecodeError:
                raise ContentRejected(400, "not-utf-8", "文字须为 UTF-8 编码。",
                                      f"the field '{self._current_part.field_name[:20]}' is not UTF-8 "
                                      "text; send the form from the submission page") from None
        super().on_part_end()


async def read_upload_form(request: Request, max_file_bytes: int) -> tuple[dict[str, str], bytes, str]:
    """(text fields, file bytes, file name) of a multipart upload, refusing an oversize body early."""
    cap = max_file_bytes + FORM_OVERHEAD_BYTES
    too_large = ContentRejected(413, "file-too-large",
                                f"文件太大(最大 {max_file_bytes / (1024 * 1024):g} MB)。",
                                f"the upload is too large: at most {max_file_bytes / (1024 * 1024):g} MB")
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > cap:
        raise too_large
    if not request.headers.get("content-type", "").startswith("multipart/form-data"):
        raise ContentRejected(415, "not-a-form", "请通过投稿页面上传。",
                              "send the work as multipart/form-data (the submission page does)")

    async def limited():
        total = 0
        async for chunk in request.stream():
            total += len(chunk)
            if total > cap:
                raise too_large
            yield chunk

    try:
        form = await Utf8FormParser(request.headers, limited(), max_files=1, max_fields=8,
                                     max_part_size=64 * 1024).parse()
    except MultiPartException as exc:
        raise ContentRejected(400, "bad-form", "上传的表单格式有误。",
                              f"the upload form is malformed ({exc.message})") from None
    try:
        upload = form.get("file")
        if upload is None or isinstance(upload, str):
            raise ContentRejected(400, "file-missing", "请选择一张图片。", "no picture was sent")
        data = await upload.read()
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        return fields, data, upload.filename or ""
    finally:
        await form.close()


def _consented(value: str | None) -> bool:
    return (value or "").strip().lower() in ("yes", "on", "true", "1")


def content_router(store: ContentStore, moderator_token: str,
                   facades: Callable[[], Target] = plain_facade,
                   preview: Callable[[DecodedArtwork], bytes] | None = None) -> APIRouter:
    """The routes of the content queue: ``/submit``, ``/moderate`` and ``/api/…``.

    ``facades`` gives the pixels the submission page previews works on (called when first
    needed); ``preview`` draws a work's moderator preview as a PNG (the simulator's picture of the
    rig with the work on it: the commands pass it, this layer draws nothing itself).
    """
    if len(moderator_token or "") < 8:
        raise LightshowError("the moderator token must be at least 8 characters")
    session = hmac.new(moderator_token.encode(), b"lightshow moderator session",
                       hashlib.sha256).hexdigest()
    previews: OrderedDict[str, bytes] = OrderedDict()
    router = APIRouter(route_class=ContentRoute)

    wrong_tokens = PeerLimit(WRONG_TOKENS_PER_MINUTE / 60.0, WRONG_TOKENS_PER_MINUTE)

    def wrong_token(request: Request) -> ContentRejected:
        """The refusal of a wrong token; a peer that keeps guessing is told to wait."""
        if not wrong_tokens.allow(request.client.host if request.client else "?", time.monotonic()):
            return ContentRejected(429, "too-many-attempts", "尝试次数过多,请一分钟后再试。",
                                   "too many wrong tokens from this address; wait a minute")
        return ContentRejected(403, "wrong-token", "审核口令错误。", "the moderator token is wrong")

    def moderator(request: Request, changing: bool = False) -> str:
        given = request.headers.get("authorization", "")
        if given.lower().startswith("bearer "):
            if hmac.compare_digest(given[7:].strip().encode(), moderator_token.encode()):
                return f"moderator@{request.client.host if request.client else '?'}"
            raise wrong_token(request)
        cookie = request.cookies.get(SESSION_COOKIE, "")
        if cookie:
            if not hmac.compare_digest(cookie.encode(), session.encode()):
                raise wrong_token(request)
            if changing and request.headers.get(MODERATOR_HEADER) != "1":
                raise ContentRejected(403, "missing-header", "请从审核页面操作。",
                                      f"changes need the {MODERATOR_HEADER} header (the moderator page "
                                      "sends it)")
            return f"moderator@{request.client.host if request.client else '?'}"
        raise ContentRejected(401, "token-missing", "需要审核口令。", "the moderator token is missing")

    # -- citizens -------------------------------------------------------------------------

    @router.get("/submit", response_class=HTMLResponse)
    async def submit_page() -> Response:
        return _page(pages.SUBMIT_HTML)

    @router.get("/submit.js")
    async def submit_script() -> Response:
        return _script(pages.SUBMIT_JS)

    @router.get("/api/facade-layout")
    async def facade_layout() -> Response:
        target = await run_in_threadpool(facades)
        return Response(facade_layout_json(target), media_type="application/json",
                        headers={"Cache-Control": "public, max-age=3600"})

    @router.post("/api/artworks", status_code=201)
    async def submit_artwork(request: Request) -> Response:
        fields, data, file_name = await read_upload_form(request, store.limits.max_file_bytes)
        check_upload_name(file_name)
        identity = request.client.host if request.client else "unknown"
        artwork = await run_in_threadpool(
            store.submit, data, fields.get("title"), fields.get("name"), fields.get("city"),
            _consented(fields.get("consent")), identity)
        return JSONResponse({"id": artwork.id, "state": artwork.state,
                             "message_zh": f"已收到作品(编号 {artwork.id}),审核通过后将在外立面上播放。",
                             "message_en": f"Received (number {artwork.id}); it will play on the "
                                           "facades once approved."}, status_code=201)

    # -- moderators -----------------------------------------------------------------------

    @router.get("/moderate", response_class=HTMLResponse)
    async def moderate_page(request: Request) -> Response:
        try:
            moderator(request)
        except ContentRejected:
            return _page(pages.LOGIN_HTML.replace("{message}", ""))
        return _page(pages.MODERATE_HTML)

    @router.post("/moderate/login")
    async def moderate_login(request: Request) -> Response:
        form = await request.form(max_files=0, max_fields=2)
        token = str(form.get("token") or "")
        if not hmac.compare_digest(token.encode(), moderator_token.encode()):
            refused = wrong_token(request)
            message = html.escape(f"{refused.reason_zh} {refused.reason_en}.")
            return _page(pages.LOGIN_HTML.replace("{message}", message), status=refused.status)
        answer = RedirectResponse("../moderate", status_code=303)
        answer.set_cookie(SESSION_COOKIE, session, httponly=True, samesite="strict",
                          secure=request.url.scheme == "https", path="/")
        return answer

    @router.get("/moderate.js")
    async def moderate_script() -> Response:
        return _script(pages.MODERATE_JS)

    @router.get("/api/moderation/artworks")
    async def list_artworks(request: Request, state: str = "pending") -> dict[str, Any]:
        moderator(request)
        if state not in ("pending", "approved", "rejected", "removed"):
            raise ContentRejected(422, "bad-state", "状态无效。", f"unknown state '{state[:20]}'")
        works = await run_in_threadpool(store.list, state)
        return {"artworks": [w.public_dict() for w in works]}

    @router.get("/api/moderation/artworks/{artwork_id}/image")
    async def artwork_image(request: Request, artwork_id: int) -> Response:
        moderator(request)
        work = store.get(artwork_id)
        if work.state not in ("pending", "approved"):
            raise ContentRejected(410, "gone", "作品图片已删除。", f"work {artwork_id} is {work.state}; "
                                  "its picture is not kept")
        data = await run_in_threadpool(store.artwork_bytes, work)
        media = "image/jpeg" if work.file_ext == "jpg" else "image/png"
        return Response(data, media_type=media, headers={
            "X-Content-Type-Options": "nosniff", "Cache-Control": "private, max-age=3600",
            "Content-Security-Policy": "default-src 'none'"})

    @router.get("/api/moderation/artworks/{artwork_id}/preview.png")
    async def artwork_preview(request: Request, artwork_id: int) -> Response:
        moderator(request)
        work = store.get(artwork_id)
        if work.file_sha256 not in previews:
            if work.state not in ("pending", "approved"):
                raise ContentRejected(410, "gone", "作品图片已删除。", f"work {artwork_id} is {work.state}")
            if preview is None:
                raise ContentRejected(404, "no-preview", "此服务器不提供预览。",
                                      "this server draws no previews")
            decoded = await run_in_threadpool(store.decoded, work)
            previews[work.file_sha256] = await run_in_threadpool(preview, decoded)
            while len(previews) > PREVIEW_CACHE_SIZE:
                previews.popitem(last=False)
        return Response(previews[work.file_sha256], media_type="image/png",
                        headers={"X-Content-Type-Options": "nosniff", "Cache-Control": "private"})

    async def _reason(request: Request) -> str:
        try:
            body = await request.json()
        except ValueError:
            body = {}
        reason = body.get("reason", "") if isinstance(body, dict) else ""
        return reason if isinstance(reason, str) else ""

    @router.post("/api/moderation/artworks/{artwork_id}/{action}")
    async def decide(request: Request, artwork_id: int, action: str) -> dict[str, Any]:
        actor = moderator(request, changing=True)
        steps = {"approve": store.approve, "reject": store.reject, "remove": store.remove}
        if action not in steps:
            raise ContentRejected(404, "unknown-action", "未知操作。", "unknown action; use approve, "
                                  "reject or remove")
        work = await run_in_threadpool(steps[action], artwork_id, actor, await _reason(request))
        return {"artwork": work.public_dict()}

    @router.get("/api/moderation/queue")
    async def queue(request: Request) -> dict[str, Any]:
        moderator(request)
        works = {w.id: w for w in store.list("approved")}
        picks = upcoming(store.queue_entries(), store.played_ids(), NO_REPEAT_SLOTS, QUEUE_VIEW_SLOTS)
        order = dict.fromkeys(p.artwork_id for p in picks if p is not None)    # first turn of each
        return {"upcoming": [works[i].public_dict() for i in order]}

    @router.get("/api/moderation/audit")
    async def audit(request: Request) -> dict[str, Any]:
        moderator(request)
        return {"entries": [e.__dict__ for e in store.audit_log()]}

    return router


def create_content_app(store_dir: str, moderator_token: str, limits: ContentLimits = ContentLimits(),
                       rate: RateLimit = RateLimit(),
                       facades: Callable[[], Target] = plain_facade,
                       preview: Callable[[DecodedArtwork], bytes] | None = None) -> FastAPI:
    """A FastAPI app serving only the content queue (for ``lightshow queue serve`` and tests)."""
    store = ContentStore(store_dir, limits, rate)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        yield
        store.close()

    app = FastAPI(title="lightshow content queue", docs_url=None, redoc_url=None, openapi_url=None,
                  lifespan=lifespan)
    app.state.content_store = store
    app.add_exception_handler(RequestValidationError, validation_response)
    app.include_router(content_router(store, moderator_token, facades, preview))
    return app
