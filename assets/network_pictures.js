// Every node's picture computed from the network's weights in the page, as the playground does (its
// updateDecisionBoundary and reduceMatrix): each input feature and neuron evaluated at density × density
// points of the output's square [−extent, extent]², the output turned into palette codes, and each node's
// grid averaged down to a thumbnail. Codes index a 256-colour palette, bottom row first (heatmapCanvas draws
// them): a value −1…1 is code 0…255; K ≥ 3 classes give the winning class and how sure the network is
// (playground/live/class_colors.py). tests/browser/test_network_pictures.py holds these to a numpy reading.

// the input features, in FEATURES' order (playground/domain/features.py): a function of x (the column), of y
// (the row), or x·y: built from whole rows (set, fill).
const FEATURES = [["x", (v) => v], ["y", (v) => v], ["x", (v) => v * v], ["y", (v) => v * v], ["xy", null],
  ["x", Math.sin], ["y", Math.sin]];
// activations by their code (frame_encoding.ACTIVATION_CODES); softmax works on a whole layer
const RELU = 1, TANH = 2, SIGMOID = 3, SOFTMAX = 4;
const CLASS_LEVELS = 51; // class_colors.LEVELS: confidence steps per class

// a value −1…1 as a palette code (NaN, a diverged network: the middle; v !== v only for NaN)
const valueCode = (v) => (v !== v ? 128 : Math.floor((Math.min(1, Math.max(-1, v)) + 1) * 127.5 + 0.5));

// codes of a whole grid; `discretize`: the two ends only, as the playground's "Discretize output"
function codesOf(grid, discretize = false) {
  const codes = new Uint8Array(grid.length);
  for (let p = 0; p < grid.length; p++) codes[p] = discretize ? (grid[p] >= 0 ? 255 : 0) : valueCode(grid[p]);
  return codes;
}

// the grid's points, bottom row first: the playground's d3 scales over cells, r0·(1−t) + r1·t
function gridAxis(density, extent) {
  return Array.from({length: density}, (_, i) => { const t = i / (density - 1); return -extent * (1 - t) + extent * t; });
}

// thumbnails of `grids` (density² each) block-averaged to size², as codes one after another
function thumbnailCodes(grids, density, size) {
  const block = Math.floor(density / size), codes = new Uint8Array(grids.length * size * size);
  grids.forEach((grid, g) => {
    for (let br = 0; br < size; br++) {
      for (let bc = 0; bc < size; bc++) {
        let sum = 0;
        for (let r = br * block; r < (br + 1) * block; r++) {
          for (let c = bc * block; c < (bc + 1) * block; c++) sum += grid[r * density + c];
        }
        codes[(g * size + br) * size + bc] = valueCode(sum / (block * block));
      }
    }
  });
  return codes;
}

// every input feature over the grid: the same for every frame, made once per grid; `detail` holds their codes
let featureGridCache = null;
function featureGrids(density, extent) {
  const key = `${density} ${extent}`;
  if (featureGridCache && featureGridCache.key === key) return featureGridCache;
  const axis = gridAxis(density, extent), d = density;
  const grids = FEATURES.map(([along, f]) => {
    const grid = new Float32Array(d * d);
    if (along === "x") {
      const row = Float32Array.from(axis, f);
      for (let r = 0; r < d; r++) grid.set(row, r * d);
    } else if (along === "y") {
      for (let r = 0; r < d; r++) grid.fill(f(axis[r]), r * d, (r + 1) * d);
    } else {
      for (let r = 0; r < d; r++) for (let c = 0; c < d; c++) grid[r * d + c] = axis[c] * axis[r];
    }
    return grid;
  });
  featureGridCache = {key, grids, detail: []};
  return featureGridCache;
}

