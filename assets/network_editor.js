// The weight and bias editor of the network picture (playground/views/network_canvas.py): a number input with
// Apply and Cancel, opened beside a link or a bias. Enter applies, Escape cancels; either way the keyboard
// goes back to the picture (`onClose`). Joined ahead of network_canvas.js in one module; make: dom.js,
// escapeHtml: network_keys.js.

// `onApply(item, value)` for a value applied, `onClose()` once it is closed by the user
function weightEditor(parent, onApply, onClose) {
  const editor = make("div", "weight-editor", parent);
  editor.setAttribute("role", "group");
  const label = make("span", "editor-label", editor);
  const input = make("input", "", make("div", "edit-value", editor));
  Object.assign(input, {type: "number", step: "0.1"});
  const apply = make("button", "", make("div", "edit-apply", editor));
  apply.textContent = "Apply";
  const cancel = make("button", "", make("div", "edit-cancel", editor));
  cancel.textContent = "Cancel";
  let item = null; // {kind: "link" | "bias", index} while open

  // open on `target` whose value is `value` and name `name`, at (left, top) in the picture
  function open(target, value, name, left, top) {
    const what = target.kind === "link" ? "weight" : "bias";
    item = target;
    label.innerHTML = `<b>${what === "weight" ? "Weight" : "Bias"}</b> ${escapeHtml(name)}`;
    editor.setAttribute("aria-label", `Change the ${what} ${name}`);
    input.setAttribute("aria-label", `New ${what}`);
    input.value = Number.isFinite(value) ? String(Math.round(value * 1e4) / 1e4) : "0";
    Object.assign(editor.style, {left: `${left}px`, top: `${top}px`, display: "flex"});
    input.focus();
    input.select();
  }
  function close(byUser) {
    const was = item;
    item = null;
    editor.style.display = "none";
    if (was && byUser) onClose();
  }
  function applyValue() {
    const value = parseFloat(input.value);
    if (item && Number.isFinite(value)) onApply(item, value);
    close(true);
  }
  apply.addEventListener("click", applyValue);
  cancel.addEventListener("click", () => close(true));
  editor.addEventListener("keydown", (event) => {
    if (event.key === "Escape") { event.preventDefault(); close(true); }
    else if (event.key === "Enter" && event.target === input) { event.preventDefault(); applyValue(); }
  });
  return {open, close, isOpen: () => item !== null};
}
