"""The notebooks' plot cells (Bokeh, resources inline so a notebook and its HTML work offline): the decision
boundary with the points, each layer's weights as a heatmap, and the loss per epoch. One set serves both
notebooks, the engine's (`notebook.py`) and the numpy-only one (`standalone_notebook.py`).

Cell sources only. They read what the notebook's earlier cells define:
- `np` (numpy); `train`, `test`: the points as rows x, y, label; `history`: "epoch", "train", "test" lists;
- `FEATURES`, `NETWORK_SHAPE`, `ACTIVATIONS` (one per hidden layer), `OUTPUT` (the output layer's
  activation) and `CLASSES` (2, or K for a softmax output);
- `predict(points)`: the network's output for rows x, y: one column on the playground's scale [-1, 1], or
  K class probabilities;
- `PARAMS`: per layer, its weights and biases as one matrix [W; b] (a row per input, the biases last).
The standalone notebook defines these as it goes; the engine notebook gets them from `ENGINE_PLOT_INPUTS`.
"""

ENGINE_PLOT_INPUTS = """\
# What the pictures read, from the trained model: its output for any points, and each layer as one matrix.
OUTPUT = OUTPUT_ACTIVATION
CLASSES = OUTPUT_UNITS if OUTPUT == "softmax" else 2


def predict(points):
    output = model.predict(feature_matrix(points, FEATURES))
    return 2 * output - 1 if OUTPUT == "sigmoid" else output  # a sigmoid's [0, 1] on the playground's scale


weights = model.get_weights()  # kernel, bias, kernel, bias, ...
PARAMS = [np.vstack([kernel, bias[None, :]]) for kernel, bias in zip(weights[::2], weights[1::2])]"""

PLOT_SETUP = """\
from bokeh.io import output_notebook, show
from bokeh.layouts import gridplot
from bokeh.models import ColumnDataSource, LinearColorMapper
from bokeh.plotting import figure
from bokeh.resources import INLINE

output_notebook(INLINE, hide_banner=True)  # BokehJS embedded in the notebook: works offline


def rgb(colour):
    return np.array([int(colour[i:i + 2], 16) for i in (1, 3, 5)], dtype=float)


def blend(a, b, t):
    \"\"\"The colour a fraction t of the way from hex colour a to hex colour b.\"\"\"
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(rgb(a), rgb(b)))


# The playground's colours: orange for -1, white for 0, blue for +1; and one colour-blind-safe colour per
# class (Okabe and Ito's) for K classes.
ORANGE, WHITE, BLUE = "#f59322", "#e8eaeb", "#0877bd"
PALETTE = [blend(ORANGE, WHITE, i / 127) for i in range(128)] + [blend(WHITE, BLUE, i / 127) for i in range(128)]
CLASS_COLORS = ["#e69f00", "#0072b2", "#009e73", "#cc79a7", "#d55e00"]"""

BOUNDARY_PLOT = """\
# The network's output over a 100 x 100 grid covering [-6, 6]².
grid = np.linspace(-6, 6, 100)
gx, gy = np.meshgrid(grid, grid)  # row i is y = grid[i], from the bottom up, as Bokeh's image expects
output = predict(np.column_stack([gx.ravel(), gy.ravel()]))
colours = LinearColorMapper(palette=PALETTE, low=-1, high=1)

boundary = figure(title="Decision boundary (test points have a black edge)",
                  width=460, height=460, x_range=(-6, 6), y_range=(-6, 6), match_aspect=True)
if CLASSES > 2:
    # the likeliest class's colour, fading to white where the network is no surer than a guess (1/K)
    sure = np.clip((output.max(axis=1) - 1 / CLASSES) / (1 - 1 / CLASSES), 0, 1)[:, None]
    mixed = rgb(WHITE) + (np.array([rgb(c) for c in CLASS_COLORS])[output.argmax(axis=1)] - rgb(WHITE)) * sure
    rgba = np.dstack([np.rint(mixed).astype(np.uint8).reshape(100, 100, 3), np.full((100, 100), 255, np.uint8)])
    boundary.image_rgba(image=[rgba.view(np.uint32).reshape(100, 100)], x=-6, y=-6, dw=12, dh=12, global_alpha=0.8)
else:
    boundary.image(image=[output.reshape(100, 100)], x=-6, y=-6, dw=12, dh=12, color_mapper=colours, alpha=0.8)
for points, edge, name in ((train, "white", "training"), (test, "black", "test")):
    if CLASSES > 2:
        fill = [CLASS_COLORS[int(label)] for label in points[:, 2]]
    else:
        fill = [PALETTE[int(np.clip(round((label + 1) * 127.5), 0, 255))] for label in points[:, 2]]
    source = ColumnDataSource({"x": points[:, 0], "y": points[:, 1], "fill": fill})
    boundary.scatter("x", "y", source=source, size=6, line_color=edge, legend_label=name, fill_color="fill")
boundary.legend.location = "top_left"
boundary.legend.background_fill_alpha = 0.6
show(boundary)"""

WEIGHTS_PLOT = """\
# One heatmap per layer: row = the neuron a link comes from (or the bias), column = the neuron it feeds.
biggest = max(float(np.nanmax(np.abs(P))) for P in PARAMS) or 1.0
weight_colours = LinearColorMapper(palette=PALETTE, low=-biggest, high=biggest)
names = [FEATURES] + [[f"h{i + 1}.{j + 1}" for j in range(units)] for i, units in enumerate(NETWORK_SHAPE)]
panels = []
for i, P in enumerate(PARAMS):
    sources = names[i] + ["bias"]
    if i < len(NETWORK_SHAPE):
        targets_ = [f"h{i + 1}.{j + 1}" for j in range(P.shape[1])]
    else:
        targets_ = [f"class {j}" for j in range(P.shape[1])] if CLASSES > 2 else ["output"]
    rows, cols = np.indices(P.shape)
    cells = ColumnDataSource({"from": [sources[r] for r in rows.ravel()], "to": [targets_[c] for c in cols.ravel()],
                              "w": P.ravel(), "text": [f"{v:.2f}" for v in P.ravel()]})
    panel = figure(title=f"layer {i + 1} ({ACTIVATIONS[i] if i < len(ACTIVATIONS) else OUTPUT})",
                   x_range=targets_, y_range=list(reversed(sources)), width=90 + 55 * len(targets_),
                   height=60 + 28 * len(sources), toolbar_location=None,
                   tooltips=[("link", "@from → @to"), ("weight", "@w")])
    panel.rect("to", "from", 1, 1, source=cells, fill_color={"field": "w", "transform": weight_colours},
               line_color="white")
    panel.text("to", "from", text="text", source=cells, text_align="center", text_baseline="middle",
               text_font_size="9pt")
    panels.append(panel)
show(gridplot(panels, ncols=2))"""

LOSS_PLOT = """\
curves = figure(title="Loss per epoch", width=600, height=300, x_axis_label="epoch", y_axis_label="loss")
epochs = np.array(history["epoch"])
curves.line(epochs, np.array(history["train"]), line_width=2, color="#0877bd", legend_label="training loss")
curves.line(epochs, np.array(history["test"]), line_width=2, color="#f59322", legend_label="test loss")
show(curves)"""
