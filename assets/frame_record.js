// The frame record (playground/live/frame_encoding.py) read back, and uint8 palette codes turned into pixels.
// Loaded ahead of network_pictures.js and network_canvas.js in the same module (playground/views/network_canvas.py
// joins them).

const HEATMAP_ALPHA = 160; // the playground draws heatmaps at alpha 160/255 over the white page
const RECORD_VERSION = 4;
const HEADER_BYTES = 11;
const DISCRETIZE = 1; // the header's flag: the output picture in two colours only

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const b64bytes = (text) => Uint8Array.from(atob(text || ""), (c) => c.charCodeAt(0));

// the network as the frame describes it, its weights, biases and dead links; `pictures` is filled in once
// the frame is drawn (network_pictures.js)
function readFrame(record) {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const version = view.getUint16(0, true), links = view.getUint16(2, true), biases = view.getUint16(4, true);
  if (version !== RECORD_VERSION) throw new Error(`frame record version ${version}, expected ${RECORD_VERSION}`);
  const [mask, hidden, outputs, outputActivation, flags] = [6, 7, 8, 9, 10].map((at) => view.getUint8(at));
  let at = HEADER_BYTES;
  const take = (count) => { const out = record.slice(at, at + count); at += count; return out; };
  const layers = Array.from(take(hidden)), activations = Array.from(take(hidden));
  const weights = new Float32Array(take(links * 4).buffer);
  const biasValues = new Float32Array(take(biases * 4).buffer);
  const dead = take(links);
  return {featureMask: mask, layers, activations, outputs,
    outputActivation, discretize: (flags & DISCRETIZE) !== 0, weights, biases: biasValues, dead, pictures: null};
}

// codes (bottom row first) → an offscreen canvas of size × size with the palette at the heatmap alpha
function heatmapCanvas(codes, offset, size, colours, scratch) {
  const canvas = scratch && scratch.width === size ? scratch : Object.assign(document.createElement("canvas"),
    {width: size, height: size});
  const ctx = canvas.getContext("2d");
  const image = ctx.createImageData(size, size);
  const px = image.data;
  for (let r = 0; r < size; r++) {
    const src = offset + (size - 1 - r) * size;
    for (let c = 0; c < size; c++) {
      const colour = colours[codes[src + c]], i = 4 * (r * size + c);
      px[i] = colour[0]; px[i + 1] = colour[1]; px[i + 2] = colour[2]; px[i + 3] = HEATMAP_ALPHA;
    }
  }
  ctx.putImageData(image, 0, 0);
  return canvas;
}
