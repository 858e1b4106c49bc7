// One choice out of a few, as a row of buttons (playground/views/inputs.py, ChoiceButtons): a group named by
// its label, each button saying whether it is the chosen one (aria-pressed). A click sets `value`; the server
// may set it back (a value it refuses), and the buttons follow. `disabled`: shown, not pickable.

export function render({ model }) {
  const box = document.createElement("div");
  box.className = "choice-buttons";
  const label = document.createElement("div");
  label.className = "choice-label";
  label.id = "choice-label";
  const group = document.createElement("div");
  group.className = "choice-group";
  group.setAttribute("role", "group");
  group.setAttribute("aria-labelledby", "choice-label");
  box.append(label, group);
  let buttons = [];

  const build = () => {
    label.textContent = model.label;
    buttons = model.options.map(([text, value]) => {
      const button = document.createElement("button");
      button.type = "button";
      button.textContent = text;
      button.addEventListener("click", () => { model.value = value; });
      return [button, value];
    });
    group.replaceChildren(...buttons.map(([button]) => button));
    showValue();
  };
  const showValue = () => {
    for (const [button, value] of buttons) {
      button.setAttribute("aria-pressed", String(value === model.value));
      button.disabled = model.disabled;
    }
  };
  model.on("options", build);
  model.on("disabled", showValue);
  model.on("label", build);
  model.on("value", showValue);
  build();
  return box;
}
