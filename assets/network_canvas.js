// The network picture and the output heatmap, drawn on fixed-size canvases (playground/views/network_canvas.py).
//
// `scene` (sent when the network's shape or the palettes change): where inputs, neurons, links and biases
// sit, their names, the colour scales, the pictures' grid. `frame` (sent per update): one small binary
// record (playground/live/frame_encoding.py) with the network's shape, weights, biases and dead links; the
// page draws every picture from them (network_pictures.js). `points`: the data points, sent when they change.
// Nothing here changes the page's layout: every update repaints canvases of a fixed size.

// Reads frames with frame_record.js (b64bytes, readFrame, heatmapCanvas, rgb), draws their pictures with
// network_pictures.js (networkPictures, featureGrids, thumbnailCodes, featureDetail), finds
// what the pointer is on with network_hit.js (hitTest, linkWidth) and where a key moves with network_keys.js
// (keyColumns, moveCursor, itemCentre, describeItem, tooltipHtml); draws nodes and rings with network_draw.js,
// edits with network_editor.js (weightEditor), shows tooltips with network_tips.js (networkTips); make: dom.js.
//
// Keyboard: the network canvas is one tab stop; arrows move a focus ring over inputs, neurons and links,
// Enter toggles an input or opens the editor on a weight or a neuron's bias, Escape leaves. What an item's
// tooltip says is also said in a polite live region, for the keyboard and for the mouse.

