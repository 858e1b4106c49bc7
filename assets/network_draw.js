// Drawing helpers of the network picture (playground/views/network_canvas.py): canvases sized for the
// screen's pixels, the links' curves, the nodes as the playground draws them, the keyboard's focus ring.
// Joined ahead of network_canvas.js in one module; linkWidth: network_hit.js.

function sizeCanvas(canvas, width, height) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
  return ctx;
}

function linkPath(ctx, link) {
  const [x0, y0, x1, y1] = link, xm = (x0 + x1) / 2;
  ctx.beginPath();
  ctx.moveTo(x0, y0);
  ctx.bezierCurveTo(xm, y0, xm, y1, x1, y1);
}

function roundedRect(ctx, x, y, w, h, r) {
  ctx.beginPath();
  if (ctx.roundRect) ctx.roundRect(x, y, w, h, r); else ctx.rect(x, y, w, h);
}

// a node as the playground draws one: its picture in a rounded black frame with a soft shadow, and an
// arrow on its right where its output leaves (an input left out is faded, without frame or arrow)
function drawNode(ctx, x, y, n, picture, active) {
  ctx.save();
  ctx.globalAlpha = active ? 1 : 0.4;
  if (active) Object.assign(ctx, {shadowColor: "rgba(0,0,0,0.2)", shadowBlur: 5, shadowOffsetY: 2});
  ctx.fillStyle = "#ffffff";
  roundedRect(ctx, x, y, n, n, 3);
  ctx.fill();
  ctx.shadowColor = "transparent";
  if (picture) {
    ctx.save();
    ctx.clip();
    ctx.drawImage(picture, x, y, n, n);
    ctx.restore();
  }
  if (active) {
    ctx.strokeStyle = "#000000";
    ctx.lineWidth = 2;
    roundedRect(ctx, x + 1, y + 1, n - 2, n - 2, 3);
    ctx.stroke();
    ctx.fillStyle = "#000000";
    ctx.beginPath();
    ctx.moveTo(x + n + 1, y + n / 2 - 4.5);
    ctx.lineTo(x + n + 6, y + n / 2);
    ctx.lineTo(x + n + 1, y + n / 2 + 4.5);
    ctx.closePath();
    ctx.fill();
  }
  ctx.restore();
}

// the keyboard's ring on `ctx`: around a node (a neuron's with its bias square), or along a link
function drawFocusRing(ctx, scene, frame, item) {
  ctx.save();
  ctx.strokeStyle = "#0877bd";
  ctx.lineWidth = 3;
  if (item.kind === "link") {
    linkPath(ctx, scene.links[item.index]);
    ctx.globalAlpha = 0.45;
    ctx.lineWidth = linkWidth(frame.weights[item.index] ?? 0) + 8;
    ctx.stroke();
  } else {
    const node = item.kind === "input" ? scene.inputs[item.index] : scene.neurons[item.index];
    const left = item.kind === "neuron" ? scene.bias + 6 : 0;
    roundedRect(ctx, node.x - 5 - left, node.y - 5, scene.node + 10 + left, scene.node + 10, 5);
    ctx.stroke();
  }
  ctx.restore();
}
