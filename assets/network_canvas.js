// The network picture and the output heatmap, drawn on fixed-size canvases (playground/views/network_canvas.py).
//
// `scene` (sent when the network's shape or the palettes change): where inputs, neurons, links and biases
// sit, their names, the input features' thumbnails, the colour scales. `frame` (sent per update): one
// deflated binary record (playground/live/frame_encoding.py) with the output heatmap, the neurons' thumbnails,
// weights, biases and dead links. `points`: the data points, sent when they change. Nothing here changes
// the page's layout: every update repaints canvases of a fixed size.

// Reads frames with inflate.js (inflate) and frame_record.js (b64bytes, readFrame, heatmapCanvas, rgb), and
// finds what the pointer is on with network_hit.js (hitTest, linkWidth); make: dom.js.

export function render({ model, el }) {
  const root = make("div", "network-picture");
  const net = make("canvas", "network-plot", root);
  const outBox = make("div", "output-plot", root);
  const out = make("canvas", "output-canvas", outBox);
  const tooltip = make("div", "network-tooltip", root);
  const editor = make("div", "weight-editor", root);
  const editorLabel = make("span", "editor-label", editor);
  const valueBox = make("div", "edit-value", editor);
  const valueInput = make("input", "", valueBox);
  Object.assign(valueInput, {type: "number", step: "0.1"});
  const applyBox = make("div", "edit-apply", editor);
  const applyButton = make("button", "", applyBox);
  applyButton.textContent = "Apply";
  const cancelBox = make("div", "edit-cancel", editor);
  const cancelButton = make("button", "", cancelBox);
  cancelButton.textContent = "Cancel";

  let scene = null, frame = null, points = new Float32Array(0);
  let colours = [], outputColours = [], pointColours = [], inputImages = new Uint8Array(0);
  let hovered = null; // {kind, index}
  let editing = null; // {kind, index}
  const scratch = {thumb: null, output: null};
  let inputThumbs = []; // one canvas per input feature, made with the scene (inputs never change per frame)
  let pointsLayer = null; // the data points, drawn once per change of points or scene, then copied per frame

  const sizeCanvas = (canvas, width, height) => {
    const ratio = window.devicePixelRatio || 1;
    canvas.width = Math.round(width * ratio);
    canvas.height = Math.round(height * ratio);
    canvas.style.width = `${width}px`;
    canvas.style.height = `${height}px`;
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    return ctx;
  };
  let netCtx = null, outCtx = null;

  const colourOf = (value) => { // a diverged network's NaN weight is drawn in the scale's middle colour
    const v = Number.isNaN(value) ? 0 : Math.max(-1, Math.min(1, value));
    const c = colours[Math.round((v + 1) * 127.5)];
    return `rgb(${c[0]},${c[1]},${c[2]})`;
  };

  function linkPath(ctx, link) {
    const [x0, y0, x1, y1] = link, xm = (x0 + x1) / 2;
    ctx.beginPath();
    ctx.moveTo(x0, y0);
    ctx.bezierCurveTo(xm, y0, xm, y1, x1, y1);
  }

  function drawNetwork() {
    const s = scene;
    netCtx.clearRect(0, 0, s.net_width, s.net_height);
    if (!frame) return;
    s.links.forEach((link, i) => {
      const w = frame.weights[i] ?? 0, dead = frame.dead[i];
      linkPath(netCtx, link);
      netCtx.lineWidth = dead ? 1 : linkWidth(w);
      netCtx.strokeStyle = dead ? s.dead_colour : colourOf(w);
      netCtx.globalAlpha = 0.85;
      netCtx.setLineDash(dead ? [3, 3] : []);
      netCtx.stroke();
    });
    netCtx.globalAlpha = 1;
    netCtx.setLineDash([]);
    netCtx.imageSmoothingEnabled = true;
    const n = s.node, thumb = s.thumb_size;
    s.inputs.forEach((input, i) => {
      netCtx.globalAlpha = input.enabled ? 1 : 0.25;
      netCtx.fillStyle = "#ffffff";
      netCtx.fillRect(input.x, input.y, n, n);
      netCtx.drawImage(inputThumbs[i], input.x, input.y, n, n);
      netCtx.strokeStyle = "#000000";
      netCtx.lineWidth = 1;
      netCtx.strokeRect(input.x + 0.5, input.y + 0.5, n - 1, n - 1);
    });
    netCtx.globalAlpha = 1;
    s.neurons.forEach((neuron, i) => {
      netCtx.fillStyle = "#ffffff";
      netCtx.fillRect(neuron.x, neuron.y, n, n);
      if (i < frame.thumbnails.length / (frame.thumb * frame.thumb)) {
        scratch.thumb = heatmapCanvas(frame.thumbnails, i * frame.thumb * frame.thumb, frame.thumb, colours,
                                      scratch.thumb);
        netCtx.drawImage(scratch.thumb, neuron.x, neuron.y, n, n);
      }
      netCtx.strokeStyle = "#000000";
      netCtx.lineWidth = 1;
      netCtx.strokeRect(neuron.x + 0.5, neuron.y + 0.5, n - 1, n - 1);
    });
    const b = s.bias;
    s.biases.forEach((bias, i) => {
      netCtx.fillStyle = colourOf(frame.biases[i] ?? 0);
      netCtx.fillRect(bias[0] - b / 2, bias[1] - b / 2, b, b);
      netCtx.strokeStyle = "#777777";
      netCtx.lineWidth = 0.5;
      netCtx.strokeRect(bias[0] - b / 2, bias[1] - b / 2, b, b);
    });
  }

  function drawAxes(o) {
    outCtx.strokeStyle = "#cccccc";
    outCtx.lineWidth = 1;
    outCtx.strokeRect(0.5, 0.5, o.size - 1, o.size - 1);
    outCtx.fillStyle = "#777777";
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
      if (isTest && !s.show_test) continue;
      const x = (points[i] + o.extent) * scale, y = (o.extent - points[i + 1]) * scale;
      const k = Math.max(0, Math.min(last, Math.round((points[i + 2] - s.point_low) / span * last)));
      ctx.beginPath();
      ctx.arc(x, y, r, 0, 2 * Math.PI);
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
    // a hovered node: its full-resolution picture once a frame brings it, its thumbnail until then
    let picture = null, detailShown = "";
    const d = frame && frame.detail;
    if (hovered && d && d.kind === hovered.kind && d.index === hovered.index) {
      picture = heatmapCanvas(d.codes, 0, d.size, colours, null);
      detailShown = `${d.kind}-${d.index}`;
    } else if (hovered && hovered.kind === "neuron" && frame) {
      const t = frame.thumb;
      picture = heatmapCanvas(frame.thumbnails, hovered.index * t * t, t, colours, null);
    } else if (hovered && hovered.kind === "input") {
      picture = heatmapCanvas(inputImages, hovered.index * s.thumb_size * s.thumb_size, s.thumb_size, colours, null);
    } else if (frame) {
      scratch.output = heatmapCanvas(frame.output, 0, frame.size, outputColours, scratch.output);
      picture = scratch.output;
    }
    root.dataset.detail = detailShown;
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

  // ------------------------------------------------------------ hover, tooltips, the editor

  const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

  function tooltipHtml(hit) {
    const s = scene;
    if (hit.kind === "link") {
      const w = frame ? frame.weights[hit.index] : 0;
      return `<b>Weight</b> ${w.toFixed(3)} (click to edit)<br>${escapeHtml(s.link_labels[hit.index])}`;
    }
    if (hit.kind === "bias") {
      const v = frame ? frame.biases[hit.index] : 0;
      return `<b>Bias</b> ${v.toFixed(3)} (click to edit)<br>${escapeHtml(s.biases[hit.index][2])}`;
    }
    if (hit.kind === "input") return `${escapeHtml(s.inputs[hit.index].label)} — click to turn on or off`;
    return "";
  }

  function showTooltip(hit, x, y) {
    const html = hit ? tooltipHtml(hit) : "";
    if (!html) { tooltip.style.display = "none"; return; }
    if (tooltip.innerHTML !== html) tooltip.innerHTML = html;
    tooltip.style.left = `${x + 12}px`;
    tooltip.style.top = `${y + 14}px`;
    tooltip.style.display = "block";
  }

  function setHovered(hit) {
    const before = hovered ? `${hovered.kind}${hovered.index}` : "";
    hovered = hit && (hit.kind === "neuron" || hit.kind === "input") ? {kind: hit.kind, index: hit.index} : null;
    if ((hovered ? `${hovered.kind}${hovered.index}` : "") === before) return;
    // the server sends the hovered node's full-resolution picture with the frames from now on
    model.send_msg({detail: hovered ? [hovered.kind, hovered.index] : null});
    if (scene) drawOutput();
  }

  function clearHover() {
    tooltip.style.display = "none";
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
    showTooltip(hit, x, y);
    net.style.cursor = hit && hit.kind !== "neuron" ? "pointer" : "default";
    setHovered(hit);
  });
  net.addEventListener("mouseleave", clearHover);
  root.addEventListener("mouseleave", clearHover);

  function openEditor(hit, x, y) {
    const s = scene;
    const isLink = hit.kind === "link";
    const value = frame ? (isLink ? frame.weights[hit.index] : frame.biases[hit.index]) : 0;
    const label = isLink ? s.link_labels[hit.index] : s.biases[hit.index][2].replace(/^Bias /, "");
    editing = hit;
    editorLabel.innerHTML = `<b>${isLink ? "Weight" : "Bias"}</b> ${escapeHtml(label)}`;
    valueInput.value = Number.isFinite(value) ? String(Math.round(value * 1e4) / 1e4) : "0";
    editor.style.left = `${Math.max(0, Math.min(x - 20, s.net_width - 330))}px`;
    editor.style.top = `${Math.min(y + 12, s.net_height - 10)}px`;
    editor.style.display = "flex";
    valueInput.focus();
    valueInput.select();
  }

  function closeEditor() { editing = null; editor.style.display = "none"; }

  net.addEventListener("click", (event) => {
    if (!scene) return;
    const [x, y] = pointer(event, net);
    const hit = hitTest(scene, frame, x, y);
    clearHover(); // a click never leaves a tooltip behind
    if (!hit) return;
    if (hit.kind === "input") model.send_msg({toggle_feature: scene.inputs[hit.index].name});
    else if (hit.kind === "link" || hit.kind === "bias") openEditor(hit, x, y);
  });
  function applyEdit() {
    const value = parseFloat(valueInput.value);
    if (editing && Number.isFinite(value)) model.send_msg({edit: editing.kind, index: editing.index, value});
    closeEditor();
  }
  applyButton.addEventListener("click", applyEdit);
  valueInput.addEventListener("keydown", (event) => {
    if (event.key === "Escape") closeEditor();
    else if (event.key === "Enter") applyEdit();
  });

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
    inputImages = b64bytes(s.input_images);
    inputThumbs = s.inputs.map((_, i) => heatmapCanvas(inputImages, i * s.thumb_size * s.thumb_size, s.thumb_size,
                                                      colours, null));
    pointsLayer = null;
    root.style.width = `${s.width}px`;
    root.style.height = `${s.height}px`;
    netCtx = sizeCanvas(net, s.net_width, s.net_height);
    outBox.style.left = `${o.left}px`;
    outBox.style.top = `${o.top}px`;
    outCtx = sizeCanvas(out, o.width, o.height);
    root.dataset.neurons = String(s.neurons.length);
    root.dataset.links = String(s.links.length);
    if (frame && (frame.weights.length !== s.links.length || frame.biases.length !== s.biases.length)) frame = null;
    closeEditor();
    clearHover();
    draw();
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
  function applyFrame() {
    if (!model.frame) return;
    try {
      decoded.push(readFrame(inflate(b64bytes(model.frame))));
    } catch (error) {
      console.error("network canvas: bad frame", error);
      return;
    }
    if (decoded.length > QUEUE_LENGTH) decoded.shift();
    if (!scheduled) drawNext();
  }
  function drawNext() {
    scheduled = false;
    const next = decoded.shift();
    if (!next) return;
    if (scene && next.weights.length === scene.links.length && next.biases.length === scene.biases.length) {
      frame = next;
      try {
        draw();
      } catch (error) { // drawing runs inside Bokeh's handling of a message: a throw would stop the rest of it
        console.error("network canvas: a frame could not be drawn", error);
      }
      root.dataset.frame = String(next.id);
    }
    model.send_msg({ack: next.id});
    scheduled = true; // the next one waits for the next animation frame
    requestAnimationFrame(drawNext);
  }

  // Whether the page is shown: the server stops training for a page that stopped acknowledging frames only
  // once it has said it is hidden (a background or closing tab), never for one that is visible but busy.
  const sayVisibility = () => model.send_msg({visible: document.visibilityState === "visible"});
  document.addEventListener("visibilitychange", sayVisibility);
  model.on("remove", () => document.removeEventListener("visibilitychange", sayVisibility));
  sayVisibility();

  model.on("scene", applyScene);
  model.on("points", applyPoints);
  model.on("frame", applyFrame);
  applyScene();
  applyPoints();
  applyFrame();
  return root;
}
