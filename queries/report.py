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
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import networkx as nx

from graph.errors import InsiktError
from graph.export import content_hash
from graph.model import Label

from .analytics import (
    BURDEN_COLORS,
    BURDEN_DEFINITIONS,
    BURDEN_FORMULA,
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
from .templating import render

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


def build_report(g: nx.MultiDiGraph, seed: int = 42) -> Report:
    """Everything the report shows, computed from `g` through the saved queries and the
    analyses (which are cached)."""
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
        action_gaps=_action_gaps(g, index), burden=burden_ranking(g), provenance=provenance)


# -- Markdown --------------------------------------------------------------------------------

def _md(text: object) -> str:
    """Text from the data, safe in a Markdown table cell (and for renderers that allow HTML)."""
    return html.escape(" ".join(str(text).split())).replace("|", "\\|")


def _md_table(header: list[str], rows: list[list[object]], limit: int = ROW_LIMIT) -> list[str]:
    out = ["| " + " | ".join(_md(h) for h in header) + " |",
           "|" + "|".join("---" for _ in header) + "|"]
    out += ["| " + " | ".join(_md(c) for c in row) + " |" for row in rows[:limit]]
    if len(rows) > limit:
        out.append(f"\n… {len(rows) - limit} more rows / {len(rows) - limit} rader till")
    return out


def _pct(x: float) -> str:
    return f"{100 * x:.1f} %"


def render_markdown(report: Report) -> str:
    """The report as Markdown (Swedish headings with English in parentheses)."""
    r = report
    out = ["# Insiktsgrafen – från insikt till handling (governance report)", "",
           f"Skapad / generated {r.generated} · grafens tillstånd / graph state `{r.fingerprint}`",
           "", " · ".join(f"{_md(lb)}: {n}" for lb, n in r.labels), ""]
    m = r.matrix
    out += ["## Överlapp mellan aktörer (overlap matrix)", "",
            "Antal delade insikter per par; diagonalen är aktörens egna insikter (en konkret "
            "insikt räknas också genom sin generella). / Shared insights per pair; the diagonal "
            "is the agency's own set.", ""]
    if m.truncated:
        out += [f"Visar {len(m.agencies)} av {m.total_agencies} aktörer (de med flest delade). "
                f"/ Showing {len(m.agencies)} of {m.total_agencies} agencies.", ""]
    if m.agencies:
        out += _md_table(["", *m.agencies],
                         [[a, *row] for a, row in zip(m.agencies, m.counts, strict=True)])
    else:
        out.append("Inga aktörer delar någon insikt. / No agencies share an insight.")
    out += ["", "## Mest delade problem (top shared problems)", ""]
    out += _md_table(["insight", "title", "agencies", "life events", "domains"],
                     [[x.insight, x.title, x.agencies, x.life_events, x.domains]
                      for x in r.top_shared])
    out += ["", "Generella insikter / general insights:", ""]
    out += _md_table(["insight", "title", "agencies", "life events", "domains"],
                     [[x.insight, x.title, x.agencies, x.life_events, x.domains]
                      for x in r.general_reach])
    out += ["", "## Föreslagna nätverk (suggested networks)", "",
            f"Louvain-grupper av aktörer som delar problem (modularitet / modularity "
            f"{r.modularity:.3f}). Agendan: principer som bara några av dem tillämpar. / "
            "Agenda: principles only some members apply.", ""]
    for c in r.networks:
        out += [f"### Nätverk {c.number}: {_md(', '.join(c.member_names))}", "",
                "Delade problem / shared problems:", ""]
        out += [f"- {_md(p.title)} (`{p.insight}`, {p.kind}): {p.members} av {len(c.members)}"
                for p in c.shared_problems[:12]] or ["- –"]
        out += ["", "Agenda:", ""]
        out += [f"- **{_md(a.name)}** (`{a.principle}`): tillämpas av / applied by "
                f"{_md(', '.join(a.applied_by))}; inte av / not by "
                f"{_md(', '.join(a.not_applied_by))}" +
                (f"; tar sig an / addresses {_md(', '.join(a.addresses_shared))}"
                 if a.addresses_shared else "") for a in c.agenda[:12]] or ["- –"]
        out.append("")
    out += ["## Principgap (principle gaps)", "",
            "Insikter som ingen princip tar sig an direkt. / Insights no principle addresses.", ""]
    out += _md_table(["insight", "title", "kind", "status", "agencies", "via general insight"],
                     [[x.insight, x.title, x.kind, x.status, x.agencies,
                       ", ".join(x.via_general) or "–"] for x in r.principle_gaps])
    out += ["", "## Handlingsgap (action gaps)", "",
            "Aktören rapporterar insikten, en princip tar sig an den (direkt eller genom dess "
            "generella insikt), men aktören tillämpar ingen av dem. / The agency reports the "
            "insight, a principle addresses it, but the agency applies none of them.", ""]
    out += _md_table(["agency", "kind", "insight", "principles"],
                     [[x.agency, x.agency_kind, x.insight, ", ".join(x.principles)]
                      for x in r.action_gaps])
    out += ["", "## Bördeindex per livshändelse (journey burden)", "", f"`{BURDEN_FORMULA}`", "",
            "Varje cell är poäng = vikt × antal; poängen summerar till index. / Each cell is "
            "points = weight × count; the points add up to the index.", ""]
    names = list(BURDEN_WEIGHTS)
    out += _md_table(["life event", "index", "steps", *names],
                     [[b.name, f"{b.index:g}", b.steps, *burden_cells(b)] for b in r.burden])
    out += [""] + [f"- **{n}**: {_md(BURDEN_DEFINITIONS[n])}" for n in names]
    p = r.provenance
    out += ["", "## Datans ursprung (provenance)", "",
            f"Illustrativa poster / illustrative entries: {p.illustrative} av {p.total} "
            f"({_pct(p.illustrative_share)}).", ""]
    out += _md_table(["dataset", "nodes"], [list(t) for t in p.datasets])
    out += [""]
    out += _md_table(["source kind", "sources"], [list(t) for t in p.sources_by_kind])
    out += [""]
    out += _md_table(["label", "illustrative", "total"], [list(t) for t in p.illustrative_by_label])
    return "\n".join(out) + "\n"


