"""The insight card: one printable page per insight with its statement, evidence, reporters,
principles and journey steps, as HTML (Jinja2 with autoescape, inline print CSS, nothing
fetched from elsewhere) and as Markdown. `insikt card ID` and the dashboard's card page
render it.

The card reads a networkx snapshot of the graph (`store.to_networkx()`, on either backend, as
the governance report does) through the saved queries `evidence` and `journey`
(`run_on_graph`), so it says what the catalog says.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

import networkx as nx

from graph.errors import NotFound, close_matches
from graph.model import Label, node_key
from graph.walk import display_name, in_rels, localized, node_id, nodes_of, out_rels

from .catalog import run_on_graph
from .templating import render

CARD_FORMATS = ("html", "md")

HEADINGS: dict[str, dict[str, str]] = {
    "sv": {"card": "Insiktskort", "kind.general": "generell insikt",
           "kind.specific": "specifik insikt", "status": "status", "statement": "Påstående",
           "no_statement": "Insikten har inget påstående.", "generals": "Generell insikt",
           "instances": "Specifika exempel", "life_events": "Livshändelser",
           "reporters": "Vem rapporterar den", "no_reporters": "Ingen aktör rapporterar den.",
           "year": "år", "cites": "källa", "evidence": "Belägg", "no_sources": "Inga källor.",
           "principles": "Principer som tar sig an den", "via": "genom",
           "no_principles": "Ingen princip tar sig an den.", "adopted": "tillämpas av",
           "planned": "planeras av", "journeys": "Steg i kundresorna",
           "no_journeys": "Insiktens livshändelser har ingen kundresa.",
           "reports_it": "aktören rapporterar insikten", "datasets": "Dataset",
           "generated": "Skapat", "via_instances": "Genom specifika exempel",
           "status.active": "aktiv", "status.proposed": "föreslagen",
           "status.disputed": "omstridd", "status.superseded": "ersatt"},
    "en": {"card": "Insight card", "kind.general": "general insight",
           "kind.specific": "specific insight", "status": "status", "statement": "Statement",
           "no_statement": "The insight has no statement.", "generals": "General insight",
           "instances": "Specific examples", "life_events": "Life events",
           "reporters": "Who reports it", "no_reporters": "No actor reports it.",
           "year": "year", "cites": "source", "evidence": "Evidence", "no_sources": "No sources.",
           "principles": "Principles that address it", "via": "through",
           "no_principles": "No principle addresses it.", "adopted": "applied by",
           "planned": "planned by", "journeys": "Steps of the journeys",
           "no_journeys": "The insight's life events have no journey.",
           "reports_it": "the actor reports the insight", "datasets": "Datasets",
           "generated": "Generated", "via_instances": "Through specific examples",
           "status.active": "active", "status.proposed": "proposed",
           "status.disputed": "disputed", "status.superseded": "superseded"},
}
"""The card's own words, in Swedish and English (the data brings its own names)."""


@dataclass(frozen=True)
class Reporter:
    agency: str
    name: str
    year: str
    source: str  # the title of the source the report cites ('' when none)


@dataclass(frozen=True)
class SourceRef:
    id: str
    title: str
    url: str  # an http(s) URL, else ''


@dataclass(frozen=True)
class PrincipleRef:
    id: str
    name: str
    via: str  # the general insight's title when the principle addresses that, else ''
    adopted_by: list[str]
    planned_by: list[str]


@dataclass(frozen=True)
class Step:
    order: int
    action: str
    agency: str
    reports_it: bool  # the step's actor reports the insight


@dataclass(frozen=True)
class Journey:
    life_event: str
    steps: list[Step]


@dataclass(frozen=True)
class InsightCard:
    """Everything on one card, in one language, as display text."""

    id: str
    lang: str
    title: str
    kind: str
    status: str
    statement: str
    generals: list[str] = field(default_factory=list)
    instances: list[str] = field(default_factory=list)
    life_events: list[str] = field(default_factory=list)
    reporters: list[Reporter] = field(default_factory=list)
    instance_reporters: list[Reporter] = field(default_factory=list)
    """Of a general insight: who reports one of its specific instances (`source` holds the
    instance's title)."""
    sources: list[SourceRef] = field(default_factory=list)
    principles: list[PrincipleRef] = field(default_factory=list)
    journeys: list[Journey] = field(default_factory=list)
    datasets: list[str] = field(default_factory=list)  # "title (version)"
    generated: str = ""

    @property
    def words(self) -> dict[str, str]:
        return HEADINGS[self.lang]


