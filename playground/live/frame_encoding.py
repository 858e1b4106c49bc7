"""One frame of the network picture as one compact string, for the browser's network canvas.

Per update the browser needs the output heatmap (uint8 codes 100×100), every neuron's thumbnail (uint8
10×10), every link's weight and every bias (float32) and which links L1 has killed. They travel as one
binary record, deflated and base64-encoded into a single string property: one string in the frame's one
websocket message, instead of a binary buffer (two websocket messages) per array. The text is the frame's
id, a colon, then the record: a frame that shows what the last one showed (no epoch between them: half a
classroom's frames) has the same record text, which `FrameEncoder` does not deflate again and the browser
does not read again.

Record layout (little-endian), before deflate:
    header  uint16 output size, thumbnails, thumbnail size, links, biases, version
    output  size × size uint8 codes, bottom row first, each row delta-coded (code − left neighbour, mod 256:
            smooth heatmaps become runs of small numbers that deflate well)
    thumbs  thumbnails × size² uint8 codes, bottom row first
    weights links × float32; biases biases × float32; dead links × uint8 (1 = killed by L1)
    detail  uint8 kind (0 none, 1 input, 2 neuron), uint16 index, uint16 size, then size × size uint8 codes
            delta-coded as the output: the hovered node's picture at full resolution (Frame.detail)
`network_canvas.js` reads it; `decode_frame` here is the same reading, for tests (and `frame_id_and_weights`
the little the load test needs).
"""

from __future__ import annotations

import base64
import struct
import zlib

import numpy as np

from .frames import Frame

VERSION = 3
HEADER = struct.Struct("<HHHHHH")
DETAIL_HEADER = struct.Struct("<BHH")
DETAIL_KINDS = {"input": 1, "neuron": 2}
DEFLATE_LEVEL = 1  # a default frame: 4.2 KB in a third of the time level 6 takes for 3.7 KB (a server of 60 tabs)


def _delta_rows(codes: np.ndarray) -> np.ndarray:
    out = codes.astype(np.int16)
    out[:, 1:] -= codes[:, :-1]
    return (out & 0xFF).astype(np.uint8)


def _undelta_rows(deltas: np.ndarray) -> np.ndarray:
    return (np.cumsum(deltas.astype(np.int64), axis=1) & 0xFF).astype(np.uint8)


def _detail_bytes(detail: tuple[str, int, np.ndarray] | None) -> bytes:
    if detail is None:
        return DETAIL_HEADER.pack(0, 0, 0)
    kind, index, codes = detail
    codes = np.ascontiguousarray(codes, dtype=np.uint8)
    return DETAIL_HEADER.pack(DETAIL_KINDS[kind], index, codes.shape[0]) + _delta_rows(codes).tobytes()


def encode_frame(frame: Frame) -> str:
    """`frame`'s id and the record above, deflated, as base64 text."""
    return f"{frame.frame_id}:{_record_text(frame)}"


def _record_text(frame: Frame) -> str:
    output = np.ascontiguousarray(frame.output_image, dtype=np.uint8)
    thumbs = (np.stack(frame.neuron_images).astype(np.uint8) if frame.neuron_images
              else np.zeros((0, 0, 0), np.uint8))
    weights = np.asarray(frame.weights, "<f4")
    biases = np.asarray(frame.biases, "<f4")
    dead = np.asarray(frame.dead, np.uint8)
    header = HEADER.pack(output.shape[0], thumbs.shape[0], thumbs.shape[1] if thumbs.ndim == 3 else 0,
                         weights.size, biases.size, VERSION)
    record = b"".join([header, _delta_rows(output).tobytes(), thumbs.tobytes(), weights.tobytes(),
                       biases.tobytes(), dead.tobytes(), _detail_bytes(frame.detail)])
    return base64.b64encode(zlib.compress(record, DEFLATE_LEVEL)).decode("ascii")


