// Dataset thumbnails (playground/views/dataset_picker.py): a <button> per dataset of the current problem
// type, each with its picture on a 48 px canvas. A click sends the dataset's name to the server, which sets
// the dataset and answers with `chosen`: only then is a thumbnail framed, so the frame always shows what the
// server uses.
//
// `datasets`: [name, label, picture] per dataset in menu order (picture null for "user": `user_picture`);
// `chosen`: the chosen dataset's name. A picture is {colors, counts, xy}: `xy` is base64 of one (x, y) byte
// pair per dot, 0 … 240 over the picture's 12 data units (y down), grouped by colour: counts[i] dots of
// colors[i], drawn in that order; `curve` (the function datasets): [x, y] points of the line between the two
// classes, in data units (y up), drawn over the dots. A picture without dots (your own data, still empty)
// shows a pencil and "draw". Labels reach the page only through attributes (title, aria-label), never as HTML.

const SIZE = 48, UNITS = 12, STEPS_PER_UNIT = 20, DOT_RADIUS = 0.32; // px; data units; 1/unit; units
const PENCIL = "M-3 1.8l4.8-4.8 1.4 1.4-4.8 4.8h-1.4z", HINT_COLOUR = "#555555";

function drawPicture(canvas, picture) {
  const ratio = window.devicePixelRatio || 1;
  canvas.width = canvas.height = Math.round(SIZE * ratio);
  canvas.style.width = canvas.style.height = `${SIZE}px`;
  const ctx = canvas.getContext("2d");
  ctx.setTransform((ratio * SIZE) / UNITS, 0, 0, (ratio * SIZE) / UNITS, 0, 0); // data units from the top left
  ctx.fillStyle = "#ffffff";
  ctx.fillRect(0, 0, UNITS, UNITS);
  const bytes = Uint8Array.from(atob(picture.xy || ""), (c) => c.charCodeAt(0));
  if (!bytes.length) {
    ctx.translate(UNITS / 2, UNITS / 2 - 1.2);
    ctx.strokeStyle = HINT_COLOUR;
    ctx.lineWidth = 0.45;
    ctx.stroke(new Path2D(PENCIL));
    ctx.fillStyle = HINT_COLOUR;
    ctx.font = "bold 3px sans-serif"; // 12 px on the 48 px picture
    ctx.textAlign = "center";
    ctx.fillText("draw", 0, 5.4);
    return;
  }
  let dot = 0;
  picture.colors.forEach((colour, run) => {
    ctx.beginPath();
    for (let n = 0; n < picture.counts[run]; n++, dot++) {
      const x = bytes[2 * dot] / STEPS_PER_UNIT, y = bytes[2 * dot + 1] / STEPS_PER_UNIT;
      ctx.moveTo(x + DOT_RADIUS, y);
      ctx.arc(x, y, DOT_RADIUS, 0, 2 * Math.PI);
    }
    ctx.fillStyle = colour;
    ctx.fill();
  });
  if (picture.curve) {
    ctx.beginPath();
    picture.curve.forEach(([x, y], i) => (i ? ctx.lineTo : ctx.moveTo).call(ctx, x + UNITS / 2, UNITS / 2 - y));
    ctx.strokeStyle = "#333333";
    ctx.lineWidth = 0.45;
    ctx.stroke();
  }
}

export function render({ model }) {
  const grid = document.createElement("div");
  grid.className = "dataset-grid";
  let thumbs = []; // [{name, button, canvas}] in the order shown

  const pictureOf = (name, picture) => (name === "user" ? model.user_picture : picture);

  function markChosen() {
    for (const { name, button } of thumbs) {
      const chosen = name === model.chosen;
      button.classList.toggle("selected", chosen);
      button.setAttribute("aria-pressed", String(chosen));
    }
  }

  function build() {
    thumbs = model.datasets.map(([name, label, picture]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.classList.add("dataset-thumb", `dataset-${name}`);
      button.title = label;
      button.setAttribute("aria-label", label);
      const canvas = document.createElement("canvas");
      button.append(canvas);
      button.addEventListener("click", () => model.send_msg(name));
      drawPicture(canvas, pictureOf(name, picture));
      return { name, button, canvas };
    });
    grid.replaceChildren(...thumbs.map((thumb) => thumb.button));
    markChosen();
  }

  model.on("datasets", () => {
    const same = thumbs.length === model.datasets.length &&
      thumbs.every((thumb, i) => thumb.name === model.datasets[i][0]);
    if (!same) { build(); return; } // another problem type: other buttons
    // K classes changed the pictures: redraw them in place (a focused button keeps its focus)
    model.datasets.forEach(([name, , picture], i) => drawPicture(thumbs[i].canvas, pictureOf(name, picture)));
  });
  model.on("user_picture", () => {
    const user = thumbs.find((thumb) => thumb.name === "user");
    if (user) drawPicture(user.canvas, model.user_picture);
  });
  model.on("chosen", markChosen);
  build();
  return grid;
}