// the frame's network over the grid: one Float32Array per neuron (hidden layers, then the outputs), each
// output on the playground's scale (a sigmoid's p as 2p − 1; K ≥ 3 classes: their probabilities). Worked a
// layer at a time over whole grids: tight loops over typed arrays, a few times faster than point by point.
function neuronGrids(frame, density, extent) {
  const sizes = [...frame.layers, frame.outputs], n = density * density;
  const finite = (values) => values.every((v) => Number.isFinite(v));
  if (!finite(frame.weights) || !finite(frame.biases)) { // a diverged network has no picture
    return sizes.flatMap((units) => Array.from({length: units}, () => new Float32Array(n).fill(NaN)));
  }
  const features = featureGrids(density, extent).grids;
  let inputs = features.filter((_, i) => (frame.featureMask >> i) & 1);
  const grids = [], w = frame.weights, b = frame.biases;
  let wAt = 0, bAt = 0;
  sizes.forEach((units, layer) => {
    const activation = layer < frame.layers.length ? frame.activations[layer] : frame.outputActivation;
    const outputs = [];
    for (let j = 0; j < units; j++) {
      const out = new Float32Array(n).fill(b[bAt + j]);
      for (let i = 0; i < inputs.length; i++) {
        const column = inputs[i], weight = w[wAt + i * units + j];
        for (let p = 0; p < n; p++) out[p] += column[p] * weight;
      }
      activate(out, activation);
      outputs.push(out);
    }
    if (activation === SOFTMAX) softmax(outputs);
    wAt += inputs.length * units; bAt += units;
    grids.push(...outputs);
    inputs = outputs;
  });
  if (frame.outputActivation === SIGMOID) {
    const output = grids[grids.length - 1];
    for (let p = 0; p < n; p++) output[p] = 2 * output[p] - 1;
  }
  return grids;
}

function activate(out, activation) { // in place; one loop per activation, each simple for the browser to compile
  const n = out.length;
  if (activation === RELU) {
    for (let p = 0; p < n; p++) if (out[p] < 0) out[p] = 0;
  } else if (activation === TANH) {
    for (let p = 0; p < n; p++) out[p] = Math.tanh(out[p]);
  } else if (activation === SIGMOID) {
    for (let p = 0; p < n; p++) out[p] = 1 / (1 + Math.exp(-out[p]));
  }
}

function softmax(columns) { // in place, point by point across the columns
  for (let p = 0; p < columns[0].length; p++) {
    let top = -Infinity, total = 0;
    for (const column of columns) top = Math.max(top, column[p]);
    for (const column of columns) { column[p] = Math.exp(column[p] - top); total += column[p]; }
    for (const column of columns) column[p] /= total;
  }
}

// K ≥ 3 classes' probabilities → codes: class × CLASS_LEVELS + how sure (playground/live/class_colors.py;
// its numpy reading: tests/picture_reference.class_codes)
function classCodes(grids, discretize) {
  const classes = grids.length, codes = new Uint8Array(grids[0].length), chance = 1 / classes;
  for (let p = 0; p < codes.length; p++) {
    let winner = 0, top = -Infinity;
    for (let k = 0; k < classes; k++) {
      const v = Number.isNaN(grids[k][p]) ? 0 : grids[k][p];
      if (v > top) [winner, top] = [k, v];
    }
    const sure = Math.min(1, Math.max(0, (top - chance) / (1 - chance)));
    codes[p] = winner * CLASS_LEVELS + (discretize ? CLASS_LEVELS - 1 : Math.round(sure * (CLASS_LEVELS - 1)));
  }
  return codes;
}

// the frame's pictures: the output's codes, every neuron's thumbnail codes, and `detail(index)`, a neuron's
// codes at the grid's full size (made when asked: while the neuron is hovered)
function networkPictures(frame, density, extent, thumb) {
  const grids = neuronGrids(frame, density, extent);
  const classes = frame.outputs >= 3 ? grids.slice(grids.length - frame.outputs) : null;
  const output = classes ? classCodes(classes, frame.discretize) : codesOf(grids[grids.length - 1], frame.discretize);
  if (classes) classes.forEach((grid) => grid.forEach((v, p) => { grid[p] = 2 * v - 1; })); // drawn as −1…1
  const detail = [];
  return {size: density, thumb, output, thumbnails: thumbnailCodes(grids, density, thumb),
    detail: (index) => (detail[index] ??= codesOf(grids[index]))};
}

// an input feature's codes at the grid's full size
function featureDetail(index, density, extent) {
  const features = featureGrids(density, extent);
  return (features.detail[index] ??= codesOf(features.grids[index]));
}
