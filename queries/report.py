"""The governance report: from insight to action, on one page.

`build_report(g)` gathers, from the shared networkx form: which agencies share problems (the
overlap matrix), the most shared problems, the suggested networks with their agendas, the
problems no principle addresses (principle gaps), the agencies that report a problem some
principle addresses but apply none of those principles (action gaps), the journey burden
ranking and where the data comes from. `render_markdown` and `render_html` turn it into a
document; the HTML is self-contained (inline CSS and SVG, no scripts, fonts or images from
elsewhere), escapes every text that comes from the data, and prints cleanly.
"""

from __future__ import annotations

import html
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import InsiktError
from graph.export import content_hash
from graph.model import Label
from graph.walk import names_by_label

from .analytics import (
    BURDEN_COLORS,
    BURDEN_WEIGHTS,
    Community,
    GraphIndex,
    InsightReach,
    JourneyBurden,
    communities,
    fingerprint,
    graph_index,
    reach,
    shared_counts,
)
from .analytics import burden as burden_ranking
from .catalog import run_on_graph
from .report_texts import TEXTS
from .templating import render
from .texts import fixed, number, percent

MATRIX_LIMIT = 30
TOP_SHARED = 10
ROW_LIMIT = 200


@dataclass(frozen=True)
class OverlapMatrix:
    """Shared-insight counts between agencies that share at least one insight. The diagonal
    is the size of the agency's own insight set. Only the `MATRIX_LIMIT` agencies with most
    shared insights in total are shown when there are more (`total_agencies` says how many)."""

    agencies: tuple[str, ...]
    names: tuple[str, ...]
    counts: tuple[tuple[int, ...], ...]
    total_agencies: int

    @property
    def truncated(self) -> bool:
        return self.total_agencies > len(self.agencies)


@dataclass(frozen=True)
class PrincipleGap:
    insight: str
    title: str
    kind: str
    status: str
    agencies: int  # agencies that report it
    via_general: tuple[str, ...]  # principles that address one of its general insights


@dataclass(frozen=True)
class ActionGap:
    agency: str
    agency_name: str
    agency_kind: str
    insight: str
    insight_title: str
    principles: tuple[str, ...]  # the principles addressing it (directly or via a general)
    principle_names: tuple[str, ...]


@dataclass(frozen=True)
class Provenance:
    datasets: tuple[tuple[str, int], ...]  # dataset id, nodes it defines
    sources_by_kind: tuple[tuple[str, int], ...]
    illustrative_by_label: tuple[tuple[str, int, int], ...]  # label, illustrative, total
    illustrative: int
    total: int

    @property
    def illustrative_share(self) -> float:
        return self.illustrative / self.total if self.total else 0.0


@dataclass(frozen=True)
class Report:
    generated: str
    fingerprint: str  # sha256 of the graph content (graph.export.content_hash): same graph, same value
    labels: tuple[tuple[str, int], ...]
    matrix: OverlapMatrix
    top_shared: tuple[InsightReach, ...]  # specific insights reported by ≥ 2 agencies
    general_reach: tuple[InsightReach, ...]
    networks: tuple[Community, ...]  # communities of two or more agencies
    modularity: float
    principle_gaps: tuple[PrincipleGap, ...]
    action_gaps: tuple[ActionGap, ...]
    burden: tuple[JourneyBurden, ...]
    provenance: Provenance
    lang: str = "sv"
    names: Mapping[str, Mapping[str, str]] = field(default_factory=dict)
    """label → id → name in the report's language (ids of nodes the report mentions)."""

    def name(self, label: Label | str, node_id: str) -> str:
        """A node's name in the report's language (its id only when it has no name)."""
        return self.names.get(str(label), {}).get(node_id, node_id)

    def text(self, key: str, **values: Any) -> str:
        """One of the report's words (queries.report_texts) in its language."""
        words = TEXTS.get(self.lang, TEXTS["sv"])[key]
        return words.format(**values) if values else words


