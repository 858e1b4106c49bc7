// LiveText: server-made HTML (numbers only) swapped in place, from `html` or a message {html} (sent once
// this view has said it listens: playground/views/live_component.py). The component has a fixed size, so a
// new epoch or loss repaints a few glyphs and never makes Bokeh re-measure the page's layout.
//
// Frames reach the page unevenly (two within one screen refresh, then none in the next), so at most one
// change is shown per animation frame: a change shows at once unless one already showed in this frame; then
// it waits in a short queue, and the numbers move as evenly as the screen refreshes. The queue is short (a
// later change pushes the oldest out), so what shows is never more than a few refreshes old.
const QUEUE_LENGTH = 4; // = FramePacing.frames_ahead: as many changes as frames can be on their way

export function render({ model, el }) {
  const box = document.createElement("div");
  box.className = "live-text";
  box.innerHTML = model.html;
  const queue = [];
  let shownThisFrame = false;
  const show = (html) => {
    box.innerHTML = html;
    shownThisFrame = true;
    requestAnimationFrame(nextFrame);
  };
  const nextFrame = () => {
    shownThisFrame = false;
    if (queue.length) show(queue.shift());
  };
  const update = (html) => {
    if (!shownThisFrame) return show(html);
    queue.push(html);
    if (queue.length > QUEUE_LENGTH) queue.shift();
  };
  model.on("html", () => update(model.html)); // before the view listened (the first document), or a reset
  model.on("msg:custom", (msg) => { if (msg && typeof msg.html === "string") update(msg.html); });
  model.send_msg({listening: true}); // from now on the server sends each new text as a message
  return box;
}
