// The top bar's buttons, menus, "Advanced" settings and engine note (playground/views/top_controls.py says
// what is sent and why). Made once, then updated in place; text reaches the DOM through textContent and
// attributes only.

// make, icon: dom.js

const CHEVRON = [["M9 6l6 6-6 6", false]];

function makeButton(spec, parent, send) {
  const box = make("div", `control-button ${spec.css}`, parent);
  const edge = (56 - spec.size) / 2; // every button centred on the play button's row
  box.style.margin = `${edge + 4}px 4px ${edge + 4}px`;
  const button = make("button", "", box);
  button.type = "button";
  button.style.width = button.style.height = `${spec.size}px`;
  const label = make("span", "button-label", button);
  button.addEventListener("click", () => send({action: "click", button: spec.name}));
  let shown = null;
  const show = (face) => {
    if (face === shown) return;
    shown = face;
    label.textContent = face.label; // the accessible name ("Play"); only the icon is seen
    button.title = face.title;
    button.replaceChildren(label, icon(face.icon, spec.icon_size));
  };
  return {box, face: (playing) => show(playing && spec.playing ? spec.playing : spec)};
}

function makeMenu(spec, parent, send) {
  const box = make("div", `menu ${spec.css}`, parent);
  box.style.width = `${spec.width}px`;
  const id = `menu-${spec.name}`;
  const title = make("div", "menu-title", box);
  const label = make("label", "", title);
  label.textContent = spec.label;
  label.htmlFor = id;
  const help = make("span", "menu-help", title); // a "?" whose tooltip says why, as Panel's descriptions do
  help.textContent = "?";
  help.setAttribute("aria-hidden", "true");
  const select = make("select", "", box);
  select.id = id;
  for (const [text, enabled] of spec.options) {
    const option = make("option", "", select);
    option.value = text;
    option.textContent = text;
    option.disabled = !enabled;
  }
  select.addEventListener("change", () => send({action: "choose", menu: spec.name, value: select.value}));
  return {box, select, help, title: spec.title || ""};
}

// the first element of the page's shadow roots that matches `selector` (the network picture is another
// component's)
function findDeep(root, selector) {
  const hit = root.querySelector(selector);
  if (hit) return hit;
  for (const el of root.querySelectorAll("*")) {
    const inner = el.shadowRoot && findDeep(el.shadowRoot, selector);
    if (inner) return inner;
  }
  return null;
}

export function render({ model }) {
  const bar = make("div", "top-bar-box");
  // the page's first tab stop, shown only when focused: straight to the network picture, past ~40 controls
  const skip = make("button", "skip-link", bar);
  skip.type = "button";
  skip.textContent = "Skip to the network picture";
  skip.addEventListener("click", () => {
    const picture = findDeep(document, ".network-plot");
    if (picture) picture.focus();
  });
  const root = make("div", "top-bar", bar);
  const send = (msg) => model.send_msg(msg);
  const buttons = {};
  for (const spec of model.buttons) buttons[spec.name] = makeButton(spec, root, send);
  const epoch = model.get_child("epoch");
  if (epoch) root.appendChild(epoch);
  const menus = {};
  const main = model.menus.filter((spec) => !spec.advanced), more = model.menus.filter((spec) => spec.advanced);
  for (const spec of main) menus[spec.name] = makeMenu(spec, root, send);

  // "Advanced": the engine, optimizer and loss, and the note on engines, behind one toggle (closed unless a
  // link or a lesson sets one of them, or the student opens it).
  const toggleBox = make("div", "advanced-toggle-box", root);
  const toggle = make("button", "advanced-toggle", toggleBox);
  toggle.type = "button";
  toggle.setAttribute("aria-controls", "advanced-settings");
  make("span", "", toggle).textContent = "Advanced";
  toggle.appendChild(icon(CHEVRON, 14));
  const panel = make("div", "advanced-settings", bar);
  panel.id = "advanced-settings";
  panel.setAttribute("role", "group");
  panel.setAttribute("aria-label", "Advanced settings");
  const panelRow = make("div", "advanced-row", panel);
  for (const spec of more) menus[spec.name] = makeMenu(spec, panelRow, send);
  const note = make("div", "engine-note engine-note-text", panelRow);
  const showNote = () => { // hideText sends no note
    note.replaceChildren();
    for (const [bold, text] of model.note) {
      make("b", "", note).textContent = bold;
      note.appendChild(document.createTextNode(text));
    }
    note.hidden = !model.note.length;
  };
  toggle.addEventListener("click", () => { model.advanced = !model.advanced; });

  const end = make("div", "top-bar-end", root); // controls of other views at the bar's end (the lesson picker)
  for (const child of model.get_child("extras") || []) if (child) end.appendChild(child);

  const showAdvanced = () => {
    toggle.setAttribute("aria-expanded", String(model.advanced));
    panel.hidden = !model.advanced;
    bar.classList.toggle("advanced-open", model.advanced);
    if (epoch) epoch.classList.toggle("show-frames", model.advanced); // frames/s is for the curious
  };
  const showPlaying = () => { for (const b of Object.values(buttons)) b.face(model.playing); };
  const showValues = () => {
    for (const [name, menu] of Object.entries(menus)) {
      const value = model.values[name];
      if (value !== undefined && menu.select.value !== value) menu.select.value = value;
    }
  };
  const showDisabled = () => {
    for (const [name, menu] of Object.entries(menus)) {
      const why = model.disabled[name];
      const title = why !== undefined ? why : menu.title;
      menu.select.disabled = why !== undefined;
      menu.select.title = menu.help.title = title;
      menu.help.classList.toggle("shown", title !== "");
    }
  };
  const showHidden = () => {
    const hidden = new Set(model.hidden);
    for (const [name, control] of [...Object.entries(buttons), ...Object.entries(menus)]) {
      control.box.hidden = hidden.has(name);
    }
  };
  showNote();
  showAdvanced();
  showPlaying();
  showValues();
  showDisabled();
  showHidden();
  model.on("note", showNote);
  model.on("advanced", showAdvanced);
  model.on("playing", showPlaying);
  model.on("values", showValues);
  model.on("resync", showValues);
  model.on("disabled", showDisabled);
  model.on("hidden", showHidden);
  return bar;
}