class FrameEncoder:
    """`encode_frame` for one view's frames, in order: a frame showing what the last one showed (the same
    pictures, which `FrameBuilder` reuses while the network is unchanged, and the same values) reuses its
    record text instead of deflating it again."""

    def __init__(self):
        self._last: tuple[Frame, str] | None = None

    def encode(self, frame: Frame) -> str:
        if self._last is None or not _shows_the_same(self._last[0], frame):
            self._last = (frame, _record_text(frame))
        return f"{frame.frame_id}:{self._last[1]}"


def _shows_the_same(a: Frame, b: Frame) -> bool:
    """Whether two frames' records are equal: their pictures the same arrays, their values the same bytes."""
    return (a.output_image is b.output_image and len(a.neuron_images) == len(b.neuron_images)
            and all(x is y for x, y in zip(a.neuron_images, b.neuron_images, strict=True))
            and all(x.tobytes() == y.tobytes() for x, y in ((a.weights, b.weights), (a.biases, b.biases), (a.dead, b.dead)))
            and (a.detail is None) == (b.detail is None)
            and (a.detail is None or a.detail[:2] == b.detail[:2] and a.detail[2].tobytes() == b.detail[2].tobytes()))


def _split(text: str) -> tuple[int, bytes]:
    frame_id, _, record = text.partition(":")
    return int(frame_id), zlib.decompress(base64.b64decode(record))


def decode_frame(text: str) -> dict:
    """The arrays of an encoded frame (the browser's reading, in Python)."""
    frame_id, record = _split(text)
    size, n_thumbs, thumb, n_links, n_biases, version = HEADER.unpack_from(record)
    if version != VERSION:
        raise ValueError(f"frame record version {version}, expected {VERSION}")
    at = HEADER.size

    def take(count: int, dtype: str) -> np.ndarray:
        nonlocal at
        width = np.dtype(dtype).itemsize * count
        out = np.frombuffer(record, dtype, count, at)
        at += width
        return out

    output = _undelta_rows(take(size * size, "u1").reshape(size, size))
    thumbs = take(n_thumbs * thumb * thumb, "u1").reshape(n_thumbs, thumb, thumb)
    decoded = {"frame_id": frame_id, "output": output, "thumbnails": thumbs, "weights": take(n_links, "<f4"),
               "biases": take(n_biases, "<f4"), "dead": take(n_links, "u1").astype(bool), "detail": None}
    kind, index, detail_size = DETAIL_HEADER.unpack_from(record, at)
    at += DETAIL_HEADER.size
    if kind:
        codes = _undelta_rows(take(detail_size * detail_size, "u1").reshape(detail_size, detail_size))
        decoded["detail"] = ({v: k for k, v in DETAIL_KINDS.items()}[kind], index, codes)
    return decoded


def frame_id_and_weights(text: str) -> tuple[int, bytes]:
    """The frame id (what the browser acknowledges once it has drawn the frame) and the raw bytes of its
    weights, without reading the pictures into arrays: what a simulated student needs of every frame."""
    frame_id, record = _split(text)
    size, n_thumbs, thumb, n_links, _, version = HEADER.unpack_from(record)
    if version != VERSION:
        raise ValueError(f"frame record version {version}, expected {VERSION}")
    at = HEADER.size + size * size + n_thumbs * thumb * thumb
    return frame_id, record[at:at + 4 * n_links]


def encode_codes(images: np.ndarray) -> str:
    """Static uint8 images (the input features' thumbnails) as base64 of their raw bytes."""
    return base64.b64encode(np.ascontiguousarray(images, np.uint8).tobytes()).decode("ascii")


def encode_points(train: np.ndarray, test: np.ndarray) -> str:
    """Data points as base64 of float32 rows (x, y, label, is_test): training points first."""
    rows = [np.column_stack([p[:, :3], np.full(len(p), flag)]) for p, flag in ((train, 0.0), (test, 1.0))
            if len(p)]
    table = np.concatenate(rows).astype("<f4") if rows else np.zeros((0, 4), "<f4")
    return base64.b64encode(table.tobytes()).decode("ascii")