def _safe_url(url: Any) -> str:
    """Only http(s) URLs become links (never javascript:, data: or file:)."""
    text = str(url or "").strip()
    return text if urlsplit(text).scheme in ("http", "https") else ""


def insight_key(g: nx.MultiDiGraph, insight: str) -> str:
    """The node key of an insight id, or NotFound with the closest ids ("did you mean")."""
    key = node_key(Label.INSIGHT, insight)
    if key in g:
        return key
    known = [str(a["id"]) for _, a in nodes_of(g, Label.INSIGHT)]
    close = close_matches(insight, known)
    hint = (f"did you mean {' or '.join(close)}?" if close else
            "`insikt query search -p q=… -p label=Insight` finds ids by name")
    raise NotFound(f"no insight with id '{insight}'; {hint}")


def build_card(g: nx.MultiDiGraph, insight: str, lang: str = "sv",
               generated: str | None = None) -> InsightCard:
    """The card of one insight in `lang` ("sv" or "en")."""
    if lang not in HEADINGS:
        raise ValueError(f"lang must be one of {', '.join(HEADINGS)}, not {lang!r}")
    key = insight_key(g, insight)
    attrs = g.nodes[key]

    def name(k: str) -> str:
        return display_name(g.nodes[k], lang)

    evidence = run_on_graph(g, "evidence", {"insight": insight}).rows
    titles = {r["id"]: str(r["name"] or r["id"]) for r in evidence
              if r["kind"] in ("source", "principle_source")}
    sources = [SourceRef(r["id"], str(r["name"] or r["id"]), _safe_url(r["detail"]))
               for r in evidence if r["kind"] == "source"]
    reporters = sorted(
        (Reporter(r["id"], name(node_key(Label.AGENCY, r["id"])), str(r["detail"] or ""),
                  titles.get(r["source"], r["source"] or "")) for r in evidence
         if r["kind"] == "reported_by"), key=lambda x: (x.year or "9999", x.name.casefold()))
    principles = []
    for r in evidence:
        if r["kind"] != "principle":
            continue
        pr = node_key(Label.PRINCIPLE, r["id"])
        applied = [(a, d.get("status") or "adopted") for a, d in in_rels(g, pr, "APPLIES")]
        principles.append(PrincipleRef(
            r["id"], name(pr), name(node_key(Label.INSIGHT, r["via"])) if r["via"] else "",
            sorted((name(a) for a, s in applied if s == "adopted"), key=str.casefold),
            sorted((name(a) for a, s in applied if s == "planned"), key=str.casefold)))
    reporter_ids = {r.agency for r in reporters}
    events = sorted(out_rels(g, key, "ARISES_IN"), key=lambda t: name(t[0]).casefold())
    journeys = []
    for le, _ in events:
        steps = run_on_graph(g, "journey", {"life_event": node_id(g, le)}).rows
        if steps:
            journeys.append(Journey(name(le), [Step(
                int(s["step_order"]),
                str(s["action_en"] if lang == "en" and s["action_en"] else s["action"]),
                name(node_key(Label.AGENCY, s["agency"])), s["agency"] in reporter_ids)
                for s in steps]))
    datasets = [f"{r['name']} ({r['detail']})" if r["detail"] else str(r["name"])
                for r in evidence if r["kind"] == "dataset"]
    instance_reporters = sorted(
        (Reporter(node_id(g, a), name(a), "" if d.get("year") is None else str(d["year"]),
                  name(x))
         for x, _ in in_rels(g, key, "INSTANCE_OF") for a, d in in_rels(g, x, "REPORTS")),
        key=lambda r: (r.name.casefold(), r.year, r.source.casefold()))
    kind = str(attrs.get("kind") or "")
    status = str(attrs.get("status") or "active")
    return InsightCard(
        id=insight, lang=lang, title=name(key),
        kind=HEADINGS[lang].get(f"kind.{kind}", kind),
        status=HEADINGS[lang].get(f"status.{status}", status),
        statement=localized(attrs, "statement", lang),
        generals=[name(x) for x, _ in out_rels(g, key, "INSTANCE_OF")],
        instances=sorted((name(x) for x, _ in in_rels(g, key, "INSTANCE_OF")), key=str.casefold),
        life_events=[name(le) for le, _ in events], reporters=reporters,
        instance_reporters=instance_reporters, sources=sources,
        principles=principles, journeys=journeys, datasets=datasets,
        generated=generated or datetime.now(UTC).strftime("%Y-%m-%d %H:%M UTC"))


