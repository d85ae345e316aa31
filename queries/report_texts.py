"""The governance report's words in Swedish and English (`queries.report` picks one language
per report: `insikt report --lang`, the dashboard's language). Both tables have the same keys
(tests/queries/test_report.py checks it). Names come from the graph, in the same language."""

from __future__ import annotations

from .analytics import BURDEN_DEFINITIONS

SV: dict[str, str] = {
    "title": "Insiktsgrafen – från insikt till handling",
    "doc_title": "Insiktsgrafen – styrningsrapport",
    "subtitle": "Styrningsrapport · skapad {generated} · grafens tillstånd",
    "label.Agency": "Myndigheter/aktörer",
    "label.Domain": "Domäner",
    "label.LifeEvent": "Livshändelser",
    "label.Source": "Källor",
    "label.Insight": "Insikter",
    "label.Principle": "Principer",
    "label.JourneyStep": "Steg i kundresor",
    "h.matrix": "Överlapp mellan aktörer",
    "matrix.help": "Antal delade insikter per par; diagonalen är aktörens egna insikter (en "
                   "specifik insikt räknas också genom sin generella). Kolumnerna har samma "
                   "nummer som raderna.",
    "matrix.truncated": "Visar {shown} av {total} aktörer (de med flest delade insikter).",
    "matrix.none": "Inga aktörer delar någon insikt.",
    "h.shared": "Mest delade problem",
    "chart.shared": "Aktörer per delat problem",
    "h.general": "Generella insikter",
    "h.networks": "Föreslagna nätverk",
    "networks.help": "Grupper av aktörer som delar problem (Louvain, modularitet {modularity}). "
                     "Dagordningen är de principer som bara några av dem tillämpar.",
    "network": "Nätverk {n}",
    "network.shared": "Delade problem",
    "network.of": "{n} av {total}",
    "network.agenda": "Dagordning",
    "agenda.applied_by": "tillämpas av {names}",
    "agenda.not_by": "inte av {names}",
    "agenda.addresses": "tar sig an {names}",
    "h.gaps": "Principluckor",
    "gaps.help": "Insikter som ingen princip tar sig an direkt.",
    "h.action": "Handlingsluckor",
    "action.help": "Aktören rapporterar insikten och en princip tar sig an den (direkt eller "
                   "genom dess generella insikt), men aktören tillämpar ingen av dem.",
    "h.burden": "Bördeindex per livshändelse",
    "chart.burden": "Bördeindex per livshändelse",
    "burden.help": "Varje cell är poäng = vikt × antal; poängen summerar till index.",
    "burden.evidence": "Varje term belägger en generell insikt:",
    "burden.not_in_graph": "saknas i grafen",
    "burden.not_measured": "mäts inte",
    "h.provenance": "Datans ursprung",
    "provenance.illustrative": "Illustrativa poster: {n} av {total} ({share}).",
    "more_rows": "… {n} rader till",
    "none": "–",
    "col.insight": "Insikt",
    "col.id": "Id",
    "col.agencies": "Aktörer",
    "col.life_events": "Livshändelser",
    "col.domains": "Domäner",
    "col.kind": "Typ",
    "col.status": "Status",
    "col.via_general": "Principer via generell insikt",
    "col.agency": "Aktör",
    "col.agency_kind": "Typ av aktör",
    "col.principles": "Principer",
    "col.life_event": "Livshändelse",
    "col.index": "Index",
    "col.steps": "Steg",
    "col.dataset": "Dataset",
    "col.nodes": "Noder",
    "col.source_kind": "Typ av källa",
    "col.sources": "Källor",
    "col.label": "Nodtyp",
    "col.illustrative": "Illustrativa",
    "col.total": "Totalt",
    "kind.general": "generell",
    "kind.specific": "specifik",
    "status.active": "aktiv",
    "status.proposed": "föreslagen",
    "status.disputed": "ifrågasatt",
    "status.superseded": "ersatt",
    "term.who-does-what": "Vem gör vad",
    "term.own-project-manager": "Egen projektledare",
    "term.myndighetska": "Myndighetska",
    "term.courier": "Kurir",
    "term.late-feedback": "Besked i efterhand",
    "def.who-does-what": "olika aktörer i de steg personen tar: var och en är en organisation "
                         "som personen själv måste hitta och kontakta (Efterlevandeguiden: "
                         "myndigheter får veta om ett dödsfall automatiskt, företag gör det "
                         "inte, så de anhöriga måste kontakta dem)",
    "def.own-project-manager": "steg som personen måste starta (taken_by person, standard); "
                               "steg som en aktör tar själv, som automatiska besked mellan "
                               "myndigheter, räknas inte (Pensionsmyndigheten prövar "
                               "efterlevandepension utan ansökan, men allmän pension måste "
                               "sökas)",
    "def.myndighetska": "steg där personen måste känna till eller använda en av myndighetens "
                        "termer (agency_terms); språklagen 11 § kräver ett vårdat, enkelt och "
                        "begripligt språk; mäts inte när inget steg i datan anger "
                        "agency_terms",
    "def.courier": "dokument som personen bär från en aktör till en annan (customer_carries), "
                   "vikt 2: varje dokument är två ärenden, att skaffa det och lämna över det "
                   "(E-delegationen: medborgaren blir budbärare mellan organisationer)",
    "def.late-feedback": "steg som personen tar och får veta utfallet av först senare "
                         "(feedback delayed) eller aldrig (feedback none), vikt 1,5: ett fel "
                         "kan visa sig först i efterhand, en verklig men osäker kostnad, mer än "
                         "ett namn att hitta och mindre än ett säkert ärende",
}

