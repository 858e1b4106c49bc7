// The open lesson's text (playground/views/lesson_panel.py, LessonText): its first lines, and a "Read more"
// button (aria-expanded) that shows the rest, so the text never pushes the network and the output off a
// small screen. Where everything fits (a tall window) the button is not shown. `html` is made by the
// server from the lesson's Markdown with raw HTML escaped.

export function render({ model }) {
  const box = document.createElement("div");
  box.className = "lesson-text-box";
  const body = document.createElement("div");
  body.className = "lesson-body";
  body.id = "lesson-body";
  const more = document.createElement("button");
  more.type = "button";
  more.className = "lesson-more";
  more.setAttribute("aria-controls", "lesson-body");
  box.append(body, more);

  // the button is there only when the text is longer than what shows (measured whenever the box's size
  // changes: shown, hidden, a narrower window)
  const measure = () => { more.hidden = !model.expanded && body.scrollHeight <= body.clientHeight + 1; };
  const showExpanded = () => {
    body.classList.toggle("expanded", model.expanded);
    more.textContent = model.expanded ? "Show less" : "Read more";
    more.setAttribute("aria-expanded", String(model.expanded));
    measure();
  };
  const showText = () => { body.innerHTML = model.html; showExpanded(); };
  more.addEventListener("click", () => { model.expanded = !model.expanded; });
  const watcher = new ResizeObserver(measure);
  watcher.observe(body);
  model.on("remove", () => watcher.disconnect());
  model.on("html", showText);
  model.on("expanded", showExpanded);
  showText();
  return box;
}