export function render({ model, el }) {
  const root = make("div", "network-picture");
  const net = make("canvas", "network-plot", root);
  net.tabIndex = 0;
  net.setAttribute("role", "application");
  net.setAttribute("aria-roledescription", "network picture");
  net.setAttribute("aria-label", "The network: inputs, neurons and the links between them");
  const help = make("div", "visually-hidden", root);
  help.id = "network-keys";
  help.textContent = "Arrow keys move between inputs, neurons and links. Enter turns an input on or off, or " +
    "changes a weight or a neuron's bias. Escape leaves the picture.";
  net.setAttribute("aria-describedby", "network-keys");
  const outBox = make("div", "output-plot", root);
  const out = make("canvas", "output-canvas", outBox);
  const tips = networkTips(root, (item, how) => tooltipHtml(scene, frame, item, how), (item) => describeItem(
    scene, frame, item.kind === "bias" ? {kind: "neuron", index: item.index} : item)); // a bias: its neuron
  let editedByKeyboard = false; // the editor was opened with Enter: closing it gives the picture the focus back
  const editor = weightEditor(root, (item, value) => model.send_msg({edit: item.kind, index: item.index, value}),
                              () => { if (editedByKeyboard) net.focus(); }); // the keyboard goes on from there

  let scene = null, frame = null, points = new Float32Array(0); // frame: readFrame's, with its pictures
  let colours = [], outputColours = [], pointColours = [];
  let classRamps = [], firstClassOutput = 0; // K ≥ 3: each output neuron's one-colour ramp (scene.class_outputs)
  const classOf = (neuron) => (classRamps.length && neuron >= firstClassOutput ? neuron - firstClassOutput : -1);
  const neuronColours = (neuron) => (classOf(neuron) >= 0 ? classRamps[classOf(neuron)] : colours);
  let hovered = null; // {kind, index}: the input or neuron shown in the output plot
  let cursor = null, focused = false, keyColumnsOfScene = []; // the keyboard's item, the canvas has focus
  let flow = 0, flowAt = 0; // the links' dash offset: it moves while training, as the playground's do
  const scratch = {thumb: null, output: null};
  let inputThumbs = []; // one canvas per input feature, made with the scene (inputs never change per frame)
  let sprites = null; // the nodes' frame, made with the scene (network_draw.js)
  let pointsLayer = null; // the data points, drawn once per change of points or scene, then copied per frame

  let netCtx = null, outCtx = null;

  const colourOf = (value) => { // a diverged network's NaN weight is drawn in the scale's middle colour
    const v = Number.isNaN(value) ? 0 : Math.max(-1, Math.min(1, value));
    const c = colours[Math.round((v + 1) * 127.5)];
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  };

  const FLOW_SPEED = 0.02; // px of dash per ms: the playground's 1/3 px per epoch at 60 epochs a second

  function drawNetwork() {
    const s = scene;
    netCtx.clearRect(0, 0, s.net_width, s.net_height);
    if (!frame) return;
    const now = performance.now();
    if (model.playing) flow -= Math.min(now - flowAt, 100) * FLOW_SPEED;
    flowAt = now;
    s.links.forEach((link, i) => {
      const w = frame.weights[i] ?? 0, dead = frame.dead[i];
      linkPath(netCtx, link);
      netCtx.lineWidth = dead ? 1 : linkWidth(w);
      netCtx.strokeStyle = dead ? s.dead_colour : colourOf(w);
      netCtx.globalAlpha = 0.85;
      netCtx.setLineDash(dead ? [3, 3] : [9, 1]); // the playground's dashes
      netCtx.lineDashOffset = dead ? 0 : flow;
      netCtx.stroke();
    });
    netCtx.globalAlpha = 1;
    netCtx.setLineDash([]);
    netCtx.imageSmoothingEnabled = true;
    const n = s.node;
    s.inputs.forEach((input, i) => drawNode(netCtx, sprites, input.x, input.y, n, inputThumbs[i], input.enabled));
    const pictures = frame.pictures, t = pictures.thumb;
    s.neurons.forEach((neuron, i) => {
      let picture = null;
      if (i < pictures.thumbnails.length / (t * t)) {
        scratch.thumb = heatmapCanvas(pictures.thumbnails, i * t * t, t, neuronColours(i), scratch.thumb);
        picture = scratch.thumb;
      }
      drawNode(netCtx, sprites, neuron.x, neuron.y, n, picture, true);
      if (classOf(i) >= 0) drawClassOutput(s.class_outputs[classOf(i)], neuron, n);
    });
    const b = s.bias;
    s.biases.forEach((bias, i) => {
      netCtx.fillStyle = colourOf(frame.biases[i] ?? 0);
      netCtx.fillRect(bias[0] - b / 2, bias[1] - b / 2, b, b);
      netCtx.strokeStyle = "#777777";
      netCtx.lineWidth = 0.5;
      netCtx.strokeRect(bias[0] - b / 2, bias[1] - b / 2, b, b);
    });
    if (cursor && focused) drawFocusRing(netCtx, s, frame, cursor);
  }

  // a class's output neuron: framed in its colour, with its class number on a badge of that colour
  function drawClassOutput(spec, neuron, n) {
    netCtx.strokeStyle = spec.colour;
    netCtx.lineWidth = 3;
    netCtx.strokeRect(neuron.x - 1.5, neuron.y - 1.5, n + 3, n + 3);
    const w = 15, h = 14, x = neuron.x + n - w + 3, y = neuron.y + n - h + 3;
    netCtx.fillStyle = spec.text_colour;
    netCtx.fillRect(x, y, w, h);
    netCtx.fillStyle = "#ffffff";
    netCtx.font = "bold 11px sans-serif";
    netCtx.textAlign = "center";
    netCtx.textBaseline = "middle";
    netCtx.fillText(spec.number, x + w / 2, y + h / 2 + 0.5);
  }

  function drawAxes(o) {
    outCtx.strokeStyle = "#cccccc";
    outCtx.lineWidth = 1;
    outCtx.strokeRect(0.5, 0.5, o.size - 1, o.size - 1);
    outCtx.fillStyle = "#5e5e5e"; // the page's muted grey: 6.4:1 on white
    outCtx.font = "10px sans-serif";
    for (const t of o.ticks) {
      const p = (t + o.extent) / (2 * o.extent) * o.size;
      outCtx.beginPath();
      outCtx.moveTo(p, o.size); outCtx.lineTo(p, o.size + 5); // x axis, below
      outCtx.moveTo(o.size, o.size - p); outCtx.lineTo(o.size + 5, o.size - p); // y axis, right
      outCtx.stroke();
      outCtx.textAlign = "center"; outCtx.textBaseline = "top";
      outCtx.fillText(String(t), Math.min(Math.max(p, 6), o.size - 6), o.size + 7);
      outCtx.textAlign = "left"; outCtx.textBaseline = "middle";
      outCtx.fillText(String(t), o.size + 7, Math.min(Math.max(o.size - p, 6), o.size - 6));
    }
  }

  // the data points on a transparent canvas of the output's size (redrawn only when they change)
  function drawPoints() {
    const s = scene, o = s.output, ratio = window.devicePixelRatio || 1;
    const layer = Object.assign(document.createElement("canvas"),
      {width: Math.round(o.size * ratio), height: Math.round(o.size * ratio)});
    const ctx = layer.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    const scale = o.size / (2 * o.extent), r = 2.75;
    const span = Math.max(s.point_high - s.point_low, 1e-9), last = pointColours.length - 1;
    for (let i = 0; i < points.length; i += 4) {
      const isTest = points[i + 3] > 0.5;
      const hollow = isTest && !s.show_test; // while drawing, a click that became a test point still shows
      if (hollow && !s.drawing) continue;
      const x = (points[i] + o.extent) * scale, y = (o.extent - points[i + 1]) * scale;
      const k = Math.max(0, Math.min(last, Math.round((points[i + 2] - s.point_low) / span * last)));
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
      if (hollow) {
        ctx.strokeStyle = pointColours[k];
        ctx.lineWidth = 2;
        ctx.stroke();
        continue;
      }
      ctx.fillStyle = pointColours[k];
      ctx.fill();
      ctx.strokeStyle = isTest ? "#000000" : "#ffffff";
      ctx.lineWidth = 1;
      ctx.stroke();
    }
    return layer;
  }

  function drawOutput() {
    const s = scene, o = s.output;
    outCtx.clearRect(0, 0, o.width, o.height);
    outCtx.fillStyle = "#ffffff";
    outCtx.fillRect(0, 0, o.size, o.size);
    outCtx.imageSmoothingEnabled = true;
    // a hovered node: its picture at the grid's full size, as the playground shows it
    let picture = null;
    const pictures = frame && frame.pictures, d = s.density;
    const hoveredNeuron = hovered && hovered.kind === "neuron" && pictures && hovered.index < s.neurons.length;
    if (hoveredNeuron) {
      picture = heatmapCanvas(pictures.detail(hovered.index), 0, d, neuronColours(hovered.index), null);
    } else if (hovered && hovered.kind === "input") {
      picture = heatmapCanvas(featureDetail(hovered.index, d, s.output.extent), 0, d, colours, null);
    } else if (pictures) {
      scratch.output = heatmapCanvas(pictures.output, 0, pictures.size, outputColours, scratch.output);
      picture = scratch.output;
    }
    root.dataset.detail = hovered && picture && picture !== scratch.output ? `${hovered.kind}-${hovered.index}` : "";
    if (picture) outCtx.drawImage(picture, 0, 0, o.size, o.size);
    if (!pointsLayer) pointsLayer = drawPoints();
    outCtx.drawImage(pointsLayer, 0, 0, o.size, o.size);
    if (s.hint) {
      outCtx.font = "14px sans-serif";
      const w = outCtx.measureText(s.hint).width + 12;
      outCtx.fillStyle = "rgba(255,255,255,0.8)";
      outCtx.fillRect((o.size - w) / 2, o.size / 2 - 11, w, 22);
      outCtx.fillStyle = "#777777";
      outCtx.textAlign = "center"; outCtx.textBaseline = "middle";
      outCtx.fillText(s.hint, o.size / 2, o.size / 2);
    }
    drawAxes(o);
  }

  function draw() {
    if (!scene) return;
    drawNetwork();
    drawOutput();
  }

  // ------------------------------------------------------------ hover, keyboard, tooltips, the editor

  function setHovered(hit) {
    const before = hovered ? `${hovered.kind}${hovered.index}` : "";
    hovered = hit && (hit.kind === "neuron" || hit.kind === "input") ? {kind: hit.kind, index: hit.index} : null;
    if ((hovered ? `${hovered.kind}${hovered.index}` : "") === before) return;
    if (scene) drawOutput();
  }

  function clearHover() {
    tips.hide();
    net.style.cursor = "default";
    setHovered(null);
  }

  const pointer = (event, canvas) => {
    const box = canvas.getBoundingClientRect();
    return [event.clientX - box.left, event.clientY - box.top];
  };

  net.addEventListener("mousemove", (event) => {
    if (!scene) return;
    const [x, y] = pointer(event, net);
    const hit = hitTest(scene, frame, x, y);
    tips.show(hit, x, y, true);
    net.style.cursor = hit && hit.kind !== "neuron" ? "pointer" : "default";
    setHovered(hit);
    if (tips.shown()) tips.say(hit);
  });
  net.addEventListener("mouseleave", clearHover);
  root.addEventListener("mouseleave", clearHover);
  // a tooltip never outlives what it points at: it goes when the page scrolls or the window loses focus
  const hideOnLeave = () => { if (!editor.isOpen()) clearHover(); };
  window.addEventListener("scroll", hideOnLeave, {capture: true, passive: true});
  window.addEventListener("blur", hideOnLeave);
  net.addEventListener("wheel", hideOnLeave, {passive: true});
  model.on("remove", () => {
    window.removeEventListener("scroll", hideOnLeave, {capture: true});
    window.removeEventListener("blur", hideOnLeave);
  });

  function openEditor(hit, x, y, byKeyboard) {
    const s = scene, isLink = hit.kind === "link";
    editedByKeyboard = byKeyboard;
    const value = frame ? (isLink ? frame.weights[hit.index] : frame.biases[hit.index]) : 0;
    const name = isLink ? s.link_labels[hit.index] : s.biases[hit.index][2].replace(/^Bias /, "");
    tips.hide();
    editor.open(hit, value, name, Math.max(0, Math.min(x - 20, s.net_width - 330)), Math.min(y + 12, s.net_height - 10));
  }

  net.addEventListener("click", (event) => {
    if (!scene) return;
    const [x, y] = pointer(event, net);
    const hit = hitTest(scene, frame, x, y);
    clearHover(); // a click never leaves a tooltip behind
    if (!hit) return;
    if (hit.kind === "input") model.send_msg({toggle_feature: scene.inputs[hit.index].name});
    else if (hit.kind === "link" || hit.kind === "bias") openEditor(hit, x, y, false);
  });
  // the keyboard's item: a focus ring on the canvas, its tooltip beside it, said once
  function showCursor() {
    if (!scene || !cursor) return;
    const [x, y] = itemCentre(scene, cursor);
    tips.show(cursor, x, y, false);
    tips.say(cursor);
    setHovered(cursor.kind === "link" ? null : cursor); // a neuron or input shows in the output, as on hover
    drawNetwork();
  }
  net.addEventListener("focus", () => {
    focused = true;
    if (!scene) return;
    cursor = cursor || moveCursor(scene, keyColumnsOfScene, null, "");
    showCursor();
  });
  net.addEventListener("blur", () => {
    focused = false;
    if (!editor.isOpen()) { clearHover(); tips.forget(); }
    if (scene) drawNetwork();
  });
  net.addEventListener("keydown", (event) => {
    if (!scene || event.ctrlKey || event.metaKey || event.altKey) return;
    if (event.key === "Escape") { // leave: the ring and the tooltip go, the next Tab goes on from here
      event.preventDefault();
      cursor = null;
      net.blur();
      return;
    }
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault(); // Space here is not play/pause (the page's shortcut)
      if (!cursor) return;
      if (cursor.kind === "input") model.send_msg({toggle_feature: scene.inputs[cursor.index].name});
      else {
        const [x, y] = itemCentre(scene, cursor);
        openEditor(cursor.kind === "link" ? cursor : {kind: "bias", index: cursor.index}, x, y, true);
      }
      return;
    }
    const next = moveCursor(scene, keyColumnsOfScene, cursor, event.key);
    if (!next) return;
    event.preventDefault(); // arrows move here, not the page (nor → as "step")
    cursor = next;
    showCursor();
  });

  net.addEventListener("mousedown", () => { cursor = null; }); // a click is the mouse's, not the keyboard's

  out.addEventListener("click", (event) => {
    if (!scene) return;
    const o = scene.output, [x, y] = pointer(event, out);
    if (x < 0 || y < 0 || x > o.size || y > o.size) return;
    const dataX = x / o.size * 2 * o.extent - o.extent, dataY = o.extent - y / o.size * 2 * o.extent;
    model.send_msg({draw: [dataX, dataY, event.shiftKey]});
  });

  // ------------------------------------------------------------ model → picture
  function applyScene() {
    scene = model.scene;
    if (!scene || !scene.net_width) { scene = null; return; }
    const s = scene, o = s.output;
    colours = s.palette.map(rgb);
    outputColours = s.output_palette.map(rgb);
    pointColours = s.point_palette;
    classRamps = (s.class_outputs || []).map((c) => c.ramp.map(rgb));
    firstClassOutput = s.neurons.length - classRamps.length;
    const inputImages = thumbnailCodes(featureGrids(s.density, s.output.extent).grids, s.density, s.thumb_size);
    inputThumbs = s.inputs.map((_, i) => heatmapCanvas(inputImages, i * s.thumb_size * s.thumb_size, s.thumb_size,
                                                      colours, null));
    pointsLayer = null;
    sprites = nodeSprites(s.node);
    root.style.width = `${s.width}px`;
    root.style.height = `${s.height}px`;
    netCtx = sizeCanvas(net, s.net_width, s.net_height);
    outBox.style.left = `${o.left}px`;
    outBox.style.top = `${o.top}px`;
    outCtx = sizeCanvas(out, o.width, o.height);
    root.dataset.neurons = String(s.neurons.length);
    root.dataset.links = String(s.links.length);
    keyColumnsOfScene = keyColumns(s);
    if (cursor && !findItem(keyColumnsOfScene, cursor)) cursor = null; // the network changed shape
    if (frame && (frame.weights.length !== s.links.length || frame.biases.length !== s.biases.length)) frame = null;
    editor.close(false);
    clearHover();
    draw();
    if (focused) {
      cursor = cursor || moveCursor(s, keyColumnsOfScene, null, "");
      showCursor();
    }
  }

  function applyPoints() {
    const bytes = b64bytes(model.points);
    points = new Float32Array(bytes.buffer, 0, bytes.length / 4);
    let test = 0;
    for (let i = 3; i < points.length; i += 4) test += points[i] > 0.5 ? 1 : 0;
    root.dataset.trainPoints = String(points.length / 4 - test);
    root.dataset.testPoints = String(test);
    pointsLayer = null;
    if (scene) drawOutput();
  }

  // Frames reach the page unevenly: each is decoded as it comes (at once, in its message's task) and drawn now
  // unless one was already drawn in this animation frame; then it waits in a short queue. At most one is
  // drawn per animation frame, and each is acknowledged once drawn, so the server sends about as many as the
  // screen shows, a few ahead (its window) to keep the queue from running dry. A hidden page draws nothing,
  // so it acknowledges nothing, and the server stops training for no one (it says it is hidden: below).
  const QUEUE_LENGTH = 4; // = FramePacing.frames_ahead: never more undrawn frames, so none is dropped
  const decoded = [];
  let scheduled = false;
  // a frame with nothing new carries the last one's record: read once, its pictures drawn once
  let lastRecord = "", lastRead = null;
  function applyFrame(text) {
    if (!text) return;
    const colon = text.indexOf(":"), record = text.slice(colon + 1);
    try {
      if (record !== lastRecord) [lastRead, lastRecord] = [readFrame(b64bytes(record)), record];
    } catch (error) {
      console.error("network canvas: bad frame", error);
      return;
    }
    decoded.push({read: lastRead, id: Number(text.slice(0, colon))});
    if (decoded.length > QUEUE_LENGTH) decoded.shift();
    if (!scheduled) drawNext();
  }
  function drawNext() {
    scheduled = false;
    const next = decoded.shift();
    if (!next) return;
    const read = next.read;
    if (scene && read.weights.length === scene.links.length && read.biases.length === scene.biases.length) {
      frame = read;
      try {
        frame.pictures ??= networkPictures(frame, scene.density, scene.output.extent, scene.thumb_size);
        draw();
      } catch (error) { // drawing runs inside Bokeh's handling of a message: a throw would stop the rest of it
        console.error("network canvas: a frame could not be drawn", error);
      }
      root.dataset.frame = String(next.id);
      tips.refresh(); // the value it shows moves with training
    }
    model.send_msg({ack: next.id});
    scheduled = true; // the next one waits for the next animation frame
    requestAnimationFrame(drawNext);
  }

  watchConnection(model);

  // Whether the page is shown: the server stops training for a page that stopped acknowledging frames only
  // once it has said it is hidden (a background or closing tab), never for one that is visible but busy.
  const sayVisibility = () => model.send_msg({visible: document.visibilityState === "visible"});
  document.addEventListener("visibilitychange", sayVisibility);
  model.on("remove", () => document.removeEventListener("visibilitychange", sayVisibility));
  sayVisibility();

  model.on("scene", applyScene);
  model.on("points", applyPoints);
  model.on("frame", () => applyFrame(model.frame)); // until the server has heard this view's first ack
  model.on("msg:custom", (msg) => { if (msg && typeof msg.frame === "string") applyFrame(msg.frame); });
  applyScene();
  applyPoints();
  applyFrame(model.frame);
  return root;
}
