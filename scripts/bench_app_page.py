"""What `bench_app.py` does in the page: the JavaScript it runs (shadow-DOM lookups, the per-frame probe, read-outs) and the app's speed menu choice.

Panel renders each pane in its own shadow root, so every lookup pierces them (`deepFind`, `deepAll`).
"""

# Shadow-DOM-piercing lookups (Panel renders each pane in its own shadow root), shared by the snippets below.
DEEP_JS = """
  const deepFind = (root, selector) => {
    const hit = root.querySelector(selector);
    if (hit) return hit;
    for (const node of root.querySelectorAll('*')) {
      if (node.shadowRoot) { const found = deepFind(node.shadowRoot, selector); if (found) return found; }
    }
    return null;
  };
  const deepAll = (root, selector, out = []) => {
    out.push(...root.querySelectorAll(selector));
    for (const node of root.querySelectorAll('*')) if (node.shadowRoot) deepAll(node.shadowRoot, selector, out);
    return out;
  };
  const textOf = (selector) => { const el = deepFind(document, selector); return el ? el.textContent.trim() : ''; };
  const epochOf = (text) => parseInt(text.replace(/\\D/g, '') || '0', 10);
"""


def page_js(body: str, arg: str = "") -> str:
    """A function for `page.evaluate` / `wait_for_function` with the lookups above in scope."""
    return f"({arg}) => {{{DEEP_JS}{body}}}"


# Installed in the page once it is ready: once per animation frame it reads the epoch counter and a 16×16
# fingerprint of the output heatmap's canvases, and counts the frames in which either changed.
PROBE_JS = page_js("""
  const plot = deepFind(document, '.output-plot');
  const canvases = plot ? deepAll(plot.shadowRoot || plot, 'canvas') : [];
  const small = document.createElement('canvas');
  small.width = small.height = 16;
  const ctx = small.getContext('2d', {willReadFrequently: true});
  const fingerprint = () => {
    ctx.clearRect(0, 0, 16, 16);
    for (const c of canvases) if (c.width && c.height) ctx.drawImage(c, 0, 0, 16, 16);
    const px = ctx.getImageData(0, 0, 16, 16).data;
    let h = 0;
    for (let i = 0; i < px.length; i++) h = (Math.imul(h, 31) + px[i]) | 0;
    return h;
  };
  // The counter's element is replaced on every frame; its shadow root stays, so look it up there.
  let counterRoot = null;
  const counterText = () => {
    let el = counterRoot && counterRoot.querySelector('.epoch-counter');
    if (!el) { el = deepFind(document, '.epoch-counter'); counterRoot = el ? el.getRootNode() : null; }
    return el ? el.textContent : '';
  };
  let lastText = counterText(), lastPrint = fingerprint();
  const probe = {frames: 0, heatmapFrames: 0, ticks: 0, epoch: epochOf(lastText)};
  const tick = () => {
    probe.ticks++;
    const text = counterText();
    if (text !== lastText) { lastText = text; probe.frames++; probe.epoch = epochOf(text); }
    const print = fingerprint();
    if (print !== lastPrint) { lastPrint = print; probe.heatmapFrames++; }
    requestAnimationFrame(tick);
  };
  requestAnimationFrame(tick);
  window.__benchProbe = probe;
  return canvases.length;""")
SNAPSHOT_JS = "() => ({...window.__benchProbe, t: performance.now() / 1000})"
READ_OUT_JS = page_js("return textOf('.epochs-per-second') + ' / ' + textOf('.frames-per-second');")
LOSS_SHOWN_JS = page_js("return /[0-9]/.test(textOf('.train-loss'));")
EPOCH_REACHED_JS = page_js("return epochOf(textOf('.epoch-counter')) >= target;", arg="target")

# What the browser's network canvas shows: its neuron count and training points (data attributes).
SHOWN_JS = page_js("""const picture = deepFind(document, '.network-picture[data-frame]');
  return picture ? {neurons: +picture.dataset.neurons, train: +picture.dataset.trainPoints}
                 : {neurons: -1, train: -1};""")
SHOWS_LINK_JS = f"""(want) => {{ const shown = ({SHOWN_JS})();
  return shown.neurons === want.neurons && shown.train === want.train; }}"""

SPEED_LABELS = {"watch": "Watch", "fast": "Fast"}  # the app's speed menu (playground/live/frame_pacing.py SPEEDS)


def choose_speed(page, speed: str | None) -> None:
    """Pick `speed` in the app's speed menu (sent before Play's click on the same channel, taken first)."""
    if speed:
        page.locator(".speed-select select").select_option(SPEED_LABELS[speed])
