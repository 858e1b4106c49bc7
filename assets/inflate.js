// zlib data (RFC 1950 around RFC 1951 deflate, what Python's zlib.compress writes) decompressed at once.
//
// The browser's DecompressionStream is asynchronous: each frame waited for its promise, and on a page still
// busy building its views that took 20–35 ms for a 15 KB frame, most of it queued behind other work. Frames
// are small, so decoding them in place, in the websocket message's own task, costs about a millisecond.
// The structure follows zlib's reference decoder `puff.c` (canonical Huffman codes decoded bit by bit).
// Loaded ahead of frame_record.js in the same module (playground/views/network_canvas.py joins them).

const LENGTH_BASE = [3, 4, 5, 6, 7, 8, 9, 10, 11, 13, 15, 17, 19, 23, 27, 31, 35, 43, 51, 59, 67, 83, 99, 115,
  131, 163, 195, 227, 258];
const LENGTH_EXTRA = [0, 0, 0, 0, 0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2, 3, 3, 3, 3, 4, 4, 4, 4, 5, 5, 5, 5, 0];
const DISTANCE_BASE = [1, 2, 3, 4, 5, 7, 9, 13, 17, 25, 33, 49, 65, 97, 129, 193, 257, 385, 513, 769, 1025, 1537,
  2049, 3073, 4097, 6145, 8193, 12289, 16385, 24577];
const DISTANCE_EXTRA = [0, 0, 0, 0, 1, 1, 2, 2, 3, 3, 4, 4, 5, 5, 6, 6, 7, 7, 8, 8, 9, 9, 10, 10, 11, 11, 12, 12, 13,
  13];
const CODE_LENGTH_ORDER = [16, 17, 18, 0, 8, 7, 9, 6, 10, 5, 11, 4, 12, 3, 13, 2, 14, 1, 15];

// A canonical Huffman code from its code lengths: how many codes of each length, and the symbols in code order.
function huffmanCode(lengths) {
  const counts = new Uint16Array(16), offsets = new Uint16Array(16), symbols = new Uint16Array(lengths.length);
  for (const length of lengths) counts[length]++;
  counts[0] = 0;
  for (let length = 1; length < 16; length++) offsets[length] = offsets[length - 1] + counts[length - 1];
  lengths.forEach((length, symbol) => { if (length) symbols[offsets[length]++] = symbol; });
  return {counts, symbols};
}

const FIXED_LITERALS = huffmanCode(Array.from({length: 288}, (_, s) => (s < 144 ? 8 : s < 256 ? 9 : s < 280 ? 7 : 8)));
const FIXED_DISTANCES = huffmanCode(new Array(30).fill(5));

function inflate(data) {
  let pos = 2, bits = 0, bitCount = 0; // past the two-byte zlib header; its checksum at the end is not read
  let out = new Uint8Array(Math.max(1024, data.length * 4)), n = 0;
  const room = (count) => {
    if (n + count <= out.length) return;
    const bigger = new Uint8Array(Math.max(out.length * 2, n + count));
    bigger.set(out.subarray(0, n));
    out = bigger;
  };
  const take = (count) => { // `count` bits, the first one least significant
    while (bitCount < count) {
      if (pos >= data.length) throw new Error("inflate: the data ends early");
      bits |= data[pos++] << bitCount;
      bitCount += 8;
    }
    const value = bits & ((1 << count) - 1);
    bits >>>= count;
    bitCount -= count;
    return value;
  };
  const decode = (code) => {
    let value = 0, first = 0, index = 0;
    for (let length = 1; length < 16; length++) {
      value |= take(1);
      const count = code.counts[length];
      if (value - count < first) return code.symbols[index + value - first];
      index += count;
      first = (first + count) << 1;
      value <<= 1;
    }
    throw new Error("inflate: a code that is not in the table");
  };
  const dynamicCodes = () => {
    const literals = take(5) + 257, distances = take(5) + 1, lengthCodes = take(4) + 4;
    const codeLengths = new Uint8Array(19);
    for (let i = 0; i < lengthCodes; i++) codeLengths[CODE_LENGTH_ORDER[i]] = take(3);
    const lengthCode = huffmanCode(codeLengths);
    const lengths = new Uint8Array(literals + distances);
    for (let i = 0; i < lengths.length;) {
      const symbol = decode(lengthCode);
      if (symbol < 16) { lengths[i++] = symbol; continue; }
      let repeat, value = 0;
      if (symbol === 16) {
        if (i === 0) throw new Error("inflate: a repeat with nothing before it");
        value = lengths[i - 1];
        repeat = 3 + take(2);
      } else {
        repeat = symbol === 17 ? 3 + take(3) : 11 + take(7);
      }
      if (i + repeat > lengths.length) throw new Error("inflate: too many code lengths");
      lengths.fill(value, i, i + repeat);
      i += repeat;
    }
    return [huffmanCode(lengths.subarray(0, literals)), huffmanCode(lengths.subarray(literals))];
  };
  let last;
  do {
    last = take(1);
    const type = take(2);
    if (type === 0) { // stored: byte-aligned length, its complement, then the bytes
      bits = bitCount = 0;
      const length = data[pos] | (data[pos + 1] << 8);
      pos += 4;
      if (pos + length > data.length) throw new Error("inflate: the data ends early");
      room(length);
      out.set(data.subarray(pos, pos + length), n);
      n += length;
      pos += length;
    } else if (type === 1 || type === 2) {
      const [literalCode, distanceCode] = type === 1 ? [FIXED_LITERALS, FIXED_DISTANCES] : dynamicCodes();
      for (;;) {
        const symbol = decode(literalCode);
        if (symbol < 256) { room(1); out[n++] = symbol; continue; }
        if (symbol === 256) break;
        const s = symbol - 257;
        if (s >= 29) throw new Error("inflate: a length out of range");
        const length = LENGTH_BASE[s] + take(LENGTH_EXTRA[s]); // its extra bits come before the distance
        const d = decode(distanceCode);
        if (d >= 30) throw new Error("inflate: a distance out of range");
        const back = DISTANCE_BASE[d] + take(DISTANCE_EXTRA[d]);
        if (back > n) throw new Error("inflate: a distance before the start");
        room(length);
        for (let k = 0; k < length; k++, n++) out[n] = out[n - back];
      }
    } else {
      throw new Error("inflate: an unknown block type");
    }
  } while (!last);
  return out.subarray(0, n);
}
