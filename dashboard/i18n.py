"""Every UI string of the dashboard, once per language. Swedish is the default; the sidebar
switches to English. Both dicts have the same keys (tests/dashboard/test_i18n.py checks it).
Data labels are not here: they come from the graph (name/name_en, title/title_en …)."""

from __future__ import annotations

LANGS = ("sv", "en")
DEFAULT_LANG = "sv"
LANG_KEY = "lang"

SV: dict[str, str] = {
    "app_title": "Insiktsgrafen",
    "app_tagline": "Vad myndigheter vet om sina kunder – från insikt till handling.",
    "language": "Språk / Language",
    "lang.sv": "Svenska",
    "lang.en": "English",
    "page.overview": "Översikt",
    "page.overlap": "Överlapp",
    "page.network": "Nätverk",
    "page.life_events": "Livshändelser",
    "page.principles": "Principer",
    "page.collaboration": "Samverkan",
    "page.queries": "Frågor",
    "page.datasets": "Dataset",
    "sidebar.backend": "Graflager",
    "sidebar.loaded": "Inläst",
    "sidebar.no_datasets": "Inga dataset är inlästa.",
    "sidebar.dataset_line": "{id}: {nodes} noder, {rels} relationer, inläst {at}",
    "error": "Fel",
    "empty_store": "Grafen är tom: inga dataset är inlästa ännu. Läs in exempeldatat "
                   "(seed_data) för att se instrumentpanelen, eller läs in egna dataset med "
                   "`insikt load SÖKVÄG`.",
    "load_seed": "Läs in exempeldata",
    "loading_seed": "Läser in exempeldata …",
    "download_csv": "Ladda ner CSV",
    "download_json": "Ladda ner JSON",
    "download_html": "Ladda ner vyn som HTML",
    "any": "— alla —",
    "none": "—",
    "yes": "ja",
    "no": "nej",
    "row_edge": "på samma rad i resultatet",
    "edges_cut": "{cut} streckade kanter (samma rad i resultatet) visas inte; vyn har {shown} "
                 "kanter från resultatets första rader.",
    "cap_cut": "Visar {shown} av {total} noder: {cut} noder längst bort från fokus togs bort "
               "(från avstånd {depth}): {what}. Välj ett mindre djup eller färre nodtyper.",
    # labels
    "label.Agency": "Myndighet/aktör",
    "label.Domain": "Domän",
    "label.LifeEvent": "Livshändelse",
    "label.Source": "Källa",
    "label.Insight": "Insikt",
    "label.Principle": "Princip",
    "label.JourneyStep": "Steg i kundresan",
    "kind.general": "generell",
    "kind.specific": "specifik",
    # overview
    "overview.intro": "Insiktsgrafen samlar myndigheternas kundinsikter, livshändelser, "
                      "principer och källor i en graf och visar vilka myndigheter som delar "
                      "samma kundproblem.",
    "metric.agencies": "Myndigheter och aktörer",
    "metric.insights": "Insikter",
    "metric.life_events": "Livshändelser",
    "metric.principles": "Principer",
    "metric.journeys": "Kundresor",
    "overview.shared": "Mest delade kundproblem",
    "overview.shared_help": "Insikter som flera myndigheter rapporterar (en specifik insikt "
                            "räknas också som sin generella insikt).",
    "overview.heaviest": "Tyngst kundresor",
    "overview.heaviest_help": "Bördeindex per livshändelse, uppdelat på de fem generella "
                              "insikterna: varje del är vikt × antal, och delarna summerar "
                              "till index. Automatiska steg mellan aktörer räknas inte som "
                              "något personen gör.",
    "overview.general": "De fem generella insikterna",
    "overview.general_help": "Hur många myndigheter som rapporterar varje generell insikt, "
                             "direkt eller genom en specifik insikt som är ett exempel på den.",
    "report.title": "Rapport för styrning",
    "report.help": "Överlappen, de mest delade problemen, förslag på nätverk, luckorna "
                   "och bördorna på en sida (samma som `insikt report`).",
    "download_report_html": "Ladda ner rapporten (HTML)",
    "download_report_md": "Ladda ner rapporten (Markdown)",
    # overlap
    "overlap.intro": "Hur många kundproblem varje par av myndigheter delar. Välj ett par för "
                     "att se de gemensamma insikterna och deras belägg.",
    "overlap.metric": "Mått",
    "overlap.metric.count": "Antal delade insikter",
    "overlap.metric.jaccard": "Jaccard-index (delade / alla)",
    "overlap.filter_agency_help": "Visar myndigheten och de myndigheter den delar problem med.",
    "overlap.no_pairs": "Inga myndigheter delar insikter med de här filtren.",
    "overlap.limited": "Matrisen visar de {shown} myndigheter som delar mest av {total}. "
                       "Välj en myndighet, livshändelse eller domän för att se andra; "
                       "paren nedan och tabellen har alla.",
    "overlap.pair": "Välj ett par",
    "overlap.agency_a": "Myndighet A",
    "overlap.agency_b": "Myndighet B",
    "overlap.same_agency": "Välj två olika myndigheter.",
    "overlap.pair_shared": "{a} och {b} delar {n} insikter.",
    "overlap.pair_none": "{a} och {b} delar inga insikter med de här filtren.",
    "overlap.matrix_table": "Alla par",
    "overlap.chart_title": "Delade insikter per par av myndigheter",
    # network
    "network.intro": "Grafen runt en fokusnod. Håll muspekaren över en nod eller kant för "
                     "detaljer; dra för att flytta, scrolla för att zooma.",
    "network.focus": "Fokusnod",
    "network.depth": "Djup (antal steg från fokus)",
    "network.labels": "Nodtyper att visa",
    "network.life_event": "Bara det som hör till livshändelsen",
    "network.alone": "Fokusnoden har inga grannar med de här valen.",
    "network.summary": "{nodes} noder och {edges} kanter.",
    # life events
    "life.intro": "En livshändelse som kundresa: stegen i ordning, vilken aktör som har varje "
                  "steg, och hur tung resan är för personen.",
    "life.pick": "Livshändelse",
    "life.no_journey": "Den här livshändelsen har ingen kundresa i grafen.",
    "life.steps": "Kundresan steg för steg",
    "life.lanes": "Steg per aktör",
    "life.burden": "Bördan för personen",
    "life.index": "Bördeindex",
    "life.index_help": "Formel: {formula}",
    "life.insights": "Insikter som uppstår i livshändelsen",
    "life.no_insights": "Inga insikter är kopplade till livshändelsen.",
    "metric.steps": "Steg",
    "metric.actors": "Aktörer",
    "metric.handoffs": "Överlämningar",
    "metric.documents": "Dokument att bära",
    "metric.late_feedback": "Besked i efterhand",
    "burden.who-does-what": "Vem gör vad (aktörer att hitta)",
    "burden.own-project-manager": "Egen projektledare (steg att starta)",
    "burden.myndighetska": "Myndighetska (steg med myndighetens termer)",
    "burden.courier": "Kurir (dokument att bära)",
    "burden.late-feedback": "Besked i efterhand (eller aldrig)",
    "burden.not_measured": "mäts inte: inget steg i datan anger myndighetens termer",
    "burden.points": "poäng",
    "col.person_steps": "Steg personen tar",
    "col.datasets": "Dataset (version)",
    "col.who-does-what": "Vem gör vad",
    "col.own-project-manager": "Egen projektledare",
    "col.myndighetska": "Myndighetska",
    "col.courier": "Kurir",
    "col.late-feedback": "Besked i efterhand",
    "feedback.immediate": "direkt",
    "feedback.delayed": "i efterhand",
    "feedback.none": "inget besked",
    # principles
    "principles.intro": "Vilka insikter varje princip tar sig an och vilka myndigheter som "
                        "tillämpar den – och var det fattas principer eller handling.",
    "principles.table": "Principer, insikter och myndigheter",
    "principles.coverage": "Principernas täckning (en rad per princip och insikt)",
    "principles.gaps": "Luckor: insikter som ingen princip tar sig an",
    "principles.no_gaps": "Alla aktiva insikter har minst en princip.",
    "principles.action_gaps": "Från insikt till handling: myndigheter som inte tillämpar "
                              "någon av principerna för sina insikter",
    "principles.no_action_gaps": "Inga handlingsluckor med det här filtret.",
    "principles.filter_agency": "Myndighet",
    # collaboration
    "collab.intro": "Från insikt till handling: vilka myndigheter som har samma kundproblem och "
                    "borde mötas, vilka par som liknar varandra mest, vilka insikter som når "
                    "längst och vilka myndigheter som binder ihop de andra.",
    "collab.networks": "Förslag på nätverk",
    "collab.networks_help": "Ett förslag på nätverk säger vilka som borde mötas, och om vad: "
                            "myndigheter som delar fler kundproblem med varandra än med de "
                            "andra. Varje nätverk har de problem som medlemmarna delar och en "
                            "dagordning – principer som bara några av medlemmarna tillämpar. "
                            "Nätverken hittas med Louvain-metoden på delade insikter, där ett "
                            "problem som få myndigheter delar väger tyngre än ett som nästan "
                            "alla delar (med fast frö: samma data ger samma förslag).",
    "collab.metric.networks": "Föreslagna nätverk",
    "collab.metric.agencies": "Myndigheter som rapporterar insikter",
    "collab.metric.modularity": "Modularitet",
    "collab.modularity_help": "Hur tydligt nätverken skiljer sig från varandra (från −0,5 "
                              "till 1). Nära 0 betyder att problemen delas brett över "
                              "nätverkens gränser: se nätverken som en startpunkt för vilka "
                              "som ska mötas, inte som skarpa grupper.",
    "collab.network_label": "**Nätverk {n}** – {count} myndigheter: {names}",
    "collab.more": "{names} och {more} till",
    "collab.members": "Medlemmar",
    "collab.shared_problems": "Problem som medlemmarna delar",
    "collab.no_shared": "Medlemmarna delar inga problem.",
    "collab.agenda": "Dagordning: principer som bara några av medlemmarna tillämpar",
    "collab.agenda_help": "Principer som tar sig an något av nätverkets delade problem står "
                          "först.",
    "collab.no_agenda": "Medlemmarna tillämpar samma principer.",
    "collab.alone": "Myndigheter som inte hamnar i något nätverk med andra: {names}",
    "collab.no_networks": "Ingen myndighet rapporterar någon insikt, så det finns inga "
                          "nätverk att föreslå.",
    "collab.all_networks": "Alla nätverk i en tabell",
    "collab.similar": "Mest lika par av myndigheter",
    "collab.similar_help": "Jaccard-index över de insikter varje myndighet rapporterar (en "
                           "specifik insikt räknas också som sin generella): delade insikter "
                           "delat med alla insikter de två har. {agencies} myndigheter "
                           "rapporterar insikter och {pairs} par delar minst en; här visas de "
                           "{top} mest lika.",
    "collab.no_pairs": "Inga myndigheter delar insikter.",
    "collab.reach": "Insikternas räckvidd",
    "collab.reach_help": "Hur många myndigheter, livshändelser och domäner varje insikt spänner "
                         "över (en generell insikt också genom sina specifika exempel), störst "
                         "räckvidd först.",
    "collab.bridges": "Brobyggande myndigheter",
    "collab.bridges_help": "Betweenness-centralitet: hur ofta en myndighet ligger på den "
                           "kortaste vägen mellan två andra, där myndigheter som delar fler "
                           "problem står närmare varandra. En hög siffra betyder att "
                           "myndigheten förbinder myndigheter som annars har lite gemensamt.",
    "collab.bridges_exact": "Exakt beräknat över alla {nodes} myndigheter.",
    "collab.bridges_sampled": "Uppskattat med stickprov: beräknat från {k} av {nodes} "
                              "myndigheter som startpunkter (frö {seed}).",
    "collab.bridges_chart": "Betweenness: de {n} högsta över 0",
    # queries
    "queries.intro": "Den sparade frågekatalogen. Valet av fråga och parametrar står i "
                     "adressen, så en länk återskapar vyn.",
    "queries.pick": "Fråga",
    "queries.params": "Parametrar",
    "queries.no_params": "Frågan har inga parametrar.",
    "queries.required": "Fyll i {name} för att köra frågan.",
    "queries.unknown_value": "Okänt värde för {name} i adressen: {value}. Standardvärdet "
                             "används i stället.",
    "queries.rows": "{n} rader.",
    "queries.graph": "Resultatet som graf",
    "queries.refused": "Frågan avvisades",
    "queries.failed": "Frågan misslyckades",
    "queries.console": "Cypher-konsol (bara läsning)",
    "queries.console_text": "Cypher",
    "queries.console_run": "Kör",
    "queries.console_truncated": "Resultatet kapades: {message}",
    "queries.console_needs_neo4j": "Cypher-konsolen kräver Neo4j. Starta appen med "
                                   "INSIKT_BACKEND=neo4j (och NEO4J_URI, NEO4J_USER, "
                                   "NEO4J_PASSWORD) för att ställa egna frågor; de sparade "
                                   "frågorna ovan fungerar på båda.",
    "queries.console_empty": "Skriv en fråga först.",
    # columns
    "col.insight": "Insikt-id",
    "col.title": "Insikt",
    "col.kind": "Typ",
    "col.status": "Status",
    "col.agencies": "Antal myndigheter",
    "col.agency_names": "Myndigheter",
    "col.instances": "Specifika exempel",
    "col.life_event": "Livshändelse",
    "col.index": "Bördeindex",
    "col.steps": "Steg",
    "col.actors": "Aktörer",
    "col.handoffs": "Överlämningar",
    "col.documents": "Dokument",
    "col.late_feedback": "Besked i efterhand",
    "col.agency_a": "Myndighet A",
    "col.agency_b": "Myndighet B",
    "col.shared": "Delade insikter",
    "col.jaccard": "Jaccard",
    "col.sources": "Källor",
    "col.urls": "Webbadresser",
    "col.years": "År",
    "col.reported_by": "Rapporteras av",
    "col.via_a": "Hur A har den",
    "col.via_b": "Hur B har den",
    "col.step_order": "Nr",
    "col.actor": "Aktör",
    "col.action": "Steg",
    "col.handoff": "Överlämning",
    "col.taken_by": "Vem tar steget",
    "col.agency_terms": "Myndighetens termer",
    "taken_by.person": "personen",
    "taken_by.actor": "aktören själv",
    "col.carries": "Personen bär",
    "col.feedback": "Besked",
    "col.generals": "Generell insikt",
    "col.principles": "Principer",
    "col.principle": "Princip",
    "col.insight_count": "Antal insikter",
    "col.insight_titles": "Insikter",
    "col.adopted_by": "Tillämpas av",
    "col.planned_by": "Planeras av",
    "col.agency": "Myndighet",
    "col.network": "Nätverk",
    "col.members": "Antal medlemmar",
    "col.agency_ids": "Myndigheternas id",
    "col.agency_id": "Myndighets-id",
    "col.shared_problems": "Delade problem",
    "col.agenda": "Punkter på dagordningen",
    "col.internal_weight": "Delade insikter inom nätverket",
    "col.holder_count": "Medlemmar med problemet",
    "col.holders": "Vilka medlemmar",
    "col.applied_by": "Tillämpas av",
    "col.not_applied_by": "Tillämpas inte av",
    "col.addresses_shared": "Tar sig an de delade problemen",
    "col.principle_id": "Princip-id",
    "col.shared_titles": "Det de delar",
    "col.rank": "Plats",
    "col.life_events": "Antal livshändelser",
    "col.domains": "Antal domäner",
    "col.life_event_names": "Livshändelser",
    "col.domain_names": "Domäner",
    "col.betweenness": "Betweenness",
    "col.partners": "Delar problem med (antal myndigheter)",
    "col.communities_linked": "Nätverk den når",
    # datasets (history and diff)
    "datasets.intro": "Varje inläsning av ett dataset sparas som en version: innehållets "
                      "kontrollsumma, när, vem och vad den lade till, tog bort och ändrade.",
    "datasets.pick": "Dataset",
    "datasets.versions": "Versioner (senaste först)",
    "datasets.last_diff": "Senaste inläsningens ändringar, post för post",
    "datasets.no_changes": "Den senaste inläsningen ändrade ingenting.",
    "datasets.action.load": "inläsning",
    "datasets.action.unload": "borttagning",
    "datasets.action.migrate": "migrering",
    "datasets.change.added": "tillagd",
    "datasets.change.removed": "borttagen",
    "datasets.change.changed": "ändrad",
    "datasets.kind.node": "nod",
    "datasets.kind.relationship": "relation",
    "datasets.col.version": "Version",
    "datasets.col.action": "Händelse",
    "datasets.col.at": "Tid",
    "datasets.col.by": "Av",
    "datasets.col.nodes": "Noder",
    "datasets.col.relationships": "Relationer",
    "datasets.col.added": "Tillagda",
    "datasets.col.removed": "Borttagna",
    "datasets.col.changed": "Ändrade",
    "datasets.col.hash": "Kontrollsumma",
    "datasets.col.kind": "Typ",
    "datasets.col.key": "Post",
    "datasets.col.fields": "Ändrade fält",
}

