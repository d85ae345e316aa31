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

import networkx as nx

from graph.errors import InsiktError
from graph.model import Label

from .analytics import (
    BURDEN_COLORS,
    BURDEN_DEFINITIONS,
    BURDEN_FORMULA,
    BURDEN_WEIGHTS,
    Community,
    InsightReach,
    JourneyBurden,
    communities,
    fingerprint,
    graph_index,
    reach,
    shared_counts,
)
from .analytics import burden as burden_ranking

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
    fingerprint: str
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


def build_report(g: nx.MultiDiGraph, seed: int = 42) -> Report:
    """Everything the report shows, computed from `g` (the analyses are cached)."""
    fp = fingerprint(g)
    index = graph_index(g, fp)
    shared = shared_counts(g, fp)
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
    matrix = OverlapMatrix(tuple(chosen), tuple(index.name(Label.AGENCY, a) for a in chosen),
                           tuple(rows), len(totals))
    ranked = reach(g)
    top_shared = tuple(r for r in ranked if r.kind == "specific" and r.agencies >= 2)[:TOP_SHARED]
    general_reach = tuple(r for r in ranked if r.kind == "general")
    comm = communities(g, seed)
    insights = index.props.get("Insight", {})
    gaps = []
    for i, attrs in sorted(insights.items()):
        if attrs.get("status") == "superseded" or index.addressed_by.get(i):
            continue
        via = sorted({p for gen in index.generals.get(i, ()) for p in index.addressed_by.get(gen, ())})
        gaps.append(PrincipleGap(i, index.name(Label.INSIGHT, i), str(attrs.get("kind", "")),
                                 str(attrs.get("status", "active")),
                                 len(index.reporters.get(i, ())), tuple(via)))
    gaps.sort(key=lambda x: (x.kind != "specific", -x.agencies, x.insight))
    action = []
    agency_props = index.props.get("Agency", {})
    for agency, reported in index.reports.items():
        applied = set(index.applies.get(agency, {}))
        for i in sorted(reported):
            if insights.get(i, {}).get("status") == "superseded":
                continue
            principles = set(index.addressed_by.get(i, ()))
            for gen in index.generals.get(i, ()):
                principles |= index.addressed_by.get(gen, frozenset())
            if principles and not principles & applied:
                ordered = tuple(sorted(principles))
                action.append(ActionGap(
                    agency, index.name(Label.AGENCY, agency),
                    str(agency_props.get(agency, {}).get("kind") or "statlig"), i,
                    index.name(Label.INSIGHT, i), ordered,
                    tuple(index.name(Label.PRINCIPLE, p) for p in ordered)))
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
    provenance = Provenance(
        datasets=tuple(sorted(datasets.items())),
        sources_by_kind=tuple(sorted(kinds.items(), key=lambda t: (-t[1], t[0]))),
        illustrative_by_label=tuple((lb, illustrative[lb], n) for lb, n in sorted(labels.items())),
        illustrative=sum(illustrative.values()), total=g.number_of_nodes())
    return Report(
        generated=datetime.now(UTC).replace(microsecond=0).isoformat().replace("+00:00", "Z"),
        fingerprint=fp, labels=tuple(sorted(labels.items())), matrix=matrix,
        top_shared=top_shared, general_reach=general_reach,
        networks=tuple(c for c in comm.communities if len(c.members) > 1),
        modularity=comm.modularity, principle_gaps=tuple(gaps), action_gaps=tuple(action),
        burden=burden_ranking(g), provenance=provenance)


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

_CSS = """
body{font-family:system-ui,-apple-system,"Segoe UI",Roboto,sans-serif;margin:2rem auto;
max-width:72rem;padding:0 1rem;color:#1d2329;line-height:1.45}
h1{font-size:1.7rem;margin-bottom:.2rem}h2{margin-top:2.2rem;border-bottom:2px solid #d5dbe1;
padding-bottom:.2rem}h3{margin-bottom:.3rem}.meta{color:#5b6670;font-size:.9rem}
table{border-collapse:collapse;margin:.6rem 0;font-size:.88rem}
th,td{border:1px solid #d5dbe1;padding:.25rem .45rem;text-align:left;vertical-align:top}
th{background:#eef2f5}td.n{text-align:right;font-variant-numeric:tabular-nums}
.matrix td{text-align:center;min-width:1.6rem}.matrix th.r{white-space:nowrap}
.network{border:1px solid #d5dbe1;border-radius:6px;padding:.6rem 1rem;margin:.8rem 0}
.tag{display:inline-block;background:#eef2f5;border-radius:3px;padding:0 .3rem;margin:0 .2rem .2rem 0}
code{font-size:.85em}svg{max-width:100%;height:auto}
@media print{body{margin:0;max-width:none;font-size:10pt}h2{break-after:avoid}
.network,table,svg{break-inside:avoid}a{color:inherit;text-decoration:none}}
"""
_COLORS = dict(zip(BURDEN_WEIGHTS, BURDEN_COLORS, strict=True))