# -- HTML ------------------------------------------------------------------------------------

_COLORS = dict(zip(BURDEN_WEIGHTS, BURDEN_COLORS, strict=True))


def burden_cells(b: JourneyBurden) -> list[str]:
    """The burden terms of one journey as "points = weight×count", in BURDEN_WEIGHTS order."""
    return [f"{c.points:g} = {c.weight:g}×{c.count}" + ("" if c.measured else " (–)")
            for c in (b.component(n) for n in BURDEN_WEIGHTS)]


def _short(text: str, limit: int) -> str:
    return text if len(text) <= limit else text[:limit - 1] + "…"


def bar_chart(items: list[tuple[str, float]], title: str, width: int = 720) -> dict[str, Any]:
    """The layout of a horizontal bar chart (drawn as inline SVG by the template); empty
    when there is nothing to draw."""
    if not items:
        return {}
    bar, gap, left = 18, 6, 260
    top = max(v for _, v in items) or 1
    bars = []
    for i, (label, value) in enumerate(items):
        y = 20 + i * (bar + gap)
        w = (width - left - 60) * value / top
        bars.append({"y": y, "text_y": y + 13, "w": f"{w:.1f}", "value_x": f"{left + w + 4:.1f}",
                     "label": _short(label, 40), "value": f"{value:g}"})
    return {"width": width, "height": len(items) * (bar + gap) + 30, "title": title,
            "bar": bar, "left": left, "label_x": left - 6, "bars": bars}