EN: dict[str, str] = {
    "app_title": "Insiktsgrafen",
    "app_tagline": "What agencies know about their customers – from insight to action.",
    "language": "Språk / Language",
    "lang.sv": "Svenska",
    "lang.en": "English",
    "page.overview": "Overview",
    "page.overlap": "Overlap",
    "page.network": "Network",
    "page.life_events": "Life events",
    "page.principles": "Principles",
    "page.collaboration": "Collaboration",
    "page.queries": "Queries",
    "page.datasets": "Datasets",
    "sidebar.backend": "Graph store",
    "sidebar.loaded": "Loaded",
    "sidebar.no_datasets": "No datasets are loaded.",
    "sidebar.dataset_line": "{id}: {nodes} nodes, {rels} relationships, loaded {at}",
    "error": "Error",
    "empty_store": "The graph is empty: no dataset has been loaded yet. Load the demo data "
                   "(seed_data) to see the dashboard, or load your own datasets with "
                   "`insikt load PATH`.",
    "load_seed": "Load the demo data",
    "loading_seed": "Loading the demo data …",
    "download_csv": "Download CSV",
    "download_json": "Download JSON",
    "download_html": "Download the view as HTML",
    "any": "— all —",
    "none": "—",
    "yes": "yes",
    "no": "no",
    "row_edge": "in the same result row",
    "edges_cut": "{cut} dashed edges (same result row) are not shown; the view has {shown} "
                 "edges from the first rows of the result.",
    "cap_cut": "Showing {shown} of {total} nodes: {cut} nodes farthest from the focus were "
               "left out (from distance {depth}): {what}. Choose a smaller depth or fewer "
               "node types.",
    "label.Agency": "Agency/actor",
    "label.Domain": "Domain",
    "label.LifeEvent": "Life event",
    "label.Source": "Source",
    "label.Insight": "Insight",
    "label.Principle": "Principle",
    "label.JourneyStep": "Journey step",
    "kind.general": "general",
    "kind.specific": "specific",
    "overview.intro": "Insiktsgrafen brings the agencies' customer insights, life events, "
                      "principles and sources together in one graph and shows which agencies "
                      "share the same customer problems.",
    "metric.agencies": "Agencies and actors",
    "metric.insights": "Insights",
    "metric.life_events": "Life events",
    "metric.principles": "Principles",
    "metric.journeys": "Journeys",
    "overview.shared": "Most widely shared problems",
    "overview.shared_help": "Insights that several agencies report (a specific insight also "
                            "counts as its general insight).",
    "overview.heaviest": "Heaviest journeys",
    "overview.heaviest_help": "The burden index per life event, split into the five general "
                              "insights: each part is weight × count, and the parts add up to "
                              "the index. Automatic steps between actors do not count as "
                              "something the person does.",
    "overview.general": "The five general insights",
    "overview.general_help": "How many agencies report each general insight, directly or "
                             "through a specific insight that is an instance of it.",
    "report.title": "Governance report",
    "report.help": "The overlap, the most shared problems, suggested networks, the gaps "
                   "and the journey burdens on one page (the same as `insikt report`).",
    "download_report_html": "Download the report (HTML)",
    "download_report_md": "Download the report (Markdown)",
    "overlap.intro": "How many customer problems each pair of agencies shares. Pick a pair to "
                     "see the insights they share and the evidence behind them.",
    "overlap.metric": "Measure",
    "overlap.metric.count": "Shared insights",
    "overlap.metric.jaccard": "Jaccard index (shared / all)",
    "overlap.filter_agency_help": "Shows the agency and the agencies it shares problems with.",
    "overlap.no_pairs": "No agencies share insights with these filters.",
    "overlap.limited": "The matrix shows the {shown} agencies that share the most, of {total}. "
                       "Pick an agency, life event or domain to see others; the pairs below "
                       "and the table have them all.",
    "overlap.pair": "Pick a pair",
    "overlap.agency_a": "Agency A",
    "overlap.agency_b": "Agency B",
    "overlap.same_agency": "Pick two different agencies.",
    "overlap.pair_shared": "{a} and {b} share {n} insights.",
    "overlap.pair_none": "{a} and {b} share no insights with these filters.",
    "overlap.matrix_table": "All pairs",
    "overlap.chart_title": "Shared insights per pair of agencies",
    "network.intro": "The graph around a focus node. Hover over a node or edge for details; "
                     "drag to move, scroll to zoom.",
    "network.focus": "Focus node",
    "network.depth": "Depth (steps from the focus)",
    "network.labels": "Node types to show",
    "network.life_event": "Only what belongs to the life event",
    "network.alone": "The focus node has no neighbours with these choices.",
    "network.summary": "{nodes} nodes and {edges} edges.",
    "life.intro": "A life event as a customer journey: the steps in order, the actor of each "
                  "step, and how heavy the journey is for the person.",
    "life.pick": "Life event",
    "life.no_journey": "This life event has no journey in the graph.",
    "life.steps": "The journey step by step",
    "life.lanes": "Steps per actor",
    "life.burden": "The burden on the person",
    "life.index": "Burden index",
    "life.index_help": "Formula: {formula}",
    "life.insights": "Insights that arise in the life event",
    "life.no_insights": "No insights are linked to this life event.",
    "metric.steps": "Steps",
    "metric.actors": "Actors",
    "metric.handoffs": "Handoffs",
    "metric.documents": "Documents to carry",
    "metric.late_feedback": "Late feedback",
    "burden.who-does-what": "Who does what (actors to find)",
    "burden.own-project-manager": "Own project manager (steps to start)",
    "burden.myndighetska": "Officialese (steps with agency terms)",
    "burden.courier": "Courier (documents to carry)",
    "burden.late-feedback": "Feedback only afterwards (or never)",
    "burden.not_measured": "not measured: no step in the data gives the agency's terms",
    "burden.points": "points",
    "col.person_steps": "Steps the person takes",
    "col.datasets": "Datasets (version)",
    "col.who-does-what": "Who does what",
    "col.own-project-manager": "Own project manager",
    "col.myndighetska": "Officialese",
    "col.courier": "Courier",
    "col.late-feedback": "Feedback afterwards",
    "feedback.immediate": "immediate",
    "feedback.delayed": "later",
    "feedback.none": "none",
    "principles.intro": "Which insights each principle addresses and which agencies apply it "
                        "– and where principles or action are missing.",
    "principles.table": "Principles, insights and agencies",
    "principles.coverage": "Principle coverage (one row per principle and insight)",
    "principles.gaps": "Gaps: insights no principle addresses",
    "principles.no_gaps": "Every active insight has at least one principle.",
    "principles.action_gaps": "From insight to action: agencies that apply none of the "
                              "principles for their insights",
    "principles.no_action_gaps": "No action gaps with this filter.",
    "principles.filter_agency": "Agency",
    "collab.intro": "From insight to action: which agencies have the same customer problems "
                    "and should meet, which pairs are most alike, which insights reach "
                    "furthest and which agencies tie the others together.",
    "collab.networks": "Suggested networks",
    "collab.networks_help": "A suggested network says who should meet, and about what: "
                            "agencies that share more customer problems with each other than "
                            "with the rest. Each network has the problems its members share "
                            "and an agenda – principles that only some of the members apply. "
                            "The networks are found with the Louvain method on shared "
                            "insights, where a problem few agencies share weighs more than one "
                            "nearly all share (with a fixed seed: the same data gives the same "
                            "suggestion).",
    "collab.metric.networks": "Suggested networks",
    "collab.metric.agencies": "Agencies reporting insights",
    "collab.metric.modularity": "Modularity",
    "collab.modularity_help": "How clearly the networks stand apart (from −0.5 to 1). Near 0 "
                              "means the problems are shared widely across the networks' "
                              "borders: take the networks as a starting point for who should "
                              "meet, not as sharp groups.",
    "collab.network_label": "**Network {n}** – {count} agencies: {names}",
    "collab.more": "{names} and {more} more",
    "collab.members": "Members",
    "collab.shared_problems": "Problems the members share",
    "collab.no_shared": "The members share no problems.",
    "collab.agenda": "Agenda: principles only some of the members apply",
    "collab.agenda_help": "Principles that address one of the network's shared problems come "
                          "first.",
    "collab.no_agenda": "The members apply the same principles.",
    "collab.alone": "Agencies that end up in no network with others: {names}",
    "collab.no_networks": "No agency reports an insight, so there are no networks to suggest.",
    "collab.all_networks": "All networks in one table",
    "collab.similar": "Most similar agency pairs",
    "collab.similar_help": "Jaccard index over the insights each agency reports (a specific "
                           "insight also counts as its general one): shared insights divided "
                           "by all insights the two hold. {agencies} agencies report insights "
                           "and {pairs} pairs share at least one; the {top} most similar are "
                           "shown.",
    "collab.no_pairs": "No agencies share insights.",
    "collab.reach": "Insight reach",
    "collab.reach_help": "How many agencies, life events and domains each insight spans (a "
                         "general insight also through its specific instances), widest reach "
                         "first.",
    "collab.bridges": "Bridging agencies",
    "collab.bridges_help": "Betweenness centrality: how often an agency lies on the shortest "
                           "path between two others, where agencies that share more problems "
                           "are closer. A high figure means the agency connects agencies that "
                           "otherwise have little in common.",
    "collab.bridges_exact": "Computed exactly over all {nodes} agencies.",
    "collab.bridges_sampled": "Estimated from a sample: computed from {k} of {nodes} agencies "
                              "as sources (seed {seed}).",
    "collab.bridges_chart": "Betweenness: the top {n} above 0",
    "queries.intro": "The saved-query catalog. The chosen query and its parameters are in the "
                     "address, so a link reproduces the view.",
    "queries.pick": "Query",
    "queries.params": "Parameters",
    "queries.no_params": "This query takes no parameters.",
    "queries.required": "Fill in {name} to run the query.",
    "queries.unknown_value": "Unknown value for {name} in the address: {value}. The default "
                             "is used instead.",
    "queries.rows": "{n} rows.",
    "queries.graph": "The result as a graph",
    "queries.refused": "The query was refused",
    "queries.failed": "The query failed",
    "queries.console": "Cypher console (read only)",
    "queries.console_text": "Cypher",
    "queries.console_run": "Run",
    "queries.console_truncated": "The result was cut: {message}",
    "queries.console_needs_neo4j": "The Cypher console needs Neo4j. Start the app with "
                                   "INSIKT_BACKEND=neo4j (and NEO4J_URI, NEO4J_USER, "
                                   "NEO4J_PASSWORD) to ask your own questions; the saved "
                                   "queries above work on both.",
    "queries.console_empty": "Write a query first.",
    "col.insight": "Insight id",
    "col.title": "Insight",
    "col.kind": "Kind",
    "col.status": "Status",
    "col.agencies": "Number of agencies",
    "col.agency_names": "Agencies",
    "col.instances": "Specific instances",
    "col.life_event": "Life event",
    "col.index": "Burden index",
    "col.steps": "Steps",
    "col.actors": "Actors",
    "col.handoffs": "Handoffs",
    "col.documents": "Documents",
    "col.late_feedback": "Late feedback",
    "col.agency_a": "Agency A",
    "col.agency_b": "Agency B",
    "col.shared": "Shared insights",
    "col.jaccard": "Jaccard",
    "col.sources": "Sources",
    "col.urls": "URLs",
    "col.years": "Years",
    "col.reported_by": "Reported by",
    "col.via_a": "How A holds it",
    "col.via_b": "How B holds it",
    "col.step_order": "No.",
    "col.actor": "Actor",
    "col.action": "Step",
    "col.handoff": "Handoff",
    "col.taken_by": "Who takes the step",
    "col.agency_terms": "Agency terms",
    "taken_by.person": "the person",
    "taken_by.actor": "the actor alone",
    "col.carries": "Person carries",
    "col.feedback": "Feedback",
    "col.generals": "General insight",
    "col.principles": "Principles",
    "col.principle": "Principle",
    "col.insight_count": "Number of insights",
    "col.insight_titles": "Insights",
    "col.adopted_by": "Applied by",
    "col.planned_by": "Planned by",
    "col.agency": "Agency",
    "col.network": "Network",
    "col.members": "Number of members",
    "col.agency_ids": "Agency ids",
    "col.agency_id": "Agency id",
    "col.shared_problems": "Shared problems",
    "col.agenda": "Agenda items",
    "col.internal_weight": "Shared insights within the network",
    "col.holder_count": "Members with the problem",
    "col.holders": "Which members",
    "col.applied_by": "Applied by",
    "col.not_applied_by": "Not applied by",
    "col.addresses_shared": "Addresses the shared problems",
    "col.principle_id": "Principle id",
    "col.shared_titles": "What they share",
    "col.rank": "Rank",
    "col.life_events": "Number of life events",
    "col.domains": "Number of domains",
    "col.life_event_names": "Life events",
    "col.domain_names": "Domains",
    "col.betweenness": "Betweenness",
    "col.partners": "Shares problems with (agencies)",
    "col.communities_linked": "Networks it reaches",
    # datasets (history and diff)
    "datasets.intro": "Every load of a dataset is kept as a version: the content hash, when, "
                      "who, and what it added, removed and changed.",
    "datasets.pick": "Dataset",
    "datasets.versions": "Versions (latest first)",
    "datasets.last_diff": "The latest load's changes, entry by entry",
    "datasets.no_changes": "The latest load changed nothing.",
    "datasets.action.load": "load",
    "datasets.action.unload": "unload",
    "datasets.action.migrate": "migration",
    "datasets.change.added": "added",
    "datasets.change.removed": "removed",
    "datasets.change.changed": "changed",
    "datasets.kind.node": "node",
    "datasets.kind.relationship": "relationship",
    "datasets.col.version": "Version",
    "datasets.col.action": "Action",
    "datasets.col.at": "Time",
    "datasets.col.by": "By",
    "datasets.col.nodes": "Nodes",
    "datasets.col.relationships": "Relationships",
    "datasets.col.added": "Added",
    "datasets.col.removed": "Removed",
    "datasets.col.changed": "Changed",
    "datasets.col.hash": "Content hash",
    "datasets.col.kind": "Kind",
    "datasets.col.key": "Entry",
    "datasets.col.fields": "Changed fields",
}

STRINGS: dict[str, dict[str, str]] = {"sv": SV, "en": EN}


def current_lang() -> str:
    """The language chosen in the sidebar (Swedish outside a Streamlit session)."""
    try:
        import streamlit as st

        lang = st.session_state.get(LANG_KEY, DEFAULT_LANG)
    except Exception:  # no script run context: tests, the CLI
        return DEFAULT_LANG
    return lang if lang in STRINGS else DEFAULT_LANG


def t(key: str, lang: str | None = None) -> str:
    """The UI string `key` in `lang` (default: the current language). A missing key shows
    itself, so it is visible instead of crashing a page."""
    table = STRINGS[lang or current_lang()]
    return table.get(key, SV.get(key, key))
