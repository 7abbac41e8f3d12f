(() => {
const data = JSON.parse(document.getElementById("infralint-logic").textContent);
const verdict = document.getElementById("what-if");
const shapes = Array.from(document.querySelectorAll("figure.diagram g.shape"));
const links = Array.from(document.querySelectorAll("figure.diagram path.link"));
const failed = new Set();
const first = data.first;
const serversOf = new Map();
data.server_shape.forEach((shape, server) => {
  if (!serversOf.has(shape)) serversOf.set(shape, []);
  serversOf.get(shape).push(server);
});
function evaluate() {
  const serves = new Array(data.nodes.length).fill(false);
  const holds = (g) => g.of.filter((t) => serves[t]).length >= g.need;
  const writes = new Array(data.nodes.length).fill(false);
  for (const n of data.order) {
    const node = data.nodes[n];
    if (node.server !== null && failed.has(node.server)) continue;
    const flows = node.groups.length === 0 ? node.alone : node.groups.every(holds);
    const ok = flows && node.conditions.every(holds);
    serves[n] = ok;
    const writable = node.write_groups.length > 0 && node.write_groups.every((g) => g.of.filter((t) => writes[t]).length >= g.need);
    writes[n] = ok && node.write_conditions.every(holds) && (node.primary || writable);
  }
  return {
    serves,
    requests: data.targets.some((t) => serves[t]),
    writes: data.write_targets.some((t) => writes[t]),
    others: data.others.map((o) => o.name + (o.targets.some((t) => (o.writes ? writes : serves)[t]) ? " complete" : " stop")),
  };
}
const baseline = evaluate().serves;
const labels = new Map(
  Array.from(document.querySelectorAll("figure.diagram g.flow-label")).map((g) => [g.dataset.link, g]),
);
function render() {
  const now = evaluate();
  // A server is stopped when its front component (what requests reach) served with
  // every server up and no longer does, for any request class (a copy of it per class);
  // its firewall, agent or code base do not count.
  const state = shapes.map((g, i) => {
    const servers = serversOf.get(i) || [];
    if (servers.length === 0) return "up";
    if (servers.every((s) => failed.has(s))) return "failed";
    const fronts = servers.flatMap((s) => data.front[s]).filter((n) => baseline[n]);
    return fronts.length > 0 && fronts.every((n) => !now.serves[n]) ? "stopped" : "up";
  });
  shapes.forEach((g, i) => {
    g.classList.toggle("failed", state[i] === "failed");
    g.classList.toggle("stopped", state[i] === "stopped");
    if (g.hasAttribute("role")) {
      g.setAttribute("aria-pressed", state[i] === "failed" ? "true" : "false");
      g.setAttribute("aria-label", g.dataset.name + (state[i] === "failed" ? ": failed, press to bring it back" : state[i] === "stopped" ? ": stopped, press to fail it" : ": up, press to fail it"));
    }
  });
  // A flow into or out of a server that is not up carries nothing: it fades, and so does
  // its label once every flow the label speaks for (a trunk's, a bus's) has stopped.
  const off = new Set();
  links.forEach((path) => {
    const ends = [Number(path.dataset.from), Number(path.dataset.to)];
    const stopped = ends.some((i) => state[i] !== "up");
    path.classList.toggle("stopped", stopped);
    if (stopped) off.add(path.parentNode.dataset.link);
  });
  labels.forEach((label) => {
    const spoken = (label.dataset.links || label.dataset.link).split(" ");
    label.classList.toggle("stopped", spoken.every((link) => off.has(link)));
  });
  const names = data.servers.filter((_, s) => failed.has(s));
  if (names.length === 0) {
    verdict.textContent = "Click a server in the diagram to fail it, and again to bring it back. Now: every server is up; " + first.requests + " " + (now.requests ? "complete" : "do not complete") + ", " + first.writes + " " + (now.writes ? "complete." : "do not complete.");
  } else {
    verdict.textContent = "With " + names.join(", ") + " failed: " + (now.requests ? first.requests + " still complete" : "no " + first.request + " completes") + "; " + (now.writes ? first.writes + " still complete." : "no " + first.write + " completes.");
  }
  if (now.others.length > 0) verdict.textContent += " Other outcomes: " + now.others.join("; ") + ".";
  verdict.dataset.requests = now.requests;
  verdict.dataset.writes = now.writes;
}
// Servers are buttons: a click, Enter or Space fails them, and again brings them back.
function toggle(i) {
  const servers = serversOf.get(i);
  const all = servers.every((s) => failed.has(s));
  servers.forEach((s) => (all ? failed.delete(s) : failed.add(s)));
  render();
}
shapes.forEach((g, i) => {
  if (!serversOf.has(i)) return;
  g.classList.add("clickable");
  g.setAttribute("role", "button");
  g.setAttribute("tabindex", "0");
  g.addEventListener("click", () => toggle(i));
  g.addEventListener("keydown", (event) => {
    if (event.key === "Enter" || event.key === " ") {
      event.preventDefault();
      toggle(i);
    }
  });
});
render();
})();