// LiveText: server-made HTML (numbers only) swapped in place. The component has a fixed size, so a new
// epoch or loss repaints a few glyphs and never makes Bokeh re-measure the page's layout.
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
  model.on("html", () => {
    if (!shownThisFrame) return show(model.html);
    queue.push(model.html);
    if (queue.length > QUEUE_LENGTH) queue.shift();
  });
  return box;
}
