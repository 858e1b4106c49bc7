// The network's header and each hidden layer's controls (playground/views/network_controls.py, LayerControls).
//
// `spec` (sent when the network's shape, an activation or what is hidden changes) says what to show; every
// element is made once and then updated in place (a layer's group is kept while the layer is away), so a
// focused button or an open menu survives an update. Clicks go to the server as actions, in order.
// Text reaches the DOM through textContent and attributes only. make, icon: dom.js.

const PLUS = "M12 5v14M5 12h14";
const MINUS = "M5 12h14";

function iconButton(className, name, path, parent, onClick) {
  const button = make("button", `icon-button ${className}`, parent);
  button.type = "button";
  button.setAttribute("aria-label", name);
  button.title = name;
  button.appendChild(icon([[path, false]]));
  button.addEventListener("click", onClick);
  return button;
}

export function render({ model }) {
  const root = make("div", "network-controls");
  const title = make("div", "features-title", root);
  make("h2", "column-title", title).textContent = "Features";
  make("p", "hint", title).textContent = "Which properties do you want to feed in?";
  const layerButtons = make("div", "layer-buttons", root);
  const send = (action, layer) => model.send_msg(layer === undefined ? {action} : {action, layer});
  const addLayer = iconButton("add-layer", "Add layer", PLUS, layerButtons, () => send("add_layer"));
  const removeLayer = iconButton("remove-layer", "Remove layer", MINUS, layerButtons, () => send("remove_layer"));
  const count = make("div", "layer-count", layerButtons);
  const countNumber = make("span", "layer-count-number", count);
  const countText = document.createTextNode("");
  count.appendChild(countText);
  const groupsBox = make("div", "layer-groups", root);
  const groups = []; // per hidden layer, made when first needed: {el, add, remove, neurons, select}

  function group(k) {
    while (groups.length <= k) {
      const i = groups.length, n = i + 1;
      const el = make("div", `layer-group layer-${n}-controls`);
      const add = iconButton("add-neuron", `Add neuron to layer ${n}`, PLUS, el, () => send("add_neuron", i));
      const remove = iconButton("remove-neuron", `Remove neuron from layer ${n}`, MINUS, el,
                                () => send("remove_neuron", i));
      const neurons = make("div", "neuron-count", el);
      const menu = make("div", `layer-activation layer-${n}-activation`, el);
      const select = make("select", "", menu);
      select.setAttribute("aria-label", `Activation of layer ${n}`);
      select.title = `Activation of layer ${n}`;
      select.addEventListener("change", () => model.send_msg({action: "activation", layer: i, value: select.value}));
      groups.push({el, add, remove, neurons, select, options: ""});
    }
    return groups[k];
  }

  function show() {
    const spec = model.spec;
    if (!spec || !spec.layers) return;
    root.classList.toggle("hide-layers", !spec.show_layers);
    root.classList.toggle("hide-text", !spec.show_hints);
    addLayer.disabled = !spec.can_add;
    removeLayer.disabled = !spec.can_remove;
    countNumber.textContent = String(spec.count);
    countText.data = spec.count_text;
    spec.layers.forEach((layer, k) => {
      const g = group(k);
      g.el.style.left = `${layer.left}px`;
      g.add.disabled = !layer.can_add;
      g.remove.disabled = !layer.can_remove;
      g.neurons.textContent = layer.neurons;
      const options = spec.activations.join("\n");
      if (g.options !== options) {
        g.select.replaceChildren(...spec.activations.map((label) => {
          const option = document.createElement("option");
          option.value = label;
          option.textContent = label;
          return option;
        }));
        g.options = options;
      }
      if (g.select.value !== layer.activation) g.select.value = layer.activation;
      if (g.el.parentNode !== groupsBox) groupsBox.appendChild(g.el);
    });
    groups.slice(spec.layers.length).forEach((g) => g.el.remove());
  }

  show();
  model.on("spec", show);
  return root;
}
