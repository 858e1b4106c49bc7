// What the page says when it loses its connection to the server (the server stopped, a machine behind the
// school's balancer failed, the network dropped): training on this page has stopped, and a reload starts it
// again, on another machine if this one is gone. Bokeh's own notice ("Client connection was lost ...") and
// its reconnection are turned off for served pages (playground/app.py): a server that stopped has lost the
// page's network for good, and reconnecting elsewhere would show a page that no longer trains.
// Loaded ahead of network_canvas.js, which calls watchConnection once per page; make: dom.js.

const CONNECTION_LOST = "The connection to the playground's server was lost, so this page has stopped " +
  "training. The server may have been stopped, or the network dropped.";
const CONNECTION_LOST_NEXT = "Reload the page to start again: your settings are kept in the address, and " +
  "training starts over from the beginning.";
const watchedDocuments = new WeakSet();

function showConnectionLost() {
  if (document.querySelector(".connection-lost")) return;
  const box = make("div", "connection-lost");
  box.setAttribute("role", "alert");
  Object.assign(box.style, {position: "fixed", top: "0", left: "0", right: "0", zIndex: "1000",
    display: "flex", flexWrap: "wrap", alignItems: "center", justifyContent: "center", gap: "8px 16px",
    padding: "12px 16px", background: "#b00020", color: "#ffffff", fontSize: "16px", lineHeight: "1.4",
    boxShadow: "0 2px 8px rgba(0, 0, 0, 0.3)"});
  const words = make("p", "connection-lost-text", box);
  words.style.margin = "0";
  words.textContent = `${CONNECTION_LOST} ${CONNECTION_LOST_NEXT}`;
  const reload = make("button", "connection-lost-reload", box);
  reload.type = "button";
  reload.textContent = "Reload the page";
  Object.assign(reload.style, {font: "inherit", padding: "6px 14px", border: "2px solid #ffffff",
    borderRadius: "4px", background: "#ffffff", color: "#b00020", cursor: "pointer"});
  reload.addEventListener("click", () => window.location.reload());
  document.body.prepend(box);
  reload.focus();
}

function watchConnection(model) {
  const doc = model.document;
  if (!doc || watchedDocuments.has(doc) || typeof doc.on_event !== "function") return;
  watchedDocuments.add(doc);
  doc.on_event("connection_lost", showConnectionLost);
}
