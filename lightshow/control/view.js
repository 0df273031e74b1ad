"use strict";
// The river-front as the simulator draws it (simulator/painter.py), on a canvas: the server gives
// the layout once (/api/view/layout) and then each frame's colours (/api/view/ws: one byte, key 0
// or delta 1, then a zlib stream of the frame's bytes: cells, washers, heads). Nothing from the
// server is put into the page as markup.
(function () {
  const SRGB = new Uint8Array(4096);            // linear light (4096 steps) -> sRGB byte, as the painter
  for (let i = 0; i < 4096; i++) {
    const x = i / 4095;
    const v = x <= 0.0031308 ? 12.92 * x : 1.055 * Math.pow(x, 1 / 2.4) - 0.055;
    SRGB[i] = Math.round(v * 255);
  }
  const LINEAR = new Float32Array(256);         // sRGB byte -> linear light
  for (let i = 0; i < 256; i++) {
    const c = i / 255;
    LINEAR[i] = c <= 0.04045 ? c / 12.92 : Math.pow((c + 0.055) / 1.055, 2.4);
  }
  const encode = (x) => SRGB[Math.min(Math.max(Math.floor(x * 4095 + 0.5), 0), 4095)];

  function canvas(width, height) {
    const c = document.createElement("canvas");
    c.width = width; c.height = height;
    const g = c.getContext("2d");
    g.imageSmoothingEnabled = true; g.imageSmoothingQuality = "high";
    return [c, g];
  }
  function add(g, source, x, y, w, h) {          // additive, saturating: pygame's BLEND_RGB_ADD
    g.globalCompositeOperation = "lighter";
    if (w === undefined) g.drawImage(source, x || 0, y || 0);
    else g.drawImage(source, x, y, w, h);
    g.globalCompositeOperation = "source-over";
  }

  async function inflate(bytes) {
    const stream = new Blob([bytes]).stream().pipeThrough(new DecompressionStream("deflate"));
    return new Uint8Array(await new Response(stream).arrayBuffer());
  }

  function Painter(layout, background, target) {
    const W = layout.width, H = layout.height, hw = layout.halo.width, hh = layout.halo.height;
    target.width = W; target.height = H;
    const out = target.getContext("2d");
    const [lights, lg] = canvas(W, H);
    const image = lg.createImageData(W, H);
    for (let i = 3; i < image.data.length; i += 4) image.data[i] = 255;
    const cellAt = new Int32Array(layout.cells.x.length);
    for (let i = 0; i < cellAt.length; i++) cellAt[i] = (layout.cells.y[i] * W + layout.cells.x[i]) * 4;
    const [halo, hg] = canvas(hw, hh);
    const [haloCopy, hcg] = canvas(hw, hh);
    const [washLayer, wg] = canvas(hw, hh);
    const washImage = wg.createImageData(hw, hh);
    const wsw = Math.max(Math.floor(hw / layout.wash.divisor), 1), wsh = Math.max(Math.floor(hh / layout.wash.divisor), 1);
    const [washSmall, wsg] = canvas(wsw, wsh);
    const [washes, wbg] = canvas(hw, hh);
    const [beamLayer, bg] = canvas(hw, hh);
    const quay = layout.quay_y, depth = Math.min(H - quay, quay);
    const smallQuay = Math.floor(quay / layout.halo.divisor), smallDepth = Math.floor(depth / layout.halo.divisor);
    const streakH = Math.max(Math.floor(smallDepth / 4), 1);
    const [streaks, sg] = canvas(hw, streakH);
    const [flipped, fg] = canvas(hw, streakH);
    const [reflection, rg] = canvas(W, Math.max(depth, 1));
    const nCells = cellAt.length, nWash = layout.wash.x.length, nBeams = layout.beams.x.length;
    const tint = layout.reflection_tint;

    this.draw = function (data) {
      const px = image.data;
      for (let i = 0; i < nCells; i++) {
        const at = cellAt[i], from = i * 3;
        px[at] = data[from]; px[at + 1] = data[from + 1]; px[at + 2] = data[from + 2];
      }
      lg.putImageData(image, 0, 0);
      if (layout.glow) {
        hg.fillStyle = "#000"; hg.fillRect(0, 0, hw, hh);
        hg.drawImage(lights, 0, 0, hw, hh);
        hcg.drawImage(halo, 0, 0);
        add(hg, haloCopy);
        if (nWash) drawWashes(data.subarray(nCells * 3, (nCells + nWash) * 3));
        if (nBeams) drawBeams(data.subarray((nCells + nWash) * 3));
        add(lg, halo, 0, 0, W, H);
      }
      out.drawImage(background, 0, 0);
      add(out, lights);
      if (layout.glow) drawReflection();
    };

    function drawWashes(colours) {
      const w = washImage.data, reach = layout.wash.reach;
      w.fill(0);
      for (let i = 3; i < w.length; i += 4) w[i] = 255;
      const linear = new Float32Array(nWash * 3);
      for (let i = 0; i < linear.length; i++) linear[i] = LINEAR[colours[i]];
      for (let step = 0; step < reach; step++) {
        const k = 1 - step / reach;
        for (let i = 0; i < nWash; i++) {
          const at = (Math.max(layout.wash.y[i] - step, 0) * hw + layout.wash.x[i]) * 4;
          w[at] = encode(linear[i * 3] * k); w[at + 1] = encode(linear[i * 3 + 1] * k); w[at + 2] = encode(linear[i * 3 + 2] * k);
        }
      }
      wg.putImageData(washImage, 0, 0);
      wsg.drawImage(washLayer, 0, 0, wsw, wsh);
      wbg.drawImage(washSmall, 0, 0, hw, hh);
      for (let i = 0; i < layout.wash.times; i++) add(hg, washes);
    }

    function drawBeams(bytes) {
      const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
      const beams = layout.beams, segments = beams.fade.length;
      bg.fillStyle = "#000"; bg.fillRect(0, 0, hw, hh);
      for (let i = 0; i < nBeams; i++) {
        const at = i * 7;
        const colour = [LINEAR[bytes[at]], LINEAR[bytes[at + 1]], LINEAR[bytes[at + 2]]];
        if (Math.max(...colour) <= 0) continue;
        const dx = view.getInt16(at + 3, true) / 32767, dy = view.getInt16(at + 5, true) / 32767;
        const norm = Math.hypot(dx, dy);
        if (norm < 1e-3) continue;              // pointing straight at the viewer
        const x0 = beams.x[i], y0 = beams.y[i], ux = dx / norm, uy = -dy / norm, qx = -uy, qy = ux;
        const reach = beams.length * norm;
        for (let step = segments; step > 0; step--) {   // longest and dimmest first
          const end = reach * step / segments, width = 0.5 + end * beams.spread, f = beams.fade[step - 1];
          bg.fillStyle = "rgb(" + encode(colour[0] * f) + "," + encode(colour[1] * f) + "," + encode(colour[2] * f) + ")";
          bg.beginPath();
          bg.moveTo(x0 + qx * 0.5, y0 + qy * 0.5);
          bg.lineTo(x0 + ux * end + qx * width, y0 + uy * end + qy * width);
          bg.lineTo(x0 + ux * end - qx * width, y0 + uy * end - qy * width);
          bg.lineTo(x0 - qx * 0.5, y0 - qy * 0.5);
          bg.closePath(); bg.fill();
        }
      }
      add(hg, beamLayer);
    }

    function drawReflection() {
      if (smallDepth <= 2) return;
      sg.drawImage(halo, 0, smallQuay - smallDepth, hw, smallDepth, 0, 0, hw, streakH);
      fg.setTransform(1, 0, 0, -1, 0, streakH);
      fg.drawImage(streaks, 0, 0);
      fg.setTransform(1, 0, 0, 1, 0, 0);
      rg.drawImage(flipped, 0, 0, W, depth);
      rg.globalCompositeOperation = "multiply";
      rg.fillStyle = "rgb(" + tint.join(",") + ")";
      rg.fillRect(0, 0, W, depth);
      rg.globalCompositeOperation = "source-over";
      add(out, reflection, 0, quay + 2);
    }
  }

  // Draws the live view into `target` (a canvas); `note` (optional) says how it goes.
  window.lightshowView = async function (target, note) {
    const say = (text) => { if (note) note.textContent = text; };
    const answer = await fetch("/api/view/layout");
    if (!answer.ok) { say("无画面 no view"); return false; }
    const layout = await answer.json();
    const background = new Image();
    background.src = "/api/view/background.png";
    await background.decode();
    const painter = new Painter(layout, background, target);
    let frame = null, pending = null, drawn = 0, bytes = 0, since = performance.now(), chain = Promise.resolve();
    const fpsAt = () => {
      const seconds = (performance.now() - since) / 1000;
      if (seconds >= 2) {
        target.dataset.fps = (drawn / seconds).toFixed(1);
        target.dataset.kbitS = (bytes * 8 / 1000 / seconds).toFixed(0);
        say("实时 live · " + target.dataset.fps + " fps · " + target.dataset.kbitS + " kbit/s");
        drawn = 0; bytes = 0; since = performance.now();
      }
    };
    function paint() {
      pending = null;
      painter.draw(frame);
      drawn += 1;
      target.dataset.frames = String(Number(target.dataset.frames || 0) + 1);
      fpsAt();
    }
    function connect() {
      const socket = new WebSocket((location.protocol === "https:" ? "wss://" : "ws://") + location.host + "/api/view/ws");
      socket.binaryType = "arraybuffer";
      socket.onopen = () => { target.dataset.stream = "live"; say("实时 live"); };
      socket.onmessage = (event) => {
        const message = new Uint8Array(event.data);
        bytes += message.length;
        chain = chain.then(async () => {     // in order: a delta applies to the frame before it
          const data = await inflate(message.subarray(1));
          if (message[0] === 1 && frame && frame.length === data.length) {
            for (let i = 0; i < data.length; i++) frame[i] ^= data[i];
          } else if (message[0] === 0) {
            frame = data;
          } else {
            return;                            // a delta without its key: wait for the next key
          }
          if (pending === null) pending = requestAnimationFrame(paint);
        });
      };
      socket.onclose = () => { target.dataset.stream = "closed"; say("重连 reconnecting…"); frame = null; setTimeout(connect, 1000); };
    }
    connect();
    return true;
  };

  // the /view page: the whole river-front, and the show's title (as text, never markup); a view of
  // live Art-Net (simulate --live --web) has no operator page to link to
  const page = document.querySelector("canvas[data-view-page]");
  if (page) {
    fetch("/api/show").then((r) => r.ok ? r.json() : null).then((show) => {
      if (show) { document.getElementById("title").textContent = show.title; document.title = show.title + " · live view"; }
      if (show && show.live) document.getElementById("operator").hidden = true;
    });
    window.lightshowView(page, document.getElementById("note"));
  }
})();
