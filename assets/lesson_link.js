// Make a lesson link (playground/views/lesson_link.py): a checkbox per control that can be hidden, the link
// the server writes for the ticked ones (after this page's own address) and a button that copies it.
// Labels and the link reach the DOM as text and attribute values only.

export function render({ model }) {
  const make = (tag, className, parent) => {
    const el = document.createElement(tag);
    if (className) el.className = className;
    if (parent) parent.appendChild(el);
    return el;
  };
  const root = make("section", "lesson-link");
  root.setAttribute("aria-labelledby", "lesson-link-title");
  const title = make("h2", "column-title", root);
  title.id = "lesson-link-title";
  title.textContent = "Make a lesson link";
  make("p", "hint", root).textContent = "For teachers: tick the controls your students should not see, then " +
    "copy the link and share it. It opens this experiment as it is now (and the lesson, if one is open) " +
    "with those controls hidden. Ticking changes nothing on this page.";
  const set = make("fieldset", "", root);
  make("legend", "", set).textContent = "Hide these controls";
  const grid = make("div", "hide-choices", set);
  const boxes = {};
  const send = () => model.send_msg({hide: Object.keys(boxes).filter((name) => boxes[name].checked)});
  for (const [name, label] of model.controls) {
    const row = make("label", `hide-${name}`, grid);
    const box = make("input", "", row);
    box.type = "checkbox";
    box.value = name;
    box.setAttribute("aria-label", `Hide ${label}`); // not the same name as the control it hides
    box.addEventListener("change", send);
    row.appendChild(document.createTextNode(label));
    boxes[name] = box;
  }
  const line = make("div", "link-row", root);
  const linkLabel = make("label", "", line);
  linkLabel.textContent = "Link";
  linkLabel.htmlFor = "lesson-link-text";
  const field = make("input", "lesson-link-text", line);
  field.id = "lesson-link-text";
  field.readOnly = true;
  const copy = make("button", "copy-lesson-link", line);
  copy.type = "button";
  copy.textContent = "Copy link";
  const status = make("span", "copy-status", line);
  status.setAttribute("role", "status");
  status.setAttribute("aria-live", "polite");

  const address = () => `${location.origin}${location.pathname}${location.search}#${model.link}`;
  const showLink = () => { field.value = address(); status.textContent = ""; };
  const showHidden = () => {
    const hidden = new Set(model.hidden);
    for (const [name, box] of Object.entries(boxes)) box.checked = hidden.has(name);
  };
  const copied = (ok) => {
    status.textContent = ok ? "Copied." : "Select the link and copy it (Ctrl+C).";
    root.dataset.copied = ok ? "yes" : "no";
  };
  copy.addEventListener("click", () => {
    showLink();
    field.focus();
    field.select();
    let done = false;
    try { done = document.execCommand("copy"); } catch (error) { done = false; }
    if (done) { copied(true); return; }
    // not every browser copies a selection on request; the clipboard API needs a secure page (https, localhost)
    if (navigator.clipboard) navigator.clipboard.writeText(field.value).then(() => copied(true), () => copied(false));
    else copied(false);
  });
  showHidden();
  showLink();
  model.on("hidden", showHidden);
  model.on("link", showLink);
  return root;
}
