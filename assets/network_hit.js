// What the pointer is on in the network picture: a bias, a neuron, an input or a link (nearest curve within
// reach of its drawn width). Joined ahead of network_canvas.js in one module (playground/views/network_canvas.py).

const linkWidth = (w) => 1 + Math.min(Math.abs(w) || 0, 5) * 1.8; // the playground's |w| 0..5 → 1..10 px

// {kind: "bias" | "neuron" | "input" | "link", index} or null; x, y in the network canvas's pixels
function hitTest(scene, frame, x, y) {
  const s = scene, n = s.node, b = s.bias + 4;
  for (let i = 0; i < s.biases.length; i++) {
    const [bx, by] = s.biases[i];
    if (Math.abs(x - bx) <= b / 2 && Math.abs(y - by) <= b / 2) return {kind: "bias", index: i};
  }
  for (let i = 0; i < s.neurons.length; i++) {
    const m = s.neurons[i];
    if (x >= m.x && x <= m.x + n && y >= m.y && y <= m.y + n) return {kind: "neuron", index: i};
  }
  for (let i = 0; i < s.inputs.length; i++) {
    const m = s.inputs[i];
    if (x >= m.x && x <= m.x + n && y >= m.y && y <= m.y + n) return {kind: "input", index: i};
  }
  let best = null, bestDistance = Infinity;
  s.links.forEach((link, i) => {
    const w = frame ? frame.weights[i] : 0;
    const reach = Math.max(4, linkWidth(w) / 2 + 1);
    const [x0, y0, x1, y1] = link, xm = (x0 + x1) / 2;
    if (x < Math.min(x0, x1) - reach || x > Math.max(x0, x1) + reach) return;
    let px = x0, py = y0;
    for (let k = 1; k <= 24; k++) {
      const t = k / 24, u = 1 - t;
      const qx = u * u * u * x0 + 3 * u * u * t * xm + 3 * u * t * t * xm + t * t * t * x1;
      const qy = u * u * u * y0 + 3 * u * u * t * y0 + 3 * u * t * t * y1 + t * t * t * y1;
      const dx = qx - px, dy = qy - py, len2 = dx * dx + dy * dy || 1;
      const f = Math.max(0, Math.min(1, ((x - px) * dx + (y - py) * dy) / len2));
      const d = Math.hypot(px + f * dx - x, py + f * dy - y);
      if (d <= reach && d < bestDistance) { best = {kind: "link", index: i}; bestDistance = d; }
      px = qx; py = qy;
    }
  });
  return best;
}
