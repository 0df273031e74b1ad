"use strict";
const tokenBox = document.getElementById("token");
tokenBox.value = sessionStorage.getItem("lightshow-token") || "";   // never from the address: it would live in history and logs
tokenBox.addEventListener("change", () => sessionStorage.setItem("lightshow-token", tokenBox.value));
let current = {};

async function command(path, body) {
  const response = await fetch("/api/" + path, {
    method: "POST",
    headers: {"Authorization": "Bearer " + tokenBox.value, "Content-Type": "application/json"},
    body: JSON.stringify(body || {}),
  });
  const error = document.getElementById("error");
  if (!response.ok) {
    const detail = await response.json().catch(() => ({}));
    error.textContent = response.status + ": " + JSON.stringify(detail.detail || detail);
  } else {
    error.textContent = "";
    show(await response.json());
  }
}

function clock(seconds) {
  const m = Math.floor(seconds / 60), s = (seconds % 60).toFixed(1).padStart(4, "0");
  return m + ":" + s;
}

// what the show's clock follows: the soundtrack (its position and level), a timecode or a sync master
function clockSource(status) {
  const follow = status.follow;
  if (!follow) return "";
  if (follow.source === "soundtrack") {
    const level = follow.level_dbfs === null ? "静音 silent" : follow.level_dbfs.toFixed(0) + " dBFS";
    const at = follow.position_s === null ? "—" : clock(follow.position_s);
    const error = follow.error_ms === null ? "" : " · Δ " + follow.error_ms.toFixed(1) + " ms";
    return "♪ 音乐 " + follow.file + " " + at + " · " + level + error;
  }
  const error = follow.error_frames === null || follow.error_frames === undefined
    ? "" : " · Δ " + follow.error_frames + " 帧 fr";
  if (follow.source === "multisync") {
    return "⟲ 同步 MultiSync " + (follow.master || "—") + " " + follow.state + error;
  }
  return "⟲ 时码 TC " + (follow.incoming || "—") + " " + follow.state + error;
}

function show(status) {
  current = status;
  document.getElementById("status").textContent =
    status.state + " · " + clock(status.time_s) + " / " + clock(status.duration_s) +
    " · " + (status.chapter_title || "") + " · master " + Math.round(status.master * 100) + "%";
  document.getElementById("master-value").textContent = Math.round(status.master * 100) + "%";
  document.getElementById("clock-source").textContent = clockSource(status);
  const work = status.artwork;
  document.getElementById("artwork").textContent = work
    ? "正在播放 now showing: 《" + work.title + "》 " + [work.name, work.city].filter(Boolean).join(" · ")
    : "—";
  const blackout = document.getElementById("blackout");
  blackout.classList.toggle("on", status.blackout_target > 0);
  for (const item of document.querySelectorAll("#cues li")) {
    const lit = item.dataset.kind === "chapter" ? item.dataset.id === status.chapter
                                                : status.cues.includes(item.dataset.id);
    item.classList.toggle("current", lit);
  }
}

async function load() {
  const showInfo = await (await fetch("/api/show")).json();
  document.getElementById("title").textContent = showInfo.title;
  const list = document.getElementById("cues");
  for (const chapter of showInfo.chapters) {
    const item = document.createElement("li");
    item.className = "chapter"; item.dataset.kind = "chapter"; item.dataset.id = chapter.id;
    item.textContent = chapter.title || chapter.id;
    item.addEventListener("click", () => command("goto/chapter/" + encodeURIComponent(chapter.id)));
    list.appendChild(item);
    for (const cue of showInfo.cues.filter(q => q.chapter === chapter.id)) {
      const row = document.createElement("li");
      row.className = "cue"; row.dataset.kind = "cue"; row.dataset.id = cue.id;
      row.textContent = cue.id;
      row.addEventListener("click", () => command("goto/cue/" + encodeURIComponent(cue.id)));
      list.appendChild(row);
    }
  }
  show(await (await fetch("/api/status")).json());
  connect();
  nodes();
  setInterval(nodes, 3000);
  schedule();
  setInterval(schedule, 5000);
  alerts();
  setInterval(alerts, 5000);
}

// the schedule, when serve follows one: the next run, and whether the operator holds it
async function schedule() {
  const answer = await fetch("/api/schedule");
  const box = document.getElementById("schedule");
  if (!answer.ok) { box.hidden = true; return; }
  const state = await answer.json();
  box.hidden = false;
  // the site's own time, as the schedule gives it (not the browser's time zone), and what it plays
  const next = state.next_run
    ? state.next_run.slice(0, 10) + " " + state.next_run.slice(11, 16) + " " +
      (state.next_playlist || []).join(" → ") + " (" + state.next_entry + ")"
    : "—";
  document.getElementById("schedule-text").textContent =
    (state.held ? "日程暂停 schedule held" : "日程 schedule") + " · 下一场 next: " + next;
  document.getElementById("schedule-release").hidden = !state.held;
}
document.getElementById("schedule-release").addEventListener("click", async () => {
  await command("schedule/hold", {on: false});
  schedule();
});

// alerts: a dead node, a missed run (newest first)
async function alerts() {
  const answer = await fetch("/api/alerts");
  if (!answer.ok) return;
  const list = document.getElementById("alerts");
  list.replaceChildren(...(await answer.json()).slice(0, 20).map((alert) => {
    const item = document.createElement("li");
    item.textContent = alert.at.slice(0, 19).replace("T", " ") + " " + alert.kind + ": " + alert.message;
    return item;
  }));
}

let streaming = false;
function connect() {
  const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/status/ws");
  socket.onopen = () => { streaming = true; document.body.dataset.stream = "live"; };
  socket.onmessage = (event) => show(JSON.parse(event.data));
  socket.onclose = () => { streaming = false; document.body.dataset.stream = "polling"; setTimeout(connect, 1000); };
}
// without the status stream (a proxy that drops WebSockets), ask every second
setInterval(async () => { if (!streaming) show(await (await fetch("/api/status")).json()); }, 1000);

async function nodes() {
  const rows = await (await fetch("/api/nodes")).json();
  const body = document.getElementById("nodes");
  body.replaceChildren();
  for (const node of rows) {
    const row = document.createElement("tr");
    // online is null when nobody polls the nodes (serve without --discover): not known, not offline
    const state = node.online === null || node.online === undefined ? ["未探测 not polled", "unknown"]
      : node.online ? ["在线 online", "online"] : ["离线 offline", "offline"];
    for (const [text, cls] of [[node.ip, ""], [node.name, ""], state, [node.universes, ""]]) {
      const cell = document.createElement("td");
      cell.textContent = text; if (cls) cell.className = cls;
      row.appendChild(cell);
    }
    body.appendChild(row);
  }
}

for (const button of document.querySelectorAll("button[data-action]")) {
  button.addEventListener("click", () => command(button.dataset.action));
}
document.getElementById("blackout").addEventListener("click",
  () => command("blackout", {on: !(current.blackout_target > 0), fade_s: 1}));
document.getElementById("master").addEventListener("change",
  (event) => command("master", {level: event.target.value / 100, fade_s: 0.5}));
load();
// the river-front, live, when the server has a view (serve does)
window.lightshowView(document.getElementById("view"), document.getElementById("view-note")).then((shown) => {
  document.getElementById("view-panel").hidden = !shown;
});