def _overlap_matrix(index: GraphIndex, shared: dict[tuple[str, str], int]) -> OverlapMatrix:
    totals: Counter[str] = Counter()
    for (a, b), n in shared.items():
        totals[a] += n
        totals[b] += n
    chosen = sorted(sorted(totals), key=lambda x: -totals[x])[:MATRIX_LIMIT]
    chosen.sort()
    rows = []
    for a in chosen:
        row = []
        for b in chosen:
            if a == b:
                row.append(len(index.agency_sets.get(a, ())))
            else:
                row.append(shared.get((min(a, b), max(a, b)), 0))
        rows.append(tuple(row))
    return OverlapMatrix(tuple(chosen), tuple(index.name(Label.AGENCY, a) for a in chosen),
                         tuple(rows), len(totals))


def _principle_gaps(g: nx.MultiDiGraph, index: GraphIndex) -> tuple[PrincipleGap, ...]:
    """The `principle-coverage` gaps, with what the report adds: reporters and the principles
    that address a general insight of the gap. Specific first, most reported first."""
    insights = index.props.get("Insight", {})
    gaps = []
    for found in run_on_graph(g, "principle-coverage", {"gaps_only": True}).rows:
        i = found["insight"]
        attrs = insights[i]
        via = sorted({p for gen in index.generals.get(i, ()) for p in index.addressed_by.get(gen, ())})
        gaps.append(PrincipleGap(i, index.name(Label.INSIGHT, i), str(attrs.get("kind", "")),
                                 str(attrs.get("status", "active")),
                                 len(index.reporters.get(i, ())), tuple(via)))
    gaps.sort(key=lambda x: (x.kind != "specific", -x.agencies, x.insight))
    return tuple(gaps)


def _action_gaps(g: nx.MultiDiGraph, index: GraphIndex) -> tuple[ActionGap, ...]:
    """The `action-gap` rows, with the agency's kind and every name (in the query's order)."""
    agency_props = index.props.get("Agency", {})
    action = []
    for found in run_on_graph(g, "action-gap").rows:
        agency, i, ordered = found["agency"], found["insight"], tuple(found["principles"])
        action.append(ActionGap(
            agency, index.name(Label.AGENCY, agency),
            str(agency_props.get(agency, {}).get("kind") or "statlig"), i,
            index.name(Label.INSIGHT, i), ordered,
            tuple(index.name(Label.PRINCIPLE, p) for p in ordered)))
    return tuple(action)


def _provenance(g: nx.MultiDiGraph) -> tuple[Counter[str], Provenance]:
    """Nodes per label, and where the data comes from."""
    labels: Counter[str] = Counter()
    datasets: Counter[str] = Counter()
    kinds: Counter[str] = Counter()
    illustrative: Counter[str] = Counter()
    for _, a in g.nodes(data=True):
        labels[a["label"]] += 1
        datasets.update(a.get("datasets", ()))
        if a["label"] == Label.SOURCE:
            kinds[str(a.get("kind", "?"))] += 1
        if a.get("illustrative"):
            illustrative[a["label"]] += 1
    return labels, Provenance(
        datasets=tuple(sorted(datasets.items())),
        sources_by_kind=tuple(sorted(kinds.items(), key=lambda t: (-t[1], t[0]))),
        illustrative_by_label=tuple((lb, illustrative[lb], n) for lb, n in sorted(labels.items())),
        illustrative=sum(illustrative.values()), total=g.number_of_nodes())


def build_report(g: nx.MultiDiGraph, seed: int = 42, lang: str = "sv") -> Report:
    """Everything the report shows, computed from `g` through the saved queries and the
    analyses (which are cached), with names and words in `lang` ("sv" or "en")."""
    if lang not in TEXTS:
        raise InsiktError(f"the report speaks {' and '.join(TEXTS)}, not {lang!r}",
                          kind="report_lang", lang=lang)
    fp = fingerprint(g)
    index = graph_index(g, fp)
    ranked = reach(g)
    comm = communities(g, seed)
    labels, provenance = _provenance(g)
    return Report(
        generated=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        fingerprint=content_hash(g), labels=tuple(sorted(labels.items())),
        matrix=_overlap_matrix(index, shared_counts(g, fp)),
        top_shared=tuple(r for r in ranked if r.kind == "specific" and r.agencies >= 2)[:TOP_SHARED],
        general_reach=tuple(r for r in ranked if r.kind == "general"),
        networks=tuple(c for c in comm.communities if len(c.members) > 1),
        modularity=comm.modularity, principle_gaps=_principle_gaps(g, index),
        action_gaps=_action_gaps(g, index), burden=burden_ranking(g), provenance=provenance,
        lang=lang, names=names_by_label(g, lang))


