// A labelled slider (playground/views/inputs.py, RangeInput): a native range input, so every browser and
// screen reader knows it (its name is the label, arrows and Home/End move it). The label shows the value;
// the server hears a value once it is let go of (`change`), as the playground's sliders apply it.

export function render({ model }) {
  const box = document.createElement("div");
  box.className = "range-input";
  const label = document.createElement("label");
  const input = document.createElement("input");
  input.type = "range";
  input.id = "range";
  label.htmlFor = "range";
  const name = document.createElement("span");
  const value = document.createElement("span");
  value.className = "range-value";
  label.append(name, document.createTextNode(": "), value);
  box.append(label, input);

  const show = () => {
    name.textContent = model.label;
    Object.assign(input, {min: String(model.start), max: String(model.end), step: String(model.step)});
    input.value = String(model.value);
    value.textContent = `${model.value}${model.unit}`;
    input.setAttribute("aria-valuetext", `${model.value}${model.unit}`);
  };
  input.addEventListener("input", () => { value.textContent = `${input.value}${model.unit}`; });
  input.addEventListener("change", () => {
    const v = Number(input.value);
    if (v !== model.value) model.value = v;
  });
  for (const name of ["label", "value", "start", "end", "step", "unit"]) model.on(name, show);
  show();
  return box;
}