def burden_chart(burdens: tuple[JourneyBurden, ...], width: int = 720) -> dict[str, Any]:
    """The layout of the burden index as stacked bars, one colour per component, with a
    legend (drawn as inline SVG by the template); empty when there are no journeys."""
    if not burdens:
        return {}
    bar, gap, left = 20, 6, 200
    top = max(b.index for b in burdens) or 1
    scale = (width - left - 60) / top
    rows = []
    for i, b in enumerate(burdens):
        y = 10 + i * (bar + gap)
        x = float(left)
        segments = []
        for c in b.components:
            w = c.points * scale
            if w > 0:
                segments.append({"x": f"{x:.1f}", "w": f"{w:.1f}", "color": _COLORS[c.name],
                                 "name": c.name, "points": f"{c.points:g}"})
            x += w
        rows.append({"y": y, "text_y": y + 14, "name": _short(b.name, 30), "segments": segments,
                     "end_x": f"{x + 4:.1f}", "index": f"{b.index:g}"})
    legend_y = 10 + len(burdens) * (bar + gap) + 10
    legend = [{"x": f"{20 + 140 * i:.0f}", "text_x": f"{20 + 140 * i + 16:.0f}",
               "color": color, "name": name} for i, (name, color) in enumerate(_COLORS.items())]
    return {"width": width, "height": len(burdens) * (bar + gap) + 60, "bar": bar,
            "label_x": left - 6, "rows": rows, "legend": legend, "legend_y": legend_y,
            "legend_text_y": legend_y + 11}


def _heat(value: int, top: int) -> str:
    if value <= 0:
        return "#ffffff"
    t = value / top if top else 0
    r, g, b = (int(255 - t * (255 - c)) for c in (78, 121, 167))
    return f"#{r:02x}{g:02x}{b:02x}"


def _matrix_cells(m: OverlapMatrix) -> dict[str, Any]:
    off = [v for i, row in enumerate(m.counts) for j, v in enumerate(row) if i != j]
    top = max(off, default=1) or 1
    rows = [(a, n, [("#eef2f5" if i == j else _heat(v, top), v or "") for j, v in enumerate(row)])
            for i, (a, n, row) in enumerate(zip(m.agencies, m.names, m.counts, strict=True))]
    return {"head": list(zip(m.agencies, m.names, strict=True)), "rows": rows}


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG; print-friendly), from
    the template queries/templates/report.html.j2 with autoescape."""
    r = report
    names = list(BURDEN_WEIGHTS)
    return render(
        "queries", "report.html.j2", r=r, m=r.matrix, p=r.provenance,
        row_limit=ROW_LIMIT, matrix=_matrix_cells(r.matrix),
        shared_chart=bar_chart([(x.title, x.agencies) for x in r.top_shared],
                               "Aktörer per delat problem / agencies per shared problem"),
        top_shared=[[x.insight, x.title, x.agencies, x.life_events, x.domains]
                    for x in r.top_shared],
        general_reach=[[x.insight, x.title, x.agencies, x.life_events, x.domains]
                       for x in r.general_reach],
        modularity=f"{r.modularity:.3f}",
        principle_gaps=[[x.insight, x.title, x.kind, x.status, x.agencies,
                         ", ".join(x.via_general) or "–"] for x in r.principle_gaps],
        action_gaps=[[x.agency_name, x.agency_kind, x.insight_title, ", ".join(x.principle_names)]
                     for x in r.action_gaps],
        formula=BURDEN_FORMULA, burden_chart_data=burden_chart(r.burden),
        burden_header=["livshändelse / life event", "index", "steg", *names],
        burden_rows=[[b.name, f"{b.index:g}", b.steps, *burden_cells(b)] for b in r.burden],
        burden_definitions=[(n, BURDEN_DEFINITIONS[n]) for n in names],
        burden_numeric=tuple(range(1, 3 + len(names))),
        illustrative_pct=_pct(r.provenance.illustrative_share))


def write_report(g: nx.MultiDiGraph, path: str | Path) -> Path:
    """Build the report and write it as HTML (.html/.htm) or Markdown (.md/.markdown)."""
    out = Path(path)
    suffix = out.suffix.lower()
    if suffix in (".html", ".htm"):
        text = render_html(build_report(g))
    elif suffix in (".md", ".markdown"):
        text = render_markdown(build_report(g))
    else:
        raise InsiktError(f"cannot tell the report format from '{out.name}': name it .html or .md")
    out.parent.mkdir(parents=True, exist_ok=True)
    out.write_text(text, encoding="utf-8")
    return out