# -- shared by both formats ---------------------------------------------------------------

def _names(r: Report, label: Label, ids: Any) -> str:
    return ", ".join(r.name(label, i) for i in ids)


def _kind(r: Report, value: str) -> str:
    return r.text(f"kind.{value}") if value in ("general", "specific") else value


def _status(r: Report, value: str) -> str:
    key = f"status.{value}"
    return r.text(key) if key in TEXTS[r.lang] else value


def burden_cells(b: JourneyBurden, lang: str = "sv") -> list[str]:
    """The burden terms of one journey as "points = weight×count", in BURDEN_WEIGHTS order."""
    return [f"{number(c.points, lang)} = {number(c.weight, lang)}×{c.count}"
            + ("" if c.measured else " (–)")
            for c in (b.component(n) for n in BURDEN_WEIGHTS)]


def _formula(r: Report) -> str:
    return "B = " + " + ".join(f"{number(w, r.lang)}·{r.text(f'term.{n}')}"
                               for n, w in BURDEN_WEIGHTS.items())


def _sections(r: Report) -> dict[str, Any]:
    """The rows of every table, with names in the report's language (both formats use them)."""
    m = r.matrix

    def reach_row(x: InsightReach) -> list[Any]:
        return [r.name(Label.INSIGHT, x.insight), x.agencies, x.life_events, x.domains]

    # the matrix in the order of the names in the report's language
    names = [r.name(Label.AGENCY, a) for a in m.agencies]
    order = sorted(range(len(names)), key=lambda i: (names[i].casefold(), m.agencies[i]))
    return {
        "matrix_names": [names[i] for i in order],
        "matrix_counts": [[m.counts[i][j] for j in order] for i in order],
        "reach_header": [r.text(k) for k in ("col.insight", "col.agencies", "col.life_events",
                                              "col.domains")],
        "top_shared": [reach_row(x) for x in r.top_shared],
        "general_reach": [reach_row(x) for x in r.general_reach],
        "gaps_header": [r.text(k) for k in ("col.insight", "col.kind", "col.status",
                                             "col.agencies", "col.via_general")],
        "principle_gaps": [[r.name(Label.INSIGHT, x.insight), _kind(r, x.kind),
                            _status(r, x.status), x.agencies,
                            _names(r, Label.PRINCIPLE, x.via_general) or r.text("none")]
                           for x in r.principle_gaps],
        "action_header": [r.text(k) for k in ("col.agency", "col.agency_kind", "col.insight",
                                               "col.principles")],
        "action_gaps": [[r.name(Label.AGENCY, x.agency), x.agency_kind,
                         r.name(Label.INSIGHT, x.insight), _names(r, Label.PRINCIPLE,
                                                                  x.principles)]
                        for x in r.action_gaps],
        "burden_header": [r.text("col.life_event"), r.text("col.index"), r.text("col.steps"),
                          *(r.text(f"term.{n}") for n in BURDEN_WEIGHTS)],
        "burden_rows": [[r.name(Label.LIFE_EVENT, b.life_event), number(b.index, r.lang),
                         b.steps, *burden_cells(b, r.lang)] for b in r.burden],
        "definitions": [(r.text(f"term.{n}"), r.text(f"def.{n}")) for n in BURDEN_WEIGHTS],
        "labels": [(r.text(f"label.{lb}") if f"label.{lb}" in TEXTS[r.lang] else lb, n)
                   for lb, n in r.labels],
        "datasets_header": [r.text("col.dataset"), r.text("col.nodes")],
        "sources_header": [r.text("col.source_kind"), r.text("col.sources")],
        "illustrative_header": [r.text("col.label"), r.text("col.illustrative"),
                                r.text("col.total")],
        "illustrative_rows": [[r.text(f"label.{lb}") if f"label.{lb}" in TEXTS[r.lang] else lb,
                               a, n] for lb, a, n in r.provenance.illustrative_by_label],
        "networks": [{
            "title": r.text("network", n=c.number),
            "members": sorted((r.name(Label.AGENCY, a) for a in c.members), key=str.casefold),
            "shared": [(r.name(Label.INSIGHT, p.insight), _kind(r, p.kind),
                        r.text("network.of", n=p.members, total=len(c.members)))
                       for p in c.shared_problems[:12]],
            "agenda": [(r.name(Label.PRINCIPLE, a.principle),
                        "; ".join([r.text("agenda.applied_by",
                                          names=_names(r, Label.AGENCY, a.applied_by)),
                                   r.text("agenda.not_by",
                                          names=_names(r, Label.AGENCY, a.not_applied_by)),
                                   *([r.text("agenda.addresses",
                                             names=_names(r, Label.INSIGHT,
                                                          a.addresses_shared))]
                                     if a.addresses_shared else [])]))
                       for a in c.agenda[:12]],
        } for c in r.networks],
        "evidence": ([(r.text(f"term.{c.name}"),
                       r.name(Label.INSIGHT, c.insight) if c.insight_in_graph else c.insight_title,
                       c.insight_in_graph) for c in r.burden[0].components] if r.burden else []),
        "illustrative": r.text("provenance.illustrative", n=r.provenance.illustrative,
                               total=r.provenance.total,
                               share=percent(r.provenance.illustrative_share, r.lang)),
        "modularity": fixed(r.modularity, r.lang, 3),
    }