EN: dict[str, str] = {
    "title": "Insiktsgrafen – from insight to action",
    "doc_title": "Insiktsgrafen – governance report",
    "subtitle": "Governance report · generated {generated} · graph state",
    "label.Agency": "Agencies/actors",
    "label.Domain": "Domains",
    "label.LifeEvent": "Life events",
    "label.Source": "Sources",
    "label.Insight": "Insights",
    "label.Principle": "Principles",
    "label.JourneyStep": "Journey steps",
    "h.matrix": "Overlap between agencies",
    "matrix.help": "Shared insights per pair; the diagonal is the agency's own insight set (a "
                   "specific insight also counts through its general one). The columns have "
                   "the same numbers as the rows.",
    "matrix.truncated": "Showing {shown} of {total} agencies (those sharing the most "
                        "insights).",
    "matrix.none": "No agencies share an insight.",
    "h.shared": "Most shared problems",
    "chart.shared": "Agencies per shared problem",
    "h.general": "General insights",
    "h.networks": "Suggested networks",
    "networks.help": "Groups of agencies that share problems (Louvain, modularity "
                     "{modularity}). The agenda is the principles only some of them apply.",
    "network": "Network {n}",
    "network.shared": "Shared problems",
    "network.of": "{n} of {total}",
    "network.agenda": "Agenda",
    "agenda.applied_by": "applied by {names}",
    "agenda.not_by": "not by {names}",
    "agenda.addresses": "addresses {names}",
    "h.gaps": "Principle gaps",
    "gaps.help": "Insights no principle addresses directly.",
    "h.action": "Action gaps",
    "action.help": "The agency reports the insight and a principle addresses it (directly or "
                   "through its general insight), but the agency applies none of them.",
    "h.burden": "Journey burden per life event",
    "chart.burden": "Journey burden per life event",
    "burden.help": "Each cell is points = weight × count; the points add up to the index.",
    "burden.evidence": "Each term evidences a general insight:",
    "burden.not_in_graph": "not in the graph",
    "burden.not_measured": "not measured",
    "h.provenance": "Where the data comes from",
    "provenance.illustrative": "Illustrative entries: {n} of {total} ({share}).",
    "more_rows": "… {n} more rows",
    "none": "–",
    "col.insight": "Insight",
    "col.id": "Id",
    "col.agencies": "Agencies",
    "col.life_events": "Life events",
    "col.domains": "Domains",
    "col.kind": "Kind",
    "col.status": "Status",
    "col.via_general": "Principles via a general insight",
    "col.agency": "Agency",
    "col.agency_kind": "Kind of actor",
    "col.principles": "Principles",
    "col.life_event": "Life event",
    "col.index": "Index",
    "col.steps": "Steps",
    "col.dataset": "Dataset",
    "col.nodes": "Nodes",
    "col.source_kind": "Kind of source",
    "col.sources": "Sources",
    "col.label": "Node type",
    "col.illustrative": "Illustrative",
    "col.total": "Total",
    "kind.general": "general",
    "kind.specific": "specific",
    "status.active": "active",
    "status.proposed": "proposed",
    "status.disputed": "disputed",
    "status.superseded": "superseded",
    "term.who-does-what": "Who does what",
    "term.own-project-manager": "Own project manager",
    "term.myndighetska": "Officialese",
    "term.courier": "Courier",
    "term.late-feedback": "Late feedback",
}

EN.update({f"def.{name}": text for name, text in BURDEN_DEFINITIONS.items()})

TEXTS: dict[str, dict[str, str]] = {"sv": SV, "en": EN}
