"""The citizen's submission page and the moderator's page: HTML, CSS and scripts as text.

No page carries data: scripts fetch it and put every text a citizen typed into
the page with ``textContent`` (never as markup), and the pages' Content Security
Policy allows scripts only from this server.  URLs are relative, so the pages
work wherever the router is mounted.
"""

from __future__ import annotations

CONTENT_SECURITY_POLICY = ("default-src 'none'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
                           "img-src 'self' blob: data:; connect-src 'self'; form-action 'self'; "
                           "frame-ancestors 'none'; base-uri 'none'")

STYLE = """
body { font-family: "Noto Sans CJK SC", "PingFang SC", sans-serif; margin: 0; background: #10131a;
       color: #e8e8ee; }
main { max-width: 760px; margin: 0 auto; padding: 16px; }
h1 { font-size: 1.4em; } h1 small, label small, p small { color: #9aa0b0; font-weight: normal; }
label { display: block; margin: 12px 0 4px; }
input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: 8px;
       font-size: 1em; background: #1c2130; color: #fff; border: 1px solid #3a4256; }
button { margin-top: 16px; padding: 10px 18px; font-size: 1em; background: #c8102e; color: #fff;
       border: 0; border-radius: 4px; }
button.secondary { background: #3a4256; }
canvas, img.work { max-width: 100%; background: #0c0e14; border: 1px solid #2a3040; }
.error { color: #ff8a8a; } .ok { color: #8aff9a; }
.card { border: 1px solid #2a3040; padding: 12px; margin: 12px 0; }
table { border-collapse: collapse; width: 100%; font-size: 0.9em; }
td, th { border-bottom: 1px solid #2a3040; padding: 4px; text-align: left; }
"""

SUBMIT_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>投稿作品 · Submit your artwork</title><style>""" + STYLE + """</style></head>
<body><main>
<h1>把你的作品点亮在江畔楼宇上 <small>Light up the river-front with your artwork</small></h1>
<p>上传一张图片或动图,审核通过后将在建筑外立面上播放。
<small>Upload a picture or animation; once approved it plays on the building facades.</small></p>
<form id="submit-form">
<label for="file">图片 <small>Picture (PNG, JPEG, WebP, GIF)</small></label>
<input id="file" name="file" type="file" accept="image/png,image/jpeg,image/webp,image/gif" required>
<label>外立面预览 <small>Preview on the facades</small></label>
<canvas id="preview" width="720" height="220"></canvas>
<label for="title">作品标题 <small>Title</small></label>
<input id="title" name="title" type="text" maxlength="60" required>
<label for="name">你的名字(可选)<small>Your name (optional)</small></label>
<input id="name" name="name" type="text" maxlength="40">
<label for="city">城市(可选)<small>City (optional)</small></label>
<input id="city" name="city" type="text" maxlength="40">
<label><input id="consent" name="consent" type="checkbox" value="yes" required>
我同意在建筑外立面上公开展示这件作品,并确认我有权分享它。
<small>I agree that this work may be shown on the facades and I have the right to share it.</small>
</label>
<button id="send" type="submit">提交 <small>Submit</small></button>
</form>
<p id="result" role="status"></p>
</main><script src="submit.js"></script></body></html>
"""

SUBMIT_JS = r"""
"use strict";
const form = document.getElementById("submit-form");
const fileInput = document.getElementById("file");
const canvas = document.getElementById("preview");
const result = document.getElementById("result");
let layout = null;

async function facadeLayout() {
  if (layout) return layout;
  const answer = await fetch("api/facade-layout");
  const data = await answer.json();
  const raw = atob(data.xy_u16);
  const bytes = new Uint8Array(raw.length);
  for (let i = 0; i < raw.length; i++) bytes[i] = raw.charCodeAt(i);
  layout = {size: data.size_m, scale: data.scale, xy: new Uint16Array(bytes.buffer)};
  return layout;
}