# -- Markdown --------------------------------------------------------------------------------

def _md(text: object) -> str:
    """Text from the data, safe in a Markdown table cell (and for renderers that allow HTML)."""
    return html.escape(" ".join(str(text).split())).replace("|", "\\|")


def _md_table(header: list[str], rows: list[list[object]], more: str = "",
              limit: int = ROW_LIMIT) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows[:limit]]
    if len(rows) > limit:
        out.append("\n" + more.format(n=len(rows) - limit))
    return out


def _pct(x: float, lang: str = "sv") -> str:
    return percent(x, lang)


def render_markdown(report: Report) -> str:
    """The report as Markdown, in the report's language, with names, not ids."""
    r = report
    x = _sections(r)
    more = TEXTS[r.lang]["more_rows"]
    out = [f"# {r.text('title')}", "",
           f"{r.text('subtitle', generated=r.generated)} `{r.fingerprint}`", "",
           " · ".join(f"{_md(lb)}: {n}" for lb, n in x["labels"]), ""]
    m = r.matrix
    out += [f"## {r.text('h.matrix')}", "", r.text("matrix.help"), ""]
    if m.truncated:
        out += [r.text("matrix.truncated", shown=len(m.agencies), total=m.total_agencies), ""]
    if m.agencies:
        numbered = [f"{i}. {n}" for i, n in enumerate(x["matrix_names"], start=1)]
        out += _md_table(["", *(str(i) for i in range(1, len(m.agencies) + 1))],
                         [[a, *row] for a, row in zip(numbered, x["matrix_counts"], strict=True)],
                         more)
    else:
        out.append(r.text("matrix.none"))
    out += ["", f"## {r.text('h.shared')}", ""]
    out += _md_table(x["reach_header"], x["top_shared"], more)
    out += ["", f"### {r.text('h.general')}", ""]
    out += _md_table(x["reach_header"], x["general_reach"], more)
    out += ["", f"## {r.text('h.networks')}", "",
            r.text("networks.help", modularity=x["modularity"]), ""]
    for c in x["networks"]:
        out += [f"### {_md(c['title'])}: {_md(', '.join(c['members']))}", "",
                f"{r.text('network.shared')}:", ""]
        out += [f"- {_md(title)} ({kind}): {share}" for title, kind, share in c["shared"]] or [
            "- –"]
        out += ["", f"{r.text('network.agenda')}:", ""]
        out += [f"- **{_md(name)}**: {_md(what)}" for name, what in c["agenda"]] or ["- –"]
        out.append("")
    out += [f"## {r.text('h.gaps')}", "", r.text("gaps.help"), ""]
    out += _md_table(x["gaps_header"], x["principle_gaps"], more)
    out += ["", f"## {r.text('h.action')}", "", r.text("action.help"), ""]
    out += _md_table(x["action_header"], x["action_gaps"], more)
    out += ["", f"## {r.text('h.burden')}", "", f"`{_formula(r)}`", "", r.text("burden.help"),
            ""]
    out += _md_table(x["burden_header"], x["burden_rows"], more)
    out += [""] + [f"- **{_md(n)}**: {_md(d)}" for n, d in x["definitions"]]
    out += ["", f"## {r.text('h.provenance')}", "", x["illustrative"], ""]
    out += _md_table(x["datasets_header"], [list(t) for t in r.provenance.datasets], more)
    out += [""]
    out += _md_table(x["sources_header"], [list(t) for t in r.provenance.sources_by_kind], more)
    out += [""]
    out += _md_table(x["illustrative_header"], x["illustrative_rows"], more)
    return "\n".join(out) + "\n"


