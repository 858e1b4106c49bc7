// A labelled checkbox (playground/views/inputs.py, CheckInput): a native checkbox inside its <label>, so its
// name is its text and Space toggles it.

export function render({ model }) {
  const label = document.createElement("label");
  label.className = "check-input";
  const input = document.createElement("input");
  input.type = "checkbox";
  const text = document.createElement("span");
  label.append(input, text);
  const show = () => { input.checked = model.value; text.textContent = model.label; };
  input.addEventListener("change", () => { model.value = input.checked; });
  model.on("value", show);
  model.on("label", show);
  show();
  return label;
}