// the work on the facades, as the moderator's preview maps it ("fill" the facades' box)
async function drawPreview(img) {
  const {size, scale, xy} = await facadeLayout();
  const side = Math.min(512 / Math.max(img.naturalWidth, img.naturalHeight), 1);
  const w = Math.max(1, Math.round(img.naturalWidth * side));
  const h = Math.max(1, Math.round(img.naturalHeight * side));
  const work = document.createElement("canvas");
  work.width = w; work.height = h;
  const wctx = work.getContext("2d");
  wctx.drawImage(img, 0, 0, w, h);
  const pixels = wctx.getImageData(0, 0, w, h).data;
  const k = Math.min(w / size[0], h / size[1]);
  const ctx = canvas.getContext("2d");
  const margin = 8;
  canvas.height = Math.round((canvas.width - 2 * margin) * size[1] / size[0]) + 2 * margin;
  ctx.fillStyle = "#0c0e14"; ctx.fillRect(0, 0, canvas.width, canvas.height);
  const px = (canvas.width - 2 * margin) / size[0];
  for (let i = 0; i < xy.length; i += 2) {
    const xm = xy[i] / scale * size[0], ym = xy[i + 1] / scale * size[1];
    const u = Math.floor(w / 2 + (xm - size[0] / 2) * k);
    const v = Math.floor(h / 2 - (ym - size[1] / 2) * k);
    if (u < 0 || v < 0 || u >= w || v >= h) continue;
    const o = (v * w + u) * 4;
    ctx.fillStyle = `rgb(${pixels[o]},${pixels[o + 1]},${pixels[o + 2]})`;
    ctx.fillRect(margin + xm * px, margin + (size[1] - ym) * px, 1, 1);
  }
}

fileInput.addEventListener("change", () => {
  result.textContent = "";
  const file = fileInput.files[0];
  if (!file) return;
  const img = new Image();
  img.onload = () => drawPreview(img).finally(() => URL.revokeObjectURL(img.src));
  img.onerror = () => { result.className = "error";
    result.textContent = "无法预览这个文件。 This file cannot be previewed."; };
  img.src = URL.createObjectURL(file);
});

form.addEventListener("submit", async (event) => {
  event.preventDefault();
  result.className = ""; result.textContent = "正在上传… Uploading…";
  const body = new FormData(form);
  try {
    const answer = await fetch("api/artworks", {method: "POST", body});
    const data = await answer.json();
    if (answer.ok) {
      result.className = "ok";
      result.textContent = `${data.message_zh} ${data.message_en}`;
      form.reset();
    } else {
      result.className = "error";
      result.textContent = `${data.reason_zh || "提交失败。"} ${data.reason_en || "The submission failed."}`;
    }
  } catch (err) {
    result.className = "error";
    result.textContent = "网络错误,请重试。 Network error, please try again.";
  }
});
"""

LOGIN_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>审核登录 · Moderator sign-in</title><style>""" + STYLE + """</style></head>
<body><main>
<h1>作品审核 <small>Moderation</small></h1>
<form method="post" action="moderate/login">
<label for="token">审核口令 <small>Moderator token</small></label>
<input id="token" name="token" type="password" required>
<button id="login" type="submit">登录 <small>Sign in</small></button>
</form>
<p class="error">{message}</p>
</main></body></html>
"""

MODERATE_HTML = """<!doctype html>
<html lang="zh-CN"><head><meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>作品审核 · Moderation</title><style>""" + STYLE + """</style></head>
<body><main>
<h1>作品审核 <small>Moderation</small></h1>
<p id="status" role="status"></p>
<h2>待审核 <small>Pending</small></h2>
<div id="pending"></div>
<h2>播放队列 <small>Approved queue (next slots)</small></h2>
<table><thead><tr><th>#</th><th>标题 Title</th><th>作者 Name</th><th>城市 City</th><th>预览 Preview</th></tr></thead>
<tbody id="queue"></tbody></table>
<h2>审核日志 <small>Audit log</small></h2>
<table><thead><tr><th>时间 Time</th><th>操作 Action</th><th>#</th><th>审核人 Actor</th><th>理由 Reason</th></tr></thead>
<tbody id="audit"></tbody></table>
</main><script src="moderate.js"></script></body></html>
"""