# -- HTML ------------------------------------------------------------------------------------

_COLORS = dict(zip(BURDEN_WEIGHTS, BURDEN_COLORS, strict=True))
CHAR_WIDTH = 7.2
"""Roughly how wide one character of the charts' 12 px system font is, in px: labels get the
room their longest line needs (wrapped, not clipped)."""
LABEL_LINE = 34
"""Characters per line of a chart label; a longer label wraps onto a second line."""


def wrap_label(text: str, width: int = LABEL_LINE, lines: int = 2) -> list[str]:
    """A chart label on at most `lines` lines of about `width` characters, broken between
    words; only a label longer than that is shortened, with an ellipsis on its last line."""
    words, out, line = text.split(), [], ""
    for w in words:
        if line and len(line) + 1 + len(w) > width:
            out.append(line)
            line = w
        else:
            line = f"{line} {w}".strip()
    out.append(line)
    if len(out) > lines:
        last = " ".join(out[lines - 1:])
        out = [*out[:lines - 1], last[:width - 1].rstrip() + "…"]
    return out


def _label_room(labels: list[list[str]]) -> int:
    longest = max((len(line) for lines in labels for line in lines), default=10)
    return int(longest * CHAR_WIDTH) + 14


def bar_chart(items: list[tuple[str, float]], title: str, width: int = 720,
              lang: str = "sv") -> dict[str, Any]:
    """The layout of a horizontal bar chart (drawn as inline SVG by the template); empty
    when there is nothing to draw. Labels wrap onto two lines and get the room they need."""
    if not items:
        return {}
    labels = [wrap_label(label) for label, _ in items]
    left = _label_room(labels)
    bar, gap = 28, 8
    top = max(v for _, v in items) or 1
    bars = []
    for i, ((_, value), lines) in enumerate(zip(items, labels, strict=True)):
        y = 10 + i * (bar + gap)
        w = (width - left - 40) * value / top
        first = y + bar / 2 + 4 - (7 if len(lines) > 1 else 0)
        bars.append({"y": y, "text_y": f"{y + bar / 2 + 4:.0f}", "w": f"{w:.1f}",
                     "value_x": f"{left + w + 4:.1f}",
                     "lines": [(f"{first + 14 * k:.0f}", line) for k, line in enumerate(lines)],
                     "value": number(value, lang)})
    return {"width": width, "height": len(items) * (bar + gap) + 20, "title": title,
            "bar": bar, "left": left, "label_x": left - 6, "bars": bars}


