// The top bar's buttons, menus and engine note (playground/views/top_controls.py says what is sent and why).
// Made once, then updated in place; text reaches the DOM through textContent and attributes only.

// make, icon: dom.js

function makeButton(spec, parent, send) {
  const box = make("div", `control-button ${spec.css}`, parent);
  const edge = (56 - spec.size) / 2; // every button centred on the play button's row
  box.style.margin = `${edge + 4}px 4px ${edge + 8}px`;
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
  if (spec.gap) make("div", "menu-gap", parent);
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

export function render({ model }) {
  const bar = make("div", "top-bar-box");
  const root = make("div", "top-bar", bar);
  const send = (msg) => model.send_msg(msg);
  const buttons = {};
  for (const spec of model.buttons) buttons[spec.name] = makeButton(spec, root, send);
  const epoch = model.get_child("epoch");
  if (epoch) root.appendChild(epoch);
  const menus = {};
  for (const spec of model.menus) menus[spec.name] = makeMenu(spec, root, send);
  if (model.note.length) {
    const note = make("div", "engine-note engine-note-text", bar);
    for (const [bold, text] of model.note) {
      make("b", "", note).textContent = bold;
      note.appendChild(document.createTextNode(text));
    }
  }

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
  showPlaying();
  showValues();
  showDisabled();
  showHidden();
  model.on("playing", showPlaying);
  model.on("values", showValues);
  model.on("resync", showValues);
  model.on("disabled", showDisabled);
  model.on("hidden", showHidden);
  return bar;
}