def burden_cells(b: JourneyBurden) -> list[str]:
    """The burden terms of one journey as "points = weight×count", in BURDEN_WEIGHTS order."""
    return [f"{c.points:g} = {c.weight:g}×{c.count}" + ("" if c.measured else " (–)")
            for c in (b.component(n) for n in BURDEN_WEIGHTS)]


def _e(text: object) -> str:
    return html.escape(str(text), quote=True)


def _table(header: list[str], rows: list[list[object]], numeric: set[int] | None = None,
           limit: int = ROW_LIMIT, cls: str = "") -> str:
    numeric = numeric or set()
    head = "".join(f"<th>{_e(h)}</th>" for h in header)
    body = []
    for row in rows[:limit]:
        cells = "".join(f'<td class="n">{_e(c)}</td>' if i in numeric else f"<td>{_e(c)}</td>"
                        for i, c in enumerate(row))
        body.append(f"<tr>{cells}</tr>")
    more = (f"<p class='meta'>… {len(rows) - limit} rader till / more rows</p>"
            if len(rows) > limit else "")
    klass = f' class="{cls}"' if cls else ""
    return f"<table{klass}><thead><tr>{head}</tr></thead><tbody>{''.join(body)}</tbody></table>{more}"


def svg_bars(items: list[tuple[str, float]], title: str, width: int = 720) -> str:
    """A horizontal bar chart as inline SVG (labels escaped)."""
    if not items:
        return ""
    bar, gap, left = 18, 6, 260
    height = len(items) * (bar + gap) + 30
    top = max(v for _, v in items) or 1
    parts = [f'<svg viewBox="0 0 {width} {height}" '
             f'role="img" aria-label="{_e(title)}"><title>{_e(title)}</title>']
    for i, (label, value) in enumerate(items):
        y = 20 + i * (bar + gap)
        w = (width - left - 60) * value / top
        short = label if len(label) <= 40 else label[:39] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 13}" text-anchor="end" font-size="12">'
                     f"{_e(short)}</text>"
                     f'<rect x="{left}" y="{y}" width="{w:.1f}" height="{bar}" fill="#4e79a7"/>'
                     f'<text x="{left + w + 4:.1f}" y="{y + 13}" font-size="12">{value:g}</text>')
    parts.append("</svg>")
    return "".join(parts)


def svg_burden(burdens: tuple[JourneyBurden, ...], width: int = 720) -> str:
    """The burden index as stacked bars, one colour per component, with a legend."""
    if not burdens:
        return ""
    bar, gap, left = 20, 6, 200
    height = len(burdens) * (bar + gap) + 60
    top = max(b.index for b in burdens) or 1
    scale = (width - left - 60) / top
    parts = [f'<svg viewBox="0 0 {width} {height}" '
             'role="img" aria-label="Journey burden index"><title>Bördeindex / journey burden'
             "</title>"]
    for i, b in enumerate(burdens):
        y = 10 + i * (bar + gap)
        x = float(left)
        name = b.name if len(b.name) <= 30 else b.name[:29] + "…"
        parts.append(f'<text x="{left - 6}" y="{y + 14}" text-anchor="end" font-size="12">'
                     f"{_e(name)}</text>")
        for c in b.components:
            w = c.points * scale
            if w > 0:
                parts.append(f'<rect x="{x:.1f}" y="{y}" width="{w:.1f}" height="{bar}" '
                             f'fill="{_COLORS[c.name]}"><title>{_e(c.name)}: {c.points:g}'
                             "</title></rect>")
            x += w
        parts.append(f'<text x="{x + 4:.1f}" y="{y + 14}" font-size="12">{b.index:g}</text>')
    y = 10 + len(burdens) * (bar + gap) + 10
    x = 20.0
    for name, color in _COLORS.items():
        parts.append(f'<rect x="{x:.0f}" y="{y}" width="12" height="12" fill="{color}"/>'
                     f'<text x="{x + 16:.0f}" y="{y + 11}" font-size="11">{_e(name)}</text>')
        x += 140
    parts.append("</svg>")
    return "".join(parts)