def burden_chart(burdens: tuple[JourneyBurden, ...], width: int = 720, lang: str = "sv",
                 names: list[str] | None = None, terms: list[str] | None = None,
                 title: str = "") -> dict[str, Any]:
    """The layout of the burden index as stacked bars, one colour per term, with a legend
    (drawn as inline SVG by the template); empty when there are no journeys."""
    if not burdens:
        return {}
    labels = [wrap_label(n) for n in (names or [b.name for b in burdens])]
    left = _label_room(labels)
    bar, gap = 28, 8
    top = max(b.index for b in burdens) or 1
    scale = (width - left - 40) / top
    term_names = dict(zip(BURDEN_WEIGHTS, terms or list(BURDEN_WEIGHTS), strict=True))
    rows = []
    for i, (b, lines) in enumerate(zip(burdens, labels, strict=True)):
        y = 10 + i * (bar + gap)
        x = float(left)
        segments = []
        for c in b.components:
            w = c.points * scale
            if w > 0:
                segments.append({"x": f"{x:.1f}", "w": f"{w:.1f}", "color": _COLORS[c.name],
                                 "name": term_names[c.name], "points": number(c.points, lang)})
            x += w
        first = y + bar / 2 + 4 - (7 if len(lines) > 1 else 0)
        rows.append({"y": y, "text_y": f"{y + bar / 2 + 4:.0f}", "segments": segments,
                     "lines": [(f"{first + 14 * k:.0f}", line) for k, line in enumerate(lines)],
                     "end_x": f"{x + 4:.1f}", "index": number(b.index, lang)})
    legend_y = 10 + len(burdens) * (bar + gap) + 6
    per_row = 3
    legend = [{"x": f"{10 + 235 * (i % per_row):.0f}", "text_x": f"{26 + 235 * (i % per_row):.0f}",
               "y": legend_y + 18 * (i // per_row), "text_y": legend_y + 18 * (i // per_row) + 11,
               "color": color, "name": term_names[name]}
              for i, (name, color) in enumerate(_COLORS.items())]
    rows_of_legend = (len(legend) + per_row - 1) // per_row
    return {"width": width, "height": legend_y + 18 * rows_of_legend + 10, "bar": bar,
            "label_x": left - 6, "rows": rows, "legend": legend, "title": title}


def _heat(value: int, top: int) -> str:
    if value <= 0:
        return "#ffffff"
    t = value / top if top else 0
    r, g, b = (int(255 - t * (255 - c)) for c in (78, 121, 167))
    return f"#{r:02x}{g:02x}{b:02x}"


def _matrix_cells(counts: list[list[int]], names: list[str]) -> dict[str, Any]:
    """The matrix with numbered columns: row i is "i. name", column i is headed "i" (with
    the name as its tooltip), so that 30 agencies fit the page's width."""
    off = [v for i, row in enumerate(counts) for j, v in enumerate(row) if i != j]
    top = max(off, default=1) or 1
    rows = [(i, n, [("#eef2f5" if i == j else _heat(v, top), v or "")
                    for j, v in enumerate(row)])
            for i, (n, row) in enumerate(zip(names, counts, strict=True))]
    return {"head": list(enumerate(names)), "rows": rows}


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG; print-friendly), from
    the template queries/templates/report.html.j2 with autoescape, in the report's language."""
    r = report
    x = _sections(r)
    return render(
        "queries", "report.html.j2", r=r, m=r.matrix, p=r.provenance, x=x, tx=TEXTS[r.lang],
        row_limit=ROW_LIMIT, matrix=_matrix_cells(x["matrix_counts"], x["matrix_names"]),
        shared_chart=bar_chart([(row[0], row[1]) for row in x["top_shared"]],
                               r.text("chart.shared"), lang=r.lang),
        formula=_formula(r),
        burden_chart_data=burden_chart(
            r.burden, lang=r.lang, names=[row[0] for row in x["burden_rows"]],
            terms=[r.text(f"term.{n}") for n in BURDEN_WEIGHTS], title=r.text("chart.burden")),
        burden_numeric=tuple(range(1, 3 + len(BURDEN_WEIGHTS))))


def write_report(g: nx.MultiDiGraph, path: str | Path, lang: str = "sv") -> Path:
    """Build the report in `lang` and write it as HTML (.html/.htm) or Markdown
    (.md/.markdown)."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix in (".html", ".htm"):
        text = render_html(build_report(g, lang=lang))
    elif suffix in (".md", ".markdown"):
        text = render_markdown(build_report(g, lang=lang))
    else:
        raise InsiktError(f"cannot tell the report format from '{out.name}': name it .html or .md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
