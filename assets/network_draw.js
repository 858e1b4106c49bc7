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

// A node as the playground draws one: its picture in a rounded black frame with a soft shadow, and an
// arrow on its right where its output leaves; an input left out is faded, without frame or arrow. The frame
// is two pictures made once per scene (a shadowed white base, the border with the arrow) and copied around
// each node's picture: a canvas shadow drawn per node and per frame costs ~4× as much.
function nodeSprites(n) {
  const ratio = window.devicePixelRatio || 1, pad = 8, size = n + 2 * pad;
  const sprite = (draw) => {
    const canvas = Object.assign(document.createElement("canvas"), {width: Math.round(size * ratio),
                                                                     height: Math.round(size * ratio)});
    const ctx = canvas.getContext("2d");
    ctx.setTransform(ratio, 0, 0, ratio, pad * ratio, pad * ratio);
    draw(ctx);
    return canvas;
  };
  const base = sprite((ctx) => {
    Object.assign(ctx, {shadowColor: "rgba(0,0,0,0.2)", shadowBlur: 5, shadowOffsetY: 2, fillStyle: "#ffffff"});
    roundedRect(ctx, 0, 0, n, n, 3);
    ctx.fill();
  });
  const frame = sprite((ctx) => {
    Object.assign(ctx, {strokeStyle: "#000000", lineWidth: 2, fillStyle: "#000000"});
    roundedRect(ctx, 1, 1, n - 2, n - 2, 3);
    ctx.stroke();
    ctx.beginPath();
    ctx.moveTo(n + 1, n / 2 - 4.5);
    ctx.lineTo(n + 6, n / 2);
    ctx.lineTo(n + 1, n / 2 + 4.5);
    ctx.closePath();
    ctx.fill();
  });
  return {base, frame, pad, size};
}

function drawNode(ctx, sprites, x, y, n, picture, active) {
  const {pad, size} = sprites;
  if (!active) {
    ctx.globalAlpha = 0.4;
    ctx.fillStyle = "#ffffff";
    ctx.fillRect(x, y, n, n);
    if (picture) ctx.drawImage(picture, x, y, n, n);
    ctx.globalAlpha = 1;
    return;
  }
  ctx.drawImage(sprites.base, x - pad, y - pad, size, size);
  if (picture) ctx.drawImage(picture, x + 1, y + 1, n - 2, n - 2);
  ctx.drawImage(sprites.frame, x - pad, y - pad, size, size);
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