def _heat(value: int, top: int) -> str:
    if value <= 0:
        return "#ffffff"
    t = value / top if top else 0
    r, g, b = (int(255 - t * (255 - c)) for c in (78, 121, 167))
    return f"#{r:02x}{g:02x}{b:02x}"


def render_html(report: Report) -> str:
    """The report as one self-contained HTML page (inline CSS and SVG; print-friendly)."""
    r = report
    m = r.matrix
    sec: list[str] = []
    sec.append("<h2>Överlapp mellan aktörer <small>(overlap matrix)</small></h2>"
               "<p>Antal delade insikter per par; diagonalen är aktörens egna insikter (en "
               "konkret insikt räknas också genom sin generella). <i>Shared insights per pair; "
               "the diagonal is the agency's own insight set.</i></p>")
    if m.truncated:
        sec.append(f"<p class='meta'>Visar {len(m.agencies)} av {m.total_agencies} aktörer "
                   f"(de med flest delade insikter). / Showing {len(m.agencies)} of "
                   f"{m.total_agencies}.</p>")
    if m.agencies:
        off = [v for i, row in enumerate(m.counts) for j, v in enumerate(row) if i != j]
        top = max(off, default=1) or 1
        head = "".join(f'<th title="{_e(n)}">{_e(a)}</th>' for a, n in zip(m.agencies, m.names,
                                                                            strict=True))
        body = []
        for i, (a, n, row) in enumerate(zip(m.agencies, m.names, m.counts, strict=True)):
            cells = "".join(
                f'<td style="background:{"#eef2f5" if i == j else _heat(v, top)}">{v or ""}</td>'
                for j, v in enumerate(row))
            body.append(f'<tr><th class="r" title="{_e(n)}">{_e(a)}</th>{cells}</tr>')
        sec.append(f'<table class="matrix"><thead><tr><th></th>{head}</tr></thead>'
                   f"<tbody>{''.join(body)}</tbody></table>")
    else:
        sec.append("<p>Inga aktörer delar någon insikt. / No agencies share an insight.</p>")
    sec.append("<h2>Mest delade problem <small>(top shared problems)</small></h2>")
    sec.append(svg_bars([(x.title, x.agencies) for x in r.top_shared],
                        "Aktörer per delat problem / agencies per shared problem"))
    sec.append(_table(["insikt / insight", "titel / title", "aktörer", "livshändelser",
                       "domäner"],
                      [[x.insight, x.title, x.agencies, x.life_events, x.domains]
                       for x in r.top_shared], {2, 3, 4}))
    sec.append("<h3>Generella insikter <small>(general insights)</small></h3>")
    sec.append(_table(["insikt / insight", "titel / title", "aktörer", "livshändelser",
                       "domäner"],
                      [[x.insight, x.title, x.agencies, x.life_events, x.domains]
                       for x in r.general_reach], {2, 3, 4}))
    sec.append("<h2>Föreslagna nätverk <small>(suggested networks)</small></h2>"
               f"<p>Grupper av aktörer som delar problem (Louvain, modularitet {r.modularity:.3f})."
               " Agendan är de principer som bara några av dem tillämpar. <i>Groups of agencies "
               "that share problems; the agenda is the principles only some of them apply."
               "</i></p>")
    for c in r.networks:
        members = "".join(f'<span class="tag">{_e(n)}</span>' for n in c.member_names)
        problems = "".join(f"<li>{_e(p.title)} <code>{_e(p.insight)}</code> – {p.members} av "
                           f"{len(c.members)}</li>" for p in c.shared_problems[:12])
        agenda = "".join(
            f"<li><b>{_e(a.name)}</b>: tillämpas av / applied by {_e(', '.join(a.applied_by))};"
            f" inte av / not by {_e(', '.join(a.not_applied_by))}"
            + (f"; tar sig an / addresses {_e(', '.join(a.addresses_shared))}"
               if a.addresses_shared else "") + "</li>" for a in c.agenda[:12])
        sec.append(f'<div class="network"><h3>Nätverk {c.number}</h3><p>{members}</p>'
                   f"<p><b>Delade problem / shared problems</b></p><ul>{problems or '<li>–</li>'}"
                   f"</ul><p><b>Agenda</b></p><ul>{agenda or '<li>–</li>'}</ul></div>")
    sec.append("<h2>Principgap <small>(principle gaps)</small></h2><p>Insikter som ingen "
               "princip tar sig an direkt. <i>Insights no principle addresses.</i></p>")
    sec.append(_table(["insikt / insight", "titel / title", "typ", "status", "aktörer",
                       "via generell insikt"],
                      [[x.insight, x.title, x.kind, x.status, x.agencies,
                        ", ".join(x.via_general) or "–"] for x in r.principle_gaps], {4}))
    sec.append("<h2>Handlingsgap <small>(action gaps)</small></h2><p>Aktören rapporterar "
               "insikten och en princip tar sig an den (direkt eller genom dess generella "
               "insikt), men aktören tillämpar ingen av dem. <i>The agency reports the insight, "
               "a principle addresses it, but the agency applies none of them.</i></p>")
    sec.append(_table(["aktör / agency", "typ", "insikt / insight", "principer / principles"],
                      [[x.agency_name, x.agency_kind, x.insight_title,
                        ", ".join(x.principle_names)] for x in r.action_gaps]))
    names = list(BURDEN_WEIGHTS)
    sec.append("<h2>Bördeindex per livshändelse <small>(journey burden)</small></h2>"
               f"<p><code>{_e(BURDEN_FORMULA)}</code></p>")
    sec.append(svg_burden(r.burden))
    sec.append(_table(["livshändelse / life event", "index", "steg", *names],
                      [[b.name, f"{b.index:g}", b.steps, *burden_cells(b)]
                       for b in r.burden], set(range(1, 3 + len(names)))))
    sec.append("<p>Varje cell är poäng = vikt × antal; poängen summerar till index. <i>Each "
               "cell is points = weight × count; the points add up to the index.</i></p><ul>" +
               "".join(f"<li><b>{_e(n)}</b>: {_e(BURDEN_DEFINITIONS[n])}</li>" for n in names) +
               "</ul>")
    if r.burden:
        links = "".join(f"<li><b>{_e(c.name)}</b> → {_e(c.insight_title)} " +
                        (f"<code>{_e(c.insight)}</code>" if c.insight_in_graph
                         else "(saknas i grafen / not in the graph)") + "</li>"
                        for c in r.burden[0].components)
        sec.append(f"<p>Varje komponent belägger en generell insikt / each component evidences "
                   f"a general insight:</p><ul>{links}</ul>")
    p = r.provenance
    sec.append("<h2>Datans ursprung <small>(provenance)</small></h2>"
               f"<p>Illustrativa poster / illustrative entries: {p.illustrative} av {p.total} "
               f"({_e(_pct(p.illustrative_share))}).</p>")
    sec.append(_table(["dataset", "noder / nodes"], [list(t) for t in p.datasets], {1}))
    sec.append(_table(["källtyp / source kind", "källor / sources"],
                      [list(t) for t in p.sources_by_kind], {1}))
    sec.append(_table(["typ / label", "illustrativa", "totalt"],
                      [list(t) for t in p.illustrative_by_label], {1, 2}))
    counts = " · ".join(f"{_e(lb)}: {n}" for lb, n in r.labels)
    return ("<!DOCTYPE html>\n<html lang=\"sv\"><head><meta charset=\"utf-8\">"
            "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">"
            "<title>Insiktsgrafen – styrningsrapport</title>"
            f"<style>{_CSS}</style></head><body>"
            "<h1>Insiktsgrafen – från insikt till handling</h1>"
            f"<p class=\"meta\">Styrningsrapport / governance report · skapad / generated "
            f"{_e(r.generated)} · grafens tillstånd / graph state <code>{_e(r.fingerprint)}"
            f"</code></p><p class=\"meta\">{counts}</p>"
            + "\n".join(sec) + "</body></html>\n")


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