def render_card_html(card: InsightCard) -> str:
    """One self-contained, printable HTML page (queries/templates/card.html.j2, autoescape)."""
    return render("queries", "card.html.j2", c=card, w=card.words)


_MD_SPECIAL = re.compile(r"([\\`*_\[\]|~])")
_MD_LINE_START = re.compile(r"^([#+-])")
_MD_ORDERED = re.compile(r"^(\d+)([.)])")


def md(text: Any) -> str:
    """Data text safe inline in Markdown: one line, HTML escaped (for renderers that allow
    HTML: `<` and `&` become entities) and the punctuation that makes links, emphasis, code
    or table cells backslash-escaped; a line-starting `#`, `-`, `+`, `>` or `1.` too, so a
    text that starts a line cannot become a heading, list or quote."""
    text = _MD_SPECIAL.sub(r"\\\1", html.escape(" ".join(str(text).split()), quote=False))
    return _MD_ORDERED.sub(r"\1\\\2", _MD_LINE_START.sub(r"\\\1", text))


def render_card_markdown(card: InsightCard) -> str:
    """The card as Markdown, with the same sections as the HTML page."""
    c, w = card, card.words
    out = [f"# {md(c.title)}", "",
           f"{w['card']} · `{c.id}` · {md(c.kind)} · {w['status']}: {md(c.status)}", ""]
    out += [f"## {w['statement']}", "", md(c.statement) if c.statement else w["no_statement"], ""]
    if c.generals:
        out += [f"**{w['generals']}:** " + "; ".join(md(x) for x in c.generals), ""]
    if c.instances:
        out += [f"**{w['instances']}:** " + "; ".join(md(x) for x in c.instances), ""]
    if c.life_events:
        out += [f"**{w['life_events']}:** " + "; ".join(md(x) for x in c.life_events), ""]
    out += [f"## {w['reporters']}", ""]
    out += [f"- {md(r.name)}" + (f" ({w['year']} {md(r.year)})" if r.year else "")
            + (f" · {w['cites']}: {md(r.source)}" if r.source else "")
            for r in c.reporters] or [w["no_reporters"]]
    if c.instance_reporters:
        out += ["", f"**{w['via_instances']}:**", ""]
        out += [f"- {md(r.name)}" + (f" ({w['year']} {md(r.year)})" if r.year else "")
                + f" · {md(r.source)}" for r in c.instance_reporters]
    out += ["", f"## {w['evidence']}", ""]
    out += [f"- {md(s.title)}" + (f" <{s.url}>" if s.url and ">" not in s.url else "")
            for s in c.sources] or [w["no_sources"]]
    if c.datasets:
        out += ["", f"**{w['datasets']}:** " + "; ".join(md(d) for d in c.datasets)]
    out += ["", f"## {w['principles']}", ""]
    out += [f"- {md(p.name)}" + (f" ({w['via']} {md(p.via)})" if p.via else "")
            + (f" · {w['adopted']}: " + "; ".join(md(a) for a in p.adopted_by)
               if p.adopted_by else "")
            + (f" · {w['planned']}: " + "; ".join(md(a) for a in p.planned_by)
               if p.planned_by else "")
            for p in c.principles] or [w["no_principles"]]
    out += ["", f"## {w['journeys']}", ""]
    if not c.journeys:
        out.append(w["no_journeys"])
    for j in c.journeys:
        out += [f"### {md(j.life_event)}", ""]
        out += [f"- {s.order}\\. {md(s.action)} · {md(s.agency)}" + (" ★" if s.reports_it else "")
                for s in j.steps]
        out.append("")
    if c.journeys:
        out += [f"★ {w['reports_it']}", ""]
    out += ["---", "", f"{w['generated']} {md(c.generated)} · Insiktsgrafen", ""]
    return "\n".join(out)


def render_card(card: InsightCard, fmt: str) -> str:
    if fmt == "html":
        return render_card_html(card)
    if fmt == "md":
        return render_card_markdown(card)
    raise ValueError(f"format must be one of {', '.join(CARD_FORMATS)}, not {fmt!r}")
