// The frame record (playground/live/frame_encoding.py) read back, and uint8 palette codes turned into pixels.
// Loaded after inflate.js and ahead of network_canvas.js in the same module (playground/views/network_canvas.py
// joins them).

const HEATMAP_ALPHA = 160; // the playground draws heatmaps at alpha 160/255 over the white page
const HEADER_BYTES = 12;

const rgb = (hex) => [1, 3, 5].map((i) => parseInt(hex.slice(i, i + 2), 16));
const b64bytes = (text) => Uint8Array.from(atob(text || ""), (c) => c.charCodeAt(0));

const DETAIL_KINDS = {1: "input", 2: "neuron"};

function undelta(codes, size) { // undo the per-row delta coding
  for (let r = 0; r < size; r++) {
    const row = r * size;
    for (let c = 1; c < size; c++) codes[row + c] = (codes[row + c] + codes[row + c - 1]) & 255;
  }
  return codes;
}

function readFrame(record) {
  const view = new DataView(record.buffer, record.byteOffset, record.byteLength);
  const [size, thumbs, thumb, links, biases] = [view.getUint16(0, true), view.getUint16(2, true),
    view.getUint16(4, true), view.getUint16(6, true), view.getUint16(8, true)];
  let at = HEADER_BYTES;
  const take = (count) => { const out = record.slice(at, at + count); at += count; return out; };
  const output = undelta(take(size * size), size);
  const thumbnails = take(thumbs * thumb * thumb);
  const weights = new Float32Array(take(links * 4).buffer);
  const biasValues = new Float32Array(take(biases * 4).buffer);
  const dead = take(links);
  // the hovered node at full resolution: kind, index, size, then its codes (delta-coded as the output)
  const kind = view.getUint8(at), index = view.getUint16(at + 1, true), detailSize = view.getUint16(at + 3, true);
  at += 5;
  const detail = kind ? {kind: DETAIL_KINDS[kind], index, size: detailSize,
    codes: undelta(take(detailSize * detailSize), detailSize)} : null;
  return {size, thumb, output, thumbnails, weights, biases: biasValues, dead, detail};
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

