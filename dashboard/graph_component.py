"""The click-to-explore component: our vis-network page (dashboard.network_html) in a
sandboxed frame, with its clicks brought back into Python through a Streamlit components v2
component (inline JavaScript, no build step, nothing from a CDN).

The page runs in an `<iframe sandbox="allow-scripts" srcdoc=…>`: an opaque origin that can
reach neither the app's DOM nor its cookies, so data text never touches the app page. The
page posts what the user did (`select`, `refocus`, `positions`); the component accepts a
message only from its own frame, only for a node of the view it drew, and hands it to Python
as a trigger value (select, refocus) or a state value (positions). While the drawn view's
signature stays the same (a rerun after a click, or after new positions), the frame is kept,
so the view neither reloads nor moves.
"""

from __future__ import annotations

import math
from collections.abc import Callable, Mapping, Sequence
from typing import Any

import streamlit as st

COMPONENT = "insikt_network"

_JS = r"""
export default function (component) {
  const { data, parentElement, setTriggerValue, setStateValue } = component;
  let box = parentElement.querySelector("div.insikt-net");
  if (!box) {
    box = document.createElement("div");
    box.className = "insikt-net";
    parentElement.appendChild(box);
  }
  const known = new Set(Array.isArray(data.nodes) ? data.nodes.map(String) : []);
  box.insikt = { known, setTriggerValue, setStateValue };
  box.setAttribute("data-placed", String(Number(data.placed) || 0));
  let frame = box.querySelector("iframe");
  if (!frame || box.getAttribute("data-signature") !== String(data.signature)) {
    if (frame) { frame.remove(); }
    frame = document.createElement("iframe");
    frame.setAttribute("sandbox", "allow-scripts");
    frame.setAttribute("title", String(data.title || "network"));
    frame.style.width = "100%";
    frame.style.border = "0";
    frame.style.height = String(Number(data.height) || 600) + "px";
    frame.srcdoc = String(data.html || "");
    box.appendChild(frame);
    box.setAttribute("data-signature", String(data.signature));
  }
  const onMessage = (event) => {
    const f = box.querySelector("iframe");
    if (!f || event.source !== f.contentWindow) { return; }
    const m = event.data;
    if (!m || typeof m !== "object") { return; }
    const ctx = box.insikt;
    if ((m.insikt === "select" || m.insikt === "refocus") && typeof m.node === "string"
        && ctx.known.has(m.node)) {
      ctx.setTriggerValue(m.insikt, m.node);
    } else if (m.insikt === "positions" && m.positions && typeof m.positions === "object") {
      const out = {};
      for (const k of Object.keys(m.positions)) {
        const p = m.positions[k];
        if (ctx.known.has(k) && Array.isArray(p) && p.length === 2
            && Number.isFinite(p[0]) && Number.isFinite(p[1])) {
          out[k] = [p[0], p[1]];
        }
      }
      ctx.setStateValue("positions", { signature: String(data.signature), at: out });
    }
  };
  if (!box.insiktListening) {
    window.addEventListener("message", (e) => box.insiktHandler && box.insiktHandler(e));
    box.insiktListening = true;
  }
  box.insiktHandler = onMessage;
}
"""

_CSS = "div.insikt-net { width: 100%; }"

_network = st.components.v2.component(COMPONENT, js=_JS, css=_CSS)

Positions = dict[str, tuple[float, float]]


def clean_positions(value: Any, known: Sequence[str], limit: float = 1e6) -> Positions:
    """Positions the browser sent, kept only for nodes of the view and finite, bounded
    numbers (the frame's messages are checked in JavaScript too; this is the Python side)."""
    if not isinstance(value, Mapping):
        return {}
    at = value.get("at")
    if not isinstance(at, Mapping):
        return {}
    keep = set(known)
    out: Positions = {}
    for k, p in at.items():
        if (k in keep and isinstance(p, list | tuple) and len(p) == 2
                and all(isinstance(c, int | float) and not isinstance(c, bool)
                        and math.isfinite(c) and abs(c) <= limit for c in p)):
            out[str(k)] = (float(p[0]), float(p[1]))
    return out


def network(page: str, *, signature: str, nodes: Sequence[str], key: str, height: int,
            title: str, placed: int = 0, on_select: Callable[[], None] | None = None,
            on_refocus: Callable[[], None] | None = None,
            on_positions: Callable[[], None] | None = None) -> Any:
    """Mount the component for one view; the callbacks run before the next rerun and read
    the values from `st.session_state[key]` (select, refocus, positions). `placed`, how many
    nodes start from a kept layout, is shown on the component (`data-placed`) for tests."""
    noop: Callable[[], None] = lambda: None  # noqa: E731
    return _network(
        key=key, data={"html": page, "signature": signature, "nodes": list(nodes),
                       "height": height, "title": title, "placed": placed},
        height=height + 8, on_select_change=on_select or noop,
        on_refocus_change=on_refocus or noop, on_positions_change=on_positions or noop)