MODERATE_JS = r"""
"use strict";
const headers = {"X-Lightshow-Moderator": "1", "Content-Type": "application/json"};
const status = document.getElementById("status");

function el(tag, text, attrs) {
  const node = document.createElement(tag);
  if (text !== undefined && text !== null) node.textContent = String(text);   // never markup
  for (const [k, v] of Object.entries(attrs || {})) node.setAttribute(k, v);
  return node;
}

function row(cells) {
  const tr = document.createElement("tr");
  for (const c of cells) tr.appendChild(c instanceof Node ? c : el("td", c));
  return tr;
}

async function api(path, options) {
  const answer = await fetch("api/moderation/" + path, Object.assign({headers}, options || {}));
  const data = await answer.json();
  if (!answer.ok) throw new Error(`${data.reason_zh || ""} ${data.reason_en || answer.status}`);
  return data;
}

async function decide(id, action, reason) {
  try {
    await api(`artworks/${id}/${action}`, {method: "POST", body: JSON.stringify({reason})});
    status.className = "ok";
    status.textContent = `#${id}: ${action}`;
  } catch (err) {
    status.className = "error"; status.textContent = err.message;
  }
  await refresh();
}

function card(work) {
  const box = el("div", null, {class: "card", "data-id": work.id});
  box.appendChild(el("h3", work.title, {class: "title"}));
  box.appendChild(el("p", `${work.name || "(匿名 anonymous)"} · ${work.city || "-"} · ` +
    `${work.format} ${work.width}×${work.height}` +
    (work.n_frames > 1 ? ` · ${work.n_frames} 帧 frames, ${work.duration_ms / 1000} s` : "")));
  box.appendChild(el("img", null, {class: "work", src: `api/moderation/artworks/${work.id}/image`,
                                   alt: "artwork", height: "160"}));
  box.appendChild(el("img", null, {class: "work preview", alt: "preview on the facades",
                                   src: `api/moderation/artworks/${work.id}/preview.png`}));
  const reason = el("input", null, {type: "text", class: "reason",
                                    placeholder: "理由(拒绝时必填) Reason (needed to reject)"});
  box.appendChild(reason);
  const approve = el("button", "通过 Approve", {class: "approve"});
  approve.addEventListener("click", () => decide(work.id, "approve", reason.value));
  const reject = el("button", "拒绝 Reject", {class: "reject secondary"});
  reject.addEventListener("click", () => decide(work.id, "reject", reason.value));
  box.append(approve, " ", reject);
  return box;
}

async function refresh() {
  const pending = await api("artworks?state=pending");
  const list = document.getElementById("pending");
  list.replaceChildren(...pending.artworks.map(card));
  if (!pending.artworks.length) list.appendChild(el("p", "没有待审核的作品。 Nothing waiting."));
  const queue = await api("queue");
  document.getElementById("queue").replaceChildren(...queue.upcoming.map((w) => {
    const cell = el("td");
    cell.appendChild(el("img", null, {class: "work preview", alt: "preview on the facades", height: "72",
                                      src: `api/moderation/artworks/${w.id}/preview.png`}));
    return row([w.id, w.title, w.name, w.city, cell]);
  }));
  const audit = await api("audit");
  document.getElementById("audit").replaceChildren(...audit.entries.map(
    (e) => row([new Date(e.at * 1000).toLocaleString(), e.action, e.artwork_id, e.actor, e.reason])));
}

refresh().catch((err) => { status.className = "error"; status.textContent = err.message; });
"""
