// The small train/test loss chart (playground/views/loss_chart.py): two lines on a fixed-size canvas.
//
// `history`: every [epoch, train loss, test loss] point, sent after a reset or a thinning and to a view
// being built; a message {append, total, ymax}: the points the latest frame added, how many there are now
// (a view that missed some asks for the history again), the top of the y axis; `ymax` likewise. x runs
// from epoch 0 to the last point's. Hovering shows the nearest epoch's losses.

const TRAIN_COLOUR = "#999999", TEST_COLOUR = "#000000", LINE_WIDTH = 1.5, BORDER = 2;

export function render({ model, el }) {
  const root = document.createElement("div");
  root.className = "loss-chart-box";
  const canvas = document.createElement("canvas");
  const tip = document.createElement("div");
  tip.className = "loss-chart-tooltip";
  root.append(canvas, tip);
  const width = model.width || 150, height = model.height || 56, ratio = window.devicePixelRatio || 1;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  canvas.style.width = `${width}px`;
  canvas.style.height = `${height}px`;
  const ctx = canvas.getContext("2d");
  let points = [];

  const xOf = (epoch) => {
    const last = points.length ? Math.max(points[points.length - 1][0], 1) : 1;
    return BORDER + (epoch / last) * (width - 2 * BORDER);
  };
  let ymax = model.ymax;
  const yOf = (loss) => height - BORDER - (Math.min(loss, ymax) / ymax) * (height - 2 * BORDER);

  function line(column, colour) {
    ctx.beginPath();
    let drawing = false;
    for (const point of points) {
      const value = point[column];
      if (!Number.isFinite(value)) { drawing = false; continue; }
      const x = xOf(point[0]), y = yOf(value);
      if (drawing) ctx.lineTo(x, y); else ctx.moveTo(x, y);
      drawing = true;
    }
    ctx.strokeStyle = colour;
    ctx.lineWidth = LINE_WIDTH;
    ctx.stroke();
  }

  function draw() {
    ctx.setTransform(ratio, 0, 0, ratio, 0, 0);
    ctx.clearRect(0, 0, width, height);
    line(1, TRAIN_COLOUR);
    line(2, TEST_COLOUR);
  }

  const loss = (value) => (Number.isFinite(value) ? value.toFixed(3) : "diverged"); // NaN or infinity, in words
  canvas.addEventListener("mousemove", (event) => {
    if (!points.length) return;
    const x = event.offsetX;
    let nearest = points[0];
    for (const point of points) if (Math.abs(xOf(point[0]) - x) < Math.abs(xOf(nearest[0]) - x)) nearest = point;
    tip.textContent = `Epoch: ${nearest[0]}\nTest loss: ${loss(nearest[2])}\nTraining loss: ${loss(nearest[1])}`;
    tip.style.left = `${xOf(nearest[0]) + 8}px`;
    tip.style.display = "block";
  });
  canvas.addEventListener("mouseleave", () => { tip.style.display = "none"; });

  let queued = false; // at most one repaint per animation frame, however many updates arrive
  const redraw = () => {
    if (queued) return;
    queued = true;
    requestAnimationFrame(() => { queued = false; draw(); });
  };
  model.on("history", () => { points = [...model.history]; redraw(); });
  model.on("ymax", () => { ymax = model.ymax; redraw(); });
  model.on("msg:custom", (msg) => { // a frame's new points, with how many there should be now
    if (!msg || !Array.isArray(msg.append)) return;
    ymax = msg.ymax;
    if (points.length + msg.append.length === msg.total) {
      points.push(...msg.append);
      redraw();
    } else {
      model.send_msg({resync: true}); // some were missed (sent before this view listened): all of them
    }
  });
  points = [...model.history];
  draw();
  model.send_msg({listening: true}); // from now on the server sends each frame's points as a message
  return root;
}
