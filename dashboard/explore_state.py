"""The network page's exploration as a value: the focus, its depth and filters, the expanded
and hidden nodes, and the focus history (back and forward); and its form in the URL.

No Streamlit here, so the history and the URL codec are unit-tested. URL parameters are
hostile: every value is checked against the graph's node keys, the known labels and the
depth range, and what does not pass is dropped (and reported), never used.
"""

from __future__ import annotations

from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass, field, replace

FOCUS, DEPTH, LABELS, LIFE_EVENT, EXPAND, HIDE = "focus", "depth", "labels", "le", "expand", "hide"
URL_KEYS = (FOCUS, DEPTH, LABELS, LIFE_EVENT, EXPAND, HIDE)
"""The network page's own URL parameters; others (such as the language) are left alone."""
MIN_DEPTH, MAX_DEPTH = 1, 3
MAX_LISTED = 60
"""At most this many expanded or hidden nodes are taken from a URL."""
HISTORY = 50


@dataclass(frozen=True)
class Exploration:
    """What the strategist built by clicking. `back` and `forward` hold earlier views
    (focus, expanded, hidden), the nearest last."""

    focus: str
    expanded: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    back: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = field(default=())
    forward: tuple[tuple[str, tuple[str, ...], tuple[str, ...]], ...] = field(default=())

    def _here(self) -> tuple[str, tuple[str, ...], tuple[str, ...]]:
        return self.focus, self.expanded, self.hidden

    def refocus(self, node: str) -> Exploration:
        """Centre the view on `node`; the current view goes on the back list."""
        if node == self.focus:
            return self
        return Exploration(node, (), (), (*self.back, self._here())[-HISTORY:], ())

    def go_back(self) -> Exploration:
        if not self.back:
            return self
        focus, expanded, hidden = self.back[-1]
        return Exploration(focus, expanded, hidden, self.back[:-1],
                           (*self.forward, self._here()))

    def go_forward(self) -> Exploration:
        if not self.forward:
            return self
        focus, expanded, hidden = self.forward[-1]
        return Exploration(focus, expanded, hidden, (*self.back, self._here()),
                           self.forward[:-1])

    def toggle_expand(self, node: str) -> Exploration:
        """Show a node's neighbours, or hide the ones its expansion added."""
        if node in self.expanded:
            return replace(self, expanded=tuple(n for n in self.expanded if n != node))
        return replace(self, expanded=(*self.expanded, node),
                       hidden=tuple(n for n in self.hidden if n != node))

    def hide(self, node: str) -> Exploration:
        """Take a node out of the view (not the focus)."""
        if node == self.focus or node in self.hidden:
            return self
        return replace(self, hidden=(*self.hidden, node),
                       expanded=tuple(n for n in self.expanded if n != node))

    def show_all(self) -> Exploration:
        return replace(self, hidden=())


@dataclass(frozen=True)
class UrlView:
    """The view a URL asks for, checked: None/empty where the URL gave nothing usable."""

    focus: str | None = None
    depth: int | None = None
    labels: tuple[str, ...] | None = None
    life_event: str | None = None
    expanded: tuple[str, ...] = ()
    hidden: tuple[str, ...] = ()
    rejected: tuple[tuple[str, str], ...] = ()  # (parameter, value) that were dropped


def _last(values: Sequence[str]) -> str | None:
    return values[-1] if values else None


def from_url(url: Mapping[str, Sequence[str]], nodes: Collection[str],
             labels: Sequence[str], life_events: Collection[str]) -> UrlView:
    """Read the network page's parameters (every value a list, as `st.query_params.get_all`
    gives them) against the graph: `nodes` are the node keys, `labels` the known labels,
    `life_events` the life event ids."""
    rejected: list[tuple[str, str]] = []

    def node(value: str | None, param: str) -> str | None:
        if value is None or value == "":
            return None
        if value in nodes:
            return value
        rejected.append((param, value))
        return None

    focus = node(_last(url.get(FOCUS, ())), FOCUS)
    depth: int | None = None
    raw_depth = _last(url.get(DEPTH, ()))
    if raw_depth not in (None, ""):
        assert raw_depth is not None
        if raw_depth.isascii() and raw_depth.isdigit() and MIN_DEPTH <= int(raw_depth) <= MAX_DEPTH:
            depth = int(raw_depth)
        else:
            rejected.append((DEPTH, raw_depth))
    chosen: tuple[str, ...] | None = None
    if LABELS in url:
        ok = []
        for v in url[LABELS]:
            for part in v.split(","):
                if part in labels:
                    if part not in ok:
                        ok.append(part)
                elif part:
                    rejected.append((LABELS, part))
        chosen = tuple(lb for lb in labels if lb in ok)
    life_event: str | None = None
    raw_le = _last(url.get(LIFE_EVENT, ()))
    if raw_le:
        if raw_le in life_events:
            life_event = raw_le
        else:
            rejected.append((LIFE_EVENT, raw_le))

    def listed(param: str) -> tuple[str, ...]:
        out: list[str] = []
        for v in list(url.get(param, ()))[:MAX_LISTED]:
            k = node(v, param)
            if k is not None and k not in out:
                out.append(k)
        return tuple(out)

    return UrlView(focus, depth, chosen, life_event, listed(EXPAND), listed(HIDE),
                   tuple(rejected))


def to_url(exploration: Exploration, depth: int, labels: Sequence[str],
           life_event: str | None) -> dict[str, list[str]]:
    """The parameters that reproduce a view (lists as repeated parameters)."""
    out: dict[str, list[str]] = {FOCUS: [exploration.focus], DEPTH: [str(depth)],
                                 LABELS: [",".join(labels)]}
    if life_event:
        out[LIFE_EVENT] = [life_event]
    if exploration.expanded:
        out[EXPAND] = list(exploration.expanded)
    if exploration.hidden:
        out[HIDE] = list(exploration.hidden)
    return out
