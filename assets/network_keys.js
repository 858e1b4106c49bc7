// Moving through the network picture with the keyboard. Joined ahead of network_canvas.js in one module
// (playground/views/network_canvas.py).
//
// The picture reads as columns, left to right: the inputs, the links out of them, the first hidden layer's
// neurons, the links out of those, …, the output. Up and Down move within a column; Right and Left move to
// the next or previous column, following the links: from a node Right goes to its first outgoing link, from a
// link to the neuron it feeds; Left goes back the same way. Home and End: the column's first and last item.
// An item is {kind: "input" | "neuron" | "link", index} (the scene's indices; a neuron's bias has its index).

// [[item, …] per column], made once per scene
function keyColumns(scene) {
  const columns = [scene.inputs.map((_, index) => ({kind: "input", index}))];
  scene.neuron_columns.forEach((neurons, layer) => {
    const links = [];
    scene.link_nodes.forEach(([, , dest], index) => {
      if (neurons.includes(dest)) links.push({kind: "link", index});
    });
    columns.push(links, neurons.map((index) => ({kind: "neuron", index})));
  });
  return columns.filter((column) => column.length);
}

const sameItem = (a, b) => !!a && !!b && a.kind === b.kind && a.index === b.index;

function findItem(columns, item) {
  for (let c = 0; c < columns.length; c++) {
    const r = columns[c].findIndex((other) => sameItem(other, item));
    if (r >= 0) return [c, r];
  }
  return null;
}

// the link's source as an item; its destination is always a neuron
const linkSource = (scene, index) => {
  const [fromInput, source] = scene.link_nodes[index];
  return {kind: fromInput ? "input" : "neuron", index: source};
};

// the item a key moves to from `item` (the first input when there is none yet), or null for a key that
// does not move
function moveCursor(scene, columns, item, key) {
  if (!columns.length) return null;
  const at = item && findItem(columns, item);
  if (!at) return columns[0][0];
  const [c, r] = at, column = columns[c];
  if (key === "ArrowUp") return column[Math.max(0, r - 1)];
  if (key === "ArrowDown") return column[Math.min(column.length - 1, r + 1)];
  if (key === "Home") return column[0];
  if (key === "End") return column[column.length - 1];
  if (key !== "ArrowRight" && key !== "ArrowLeft") return null;
  const right = key === "ArrowRight";
  if (item.kind === "link") {
    return right ? {kind: "neuron", index: scene.link_nodes[item.index][2]} : linkSource(scene, item.index);
  }
  const next = columns[c + (right ? 1 : -1)];
  if (!next) return item;
  // from a node: its own first link that way, else the nearest item of that column
  const own = next.find((other) => other.kind === "link" && (right
    ? sameItem(linkSource(scene, other.index), item)
    : scene.link_nodes[other.index][2] === item.index && item.kind === "neuron"));
  return own || next[Math.min(next.length - 1, Math.round(r * next.length / column.length))];
}

// where an item sits on the network canvas: its centre
function itemCentre(scene, item) {
  const half = scene.node / 2;
  if (item.kind === "input") return [scene.inputs[item.index].x + half, scene.inputs[item.index].y + half];
  if (item.kind === "neuron") return [scene.neurons[item.index].x + half, scene.neurons[item.index].y + half];
  const [x0, y0, x1, y1] = scene.links[item.index];
  return [(x0 + x1) / 2, (y0 + y1) / 2]; // the middle of its S-curve
}

const number = (value) => (Number.isFinite(value) ? value.toFixed(3) : "diverged");

// K ≥ 3: the class an output neuron stands for (scene.class_outputs), or null
function classOutput(scene, neuron) {
  const classes = scene.class_outputs || [];
  const first = scene.neurons.length - classes.length;
  return classes.length && neuron >= first ? classes[neuron - first] : null;
}

const classWords = (c) => `how likely each spot is ${c.label}, from 0 (grey) to 1 (${c.name})`;

// what is said about an item (the live region) and shown beside it (the tooltip, as text)
function describeItem(scene, frame, item) {
  if (item.kind === "input") {
    const input = scene.inputs[item.index];
    return input.enabled ? `Input ${input.label}, fed in. Enter leaves it out.`
      : `Input ${input.label}, left out. Enter feeds it in.`;
  }
  if (item.kind === "neuron") {
    const bias = frame ? frame.biases[item.index] : 0, c = classOutput(scene, item.index);
    return `${scene.neurons[item.index].label}${c ? ` (${c.label}: ${classWords(c)})` : ""}. Bias ${number(bias)}. ` +
      "Enter changes the bias.";
  }
  const weight = frame ? frame.weights[item.index] : 0;
  return `Weight ${number(weight)}, ${scene.link_labels[item.index]}. Enter changes it.`;
}

const escapeHtml = (text) => String(text).replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);

// the tooltip's HTML for an item (or a bias), names escaped; `how`: "click" (the mouse) or "Enter" (the keyboard)
function tooltipHtml(s, frame, hit, how) {
  if (hit.kind === "link") {
    const w = frame ? frame.weights[hit.index] : 0;
    return `<b>Weight</b> ${number(w)} (${how} to edit)<br>${escapeHtml(s.link_labels[hit.index])}`;
  }
  if (hit.kind === "bias") {
    const v = frame ? frame.biases[hit.index] : 0;
    return `<b>Bias</b> ${number(v)} (${how} to edit)<br>${escapeHtml(s.biases[hit.index][2])}`;
  }
  const c = hit.kind === "neuron" ? classOutput(s, hit.index) : null;
  const classLine = c ? `<b>${escapeHtml(c.label)}</b> (${escapeHtml(c.name)}): ${escapeHtml(classWords(c))}` : "";
  if (hit.kind === "neuron" && how === "Enter") {
    const v = frame ? frame.biases[hit.index] : 0;
    return `${escapeHtml(s.neurons[hit.index].label)}${classLine ? `<br>${classLine}` : ""}<br><b>Bias</b> ${number(v)} ` +
      "(Enter to edit)";
  }
  if (classLine) return classLine;
  if (hit.kind === "input") return `${escapeHtml(s.inputs[hit.index].label)} — ${how} to turn on or off`;
  return "";
}

