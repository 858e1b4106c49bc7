// The network picture's tooltip, and the same words for screen readers (playground/views/network_canvas.py).
// The tooltip is about one item (a link, a bias, an input, or the keyboard's neuron) and follows its live
// value (`refresh` after every frame drawn); what it says is said in a polite live region once per item
// reached, never per frame: a screen reader would never stop talking. Joined ahead of network_canvas.js in
// one module; make: dom.js.

// `htmlOf(item, how)`: the tooltip's HTML ("click" or "Enter" says how to edit); `wordsOf(item)`: what is said
function networkTips(root, htmlOf, wordsOf) {
  const tooltip = make("div", "network-tooltip", root);
  const spoken = make("div", "visually-hidden", root);
  spoken.setAttribute("aria-live", "polite");
  spoken.setAttribute("role", "status");
  let item = null, at = null, said = "";

  const hide = () => { tooltip.style.display = "none"; item = null; };
  // the tooltip about `next` at (x, y), or none; `mouse`: placed by the pointer (else by the keyboard)
  function show(next, x, y, mouse) {
    item = next;
    at = {x, y, mouse};
    const html = next ? htmlOf(next, mouse ? "click" : "Enter") : "";
    if (!html) { hide(); return; }
    if (tooltip.innerHTML !== html) tooltip.innerHTML = html;
    tooltip.style.left = `${x + 12}px`;
    tooltip.style.top = `${y + 14}px`;
    tooltip.style.display = "block";
  }
  function say(next) {
    const text = next ? wordsOf(next) : "";
    if (text && text !== said) spoken.textContent = text;
    said = text;
  }
  return {
    show, hide, say,
    refresh: () => { if (item && item.kind !== "input") show(item, at.x, at.y, at.mouse); },
    forget: () => { said = ""; }, // the next item reached is said even if it is the last one again
    shown: () => item !== null,
  };
}
