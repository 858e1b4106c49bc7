// The input features' toggles left of the network (playground/views/network_controls.py, FeatureToggles).
//
// `features`: [name, label, on, top] per feature. Each toggle is a real button (aria-pressed says whether
// its feature is fed in), made once and updated in place; a click asks the server to flip that feature.
// Labels reach the DOM through textContent only.

export function render({ model }) {
  const root = document.createElement("div");
  root.className = "feature-toggles";
  const buttons = new Map(); // feature name -> its button

  function show() {
    for (const [name, label, on, top] of model.features) {
      let button = buttons.get(name);
      if (!button) {
        button = document.createElement("button");
        button.type = "button";
        button.className = `feature-toggle feature-${name}`;
        button.addEventListener("click", () => model.send_msg({action: "toggle_feature", feature: name}));
        root.appendChild(button);
        buttons.set(name, button);
      }
      button.textContent = label;
      button.style.top = `${top}px`;
      button.setAttribute("aria-pressed", on ? "true" : "false");
    }
  }

  show();
  model.on("features", show);
  return root;
}
