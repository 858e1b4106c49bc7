"""One frame of the network picture as one compact string, for the browser's network canvas.

The browser draws every picture itself (`assets/network_pictures.js`), as the playground does: each
neuron's output over the grid, the output heatmap and the thumbnails, from the network's shape and its
weights. So a frame carries the network's description, every link's weight, every bias (float32) and which
links L1 has killed: about 200 bytes for the default network, base64-encoded into a single string in the
frame's one websocket message. The text is the frame's id, a colon, then the record: a frame that shows what
the last one showed (no epoch between them: half a classroom's frames) has the same record text, which the
browser does not read, nor draw the pictures of, again.

Record layout (little-endian):
    header  uint16 version, links, biases; uint8 feature mask (bit i: FEATURES[i] is an input), hidden layers,
            outputs, output activation, flags (bit 0: the output drawn in two colours, `discretize`)
    layers  hidden layers × uint8 neurons, then hidden layers × uint8 activation
    weights links × float32 (layer by layer, source-major); biases biases × float32 (hidden layers, then
            the output); dead links × uint8 (1 = killed by L1)
Activations are numbered as `ACTIVATION_CODES`. `network_canvas.js` reads it; `decode_frame` here is the same
reading, for tests (and `frame_id_and_weights` the little the load test needs).
"""

from __future__ import annotations

import base64
import struct

import numpy as np

from ..domain.features import FEATURES
from .frames import Frame

VERSION = 4
HEADER = struct.Struct("<HHHBBBBB")
ACTIVATION_CODES = ("linear", "relu", "tanh", "sigmoid", "softmax")
DISCRETIZE = 1


def encode_frame(frame: Frame) -> str:
    """`frame`'s id and the record above, as base64 text."""
    topology = frame.topology
    mask = sum(1 << i for i, name in enumerate(FEATURES) if name in topology.features)
    header = HEADER.pack(VERSION, frame.weights.size, frame.biases.size, mask, len(topology.layers),
                         topology.outputs, ACTIVATION_CODES.index(frame.output_activation),
                         DISCRETIZE if frame.discretize else 0)
    layers = bytes([*topology.layers, *(ACTIVATION_CODES.index(a) for a in topology.activations)])
    record = b"".join([header, layers, np.asarray(frame.weights, "<f4").tobytes(),
                       np.asarray(frame.biases, "<f4").tobytes(), np.asarray(frame.dead, np.uint8).tobytes()])
    return f"{frame.frame_id}:{base64.b64encode(record).decode('ascii')}"


def _split(text: str) -> tuple[int, bytes, tuple, int]:
    """(frame id, record, header fields, where the weights start: after the layers' sizes and activations)."""
    frame_id, _, record = text.partition(":")
    raw = base64.b64decode(record)
    header = HEADER.unpack_from(raw)
    if header[0] != VERSION:
        raise ValueError(f"frame record version {header[0]}, expected {VERSION}")
    return int(frame_id), raw, header, HEADER.size + 2 * header[4]


def decode_frame(text: str) -> dict:
    """The contents of an encoded frame (the browser's reading, in Python)."""
    frame_id, record, (_, links, biases, mask, hidden, outputs, output_activation, flags), at = _split(text)
    layers = record[HEADER.size:at]
    weights = np.frombuffer(record, "<f4", links, at)
    return {"frame_id": frame_id, "features": tuple(name for i, name in enumerate(FEATURES) if mask >> i & 1),
            "layers": tuple(layers[:hidden]), "activations": tuple(ACTIVATION_CODES[a] for a in layers[hidden:]),
            "outputs": outputs, "output_activation": ACTIVATION_CODES[output_activation],
            "discretize": bool(flags & DISCRETIZE), "weights": weights,
            "biases": np.frombuffer(record, "<f4", biases, at + 4 * links),
            "dead": np.frombuffer(record, np.uint8, links, at + 4 * (links + biases)).astype(bool)}


def frame_id_and_weights(text: str) -> tuple[int, bytes]:
    """The frame id (what the browser acknowledges once it has drawn the frame) and the raw bytes of its
    weights: what a simulated student needs of every frame."""
    frame_id, record, header, at = _split(text)
    return frame_id, record[at:at + 4 * header[1]]


def encode_points(train: np.ndarray, test: np.ndarray) -> str:
    """Data points as base64 of float32 rows (x, y, label, is_test): training points first."""
    rows = [np.column_stack([p[:, :3], np.full(len(p), flag)]) for p, flag in ((train, 0.0), (test, 1.0))
            if len(p)]
    table = np.concatenate(rows).astype("<f4") if rows else np.zeros((0, 4), "<f4")
    return base64.b64encode(table.tobytes()).decode("ascii")
