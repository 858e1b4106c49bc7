// DOM helpers shared by the components built from several asset files (network_canvas.js,
// network_controls.js, top_controls.js): each component's module starts with a copy of this file.

const SVG_NS = "http://www.w3.org/2000/svg";

function make(tag, className, parent) {
  const el = document.createElement(tag);
  if (className) el.className = className;
  if (parent) parent.appendChild(el);
  return el;
}

// A 24×24 icon from [path data, filled] pairs; `size` in px, or none to leave the size to the CSS.
function icon(paths, size) {
  const svg = document.createElementNS(SVG_NS, "svg");
  svg.setAttribute("viewBox", "0 0 24 24");
  if (size !== undefined) {
    svg.setAttribute("width", String(size));
    svg.setAttribute("height", String(size));
  }
  svg.setAttribute("aria-hidden", "true");
  for (const [d, filled] of paths) {
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", d);
    if (filled) {
      path.setAttribute("fill", "currentColor");
      path.setAttribute("stroke", "none");
    }
    svg.appendChild(path);
  }
  return svg;
}
