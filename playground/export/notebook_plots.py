"""The exported notebook's plot cells (Bokeh, resources inline so the notebook and its HTML work offline):
the decision boundary with the points, each layer's weights as a heatmap, and the loss per epoch.

Cell sources only: they run in the notebook, after `notebook.py`'s cells have defined `model`, `train`,
`test`, `history`, `FEATURES`, `NETWORK_SHAPE` and `OUTPUT_ACTIVATION`.
"""

PLOT_SETUP = """\
from bokeh.io import output_notebook, show
from bokeh.layouts import gridplot
from bokeh.models import ColumnDataSource, LinearColorMapper
from bokeh.plotting import figure
from bokeh.resources import INLINE

output_notebook(INLINE, hide_banner=True)  # BokehJS embedded in the notebook: works offline

def blend(a, b, t):
    \"\"\"The colour a fraction t of the way from hex colour a to hex colour b.\"\"\"
    ca = [int(a[i:i + 2], 16) for i in (1, 3, 5)]
    cb = [int(b[i:i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * t):02x}" for x, y in zip(ca, cb))

# The playground's colours: orange for -1, white for 0, blue for +1.
ORANGE, WHITE, BLUE = "#f59322", "#e8eaeb", "#0877bd"
PALETTE = [blend(ORANGE, WHITE, i / 127) for i in range(128)] + [blend(WHITE, BLUE, i / 127) for i in range(128)]"""

BOUNDARY_PLOT = """\
# The network's output over a 100 x 100 grid covering [-6, 6]².
grid = np.linspace(-6, 6, 100)
gx, gy = np.meshgrid(grid, grid)  # row i is y = grid[i], from the bottom up, as Bokeh's image expects
output = model.predict(feature_matrix(np.column_stack([gx.ravel(), gy.ravel()]), FEATURES))
if OUTPUT_ACTIVATION == "sigmoid":
    output = 2 * output - 1  # back to [-1, 1]
colours = LinearColorMapper(palette=PALETTE, low=-1, high=1)

boundary = figure(title="Decision boundary (test points have a black edge)",
                  width=460, height=460, x_range=(-6, 6), y_range=(-6, 6), match_aspect=True)
boundary.image(image=[output.reshape(100, 100)], x=-6, y=-6, dw=12, dh=12, color_mapper=colours, alpha=0.8)
for points, edge, name in ((train, "white", "training"), (test, "black", "test")):
    source = ColumnDataSource({"x": points[:, 0], "y": points[:, 1], "label": points[:, 2]})
    boundary.scatter("x", "y", source=source, size=6, line_color=edge, legend_label=name,
                     fill_color={"field": "label", "transform": colours})
boundary.legend.location = "top_left"
boundary.legend.background_fill_alpha = 0.6
show(boundary)"""

WEIGHTS_PLOT = """\
# One heatmap per layer: row = the neuron a link comes from (or the bias), column = the neuron it feeds.
weights = model.get_weights()
biggest = max(float(np.nanmax(np.abs(w))) for w in weights) or 1.0
weight_colours = LinearColorMapper(palette=PALETTE, low=-biggest, high=biggest)
names = [FEATURES] + [[f"h{i + 1}.{j + 1}" for j in range(units)] for i, units in enumerate(NETWORK_SHAPE)]
panels = []
for i in range(len(weights) // 2):
    kernel, bias = weights[2 * i], weights[2 * i + 1]
    sources = names[i] + ["bias"]
    targets = [f"h{i + 1}.{j + 1}" for j in range(kernel.shape[1])] if i < len(NETWORK_SHAPE) else ["output"]
    matrix = np.vstack([kernel, bias[None, :]])
    rows, cols = np.indices(matrix.shape)
    cells = ColumnDataSource({"from": [sources[r] for r in rows.ravel()], "to": [targets[c] for c in cols.ravel()],
                              "w": matrix.ravel(), "text": [f"{v:.2f}" for v in matrix.ravel()]})
    panel = figure(title=f"layer {i + 1}", x_range=targets, y_range=list(reversed(sources)),
                   width=90 + 55 * len(targets), height=60 + 28 * len(sources), toolbar_location=None,
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
