"""Every UI string of the dashboard, once per language. Swedish is the default; the sidebar
and the URL (`?lang=en`) switch to English. Both dicts have the same keys
(tests/dashboard/test_i18n.py checks it, and tests/dashboard/test_languages.py walks every page
in both languages looking for untranslated text). Data labels are not here: they come from the
graph (name/name_en, title/title_en …); the saved queries' texts and column labels come from
`queries.texts`; errors are worded here per `graph.errors` class and kind (`error_text`)."""

from __future__ import annotations

from typing import Any

from graph.errors import InsiktError
from queries import texts as query_texts

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
    "sidebar.store_embedded": "inbyggt lager {path}",
    "sidebar.store_neo4j": "Neo4j {uri} (databas {database})",
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
    "label.AgencyAlias": "Myndighets-id i ett dataset",
    "kind.general": "generell",
    "kind.specific": "specifik",
    "status.active": "aktiv",
    "status.proposed": "föreslagen",
    "status.disputed": "ifrågasatt",
    "status.superseded": "ersatt",
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
    "overview.heaviest": "Tyngsta kundresorna",
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
    "overlap.limited": "Matrisen visar de {shown} myndigheter som har flest problem, av "
                       "{total}. Välj en myndighet för att se den och dem den delar mest med.",
    "overlap.include_proposed": "Räkna med föreslagna insikter",
    "overlap.include_proposed_help": "Räkna även insikter med status föreslagen, omstridd "
                                     "eller ersatt. Som standard räknas bara aktiva insikter.",
    "overlap.showing": "Visar {shown} av {total} par, starkast först (flest delade specifika "
                       "problem, sedan flest delade problem, sedan Jaccard-index).",
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
    # curation (dashboard/views/curation.py)
    "page.curation": "Kurering",
    "label.Decision": "Beslut",
    "curation.intro": "Granska föreslagna insikter och förslag på insikter ur olika dataset som "
                      "beskriver samma kundproblem. Varje beslut sparas med vem, när och varför, "
                      "finns kvar när dataseten läses in igen och följer med i paket (samma som "
                      "`insikt review` och `insikt match --apply`).",
    "curation.min_score": "Lägsta poäng för förslag",
    "curation.min_score_help": "Par under den här poängen (0–1) föreslås inte. 0,54 är "
                               "tröskeln som valdes på testdatat (docs/matching.md).",
    "curation.proposed": "Föreslagna insikter",
    "curation.no_proposed": "Det finns inga föreslagna insikter att granska.",
    "curation.decide_insight": "Besluta om en föreslagen insikt",
    "curation.action": "Beslut",
    "curation.action.accept": "Godkänn",
    "curation.action.merge": "Slå ihop",
    "curation.action.reject": "Avvisa",
    "curation.into": "Slå ihop med (bara för Slå ihop)",
    "curation.into_help": "Insikten som beskriver samma problem; de länkas som SAME_PROBLEM.",
    "curation.by": "Vem beslutar",
    "curation.why": "Varför (sparas med beslutet)",
    "curation.record": "Spara beslutet",
    "curation.recorded": "Beslutet är sparat.",
    "curation.pairs": "Förslag: samma problem i olika dataset",
    "curation.pairs_help": "Par av specifika insikter ur olika dataset med poäng och skäl "
                           "(gemensamma ord, livshändelser och generella insikter).",
    "curation.no_pairs": "Inga förslag över den valda poängen.",
    "curation.decide_pair": "Besluta om ett par",
    "curation.pair": "Par",
    "curation.decision": "Beslut om paret",
    "curation.kind.same": "samma problem",
    "curation.kind.related": "relaterade",
    "curation.kind.different": "olika problem",
    "curation.kind.accept": "godkänd",
    "curation.kind.merge": "sammanslagen",
    "curation.kind.reject": "avvisad",
    "curation.decisions": "Beslut",
    "curation.no_decisions": "Inga beslut är sparade ännu.",
    "col.suggested": "Föreslagna matchningar",
    "col.score": "Poäng",
    "col.reason": "Skäl",
    "col.a": "Insikt A (id)",
    "col.b": "Insikt B (id)",
    "col.a_title": "Insikt A",
    "col.b_title": "Insikt B",
    "col.decision": "Beslut",
    "col.decided_by": "Beslutat av",
    "col.decided_at": "Beslutat",
    "col.why": "Varför",
    # errors: a text per graph.errors class and per kind (see error_text)
    "error.detail": "Systemets meddelande (på engelska)",
    "error.InsiktError": "Något gick fel",
    "error.ValidationFailed": "Datasetet är ogiltigt; inget skrevs",
    "error.SettingError": "En inställning har ett värde som inte går att använda",
    "error.BackendUnavailable": "Graflagret går inte att nå",
    "error.QueryRefused": "Frågan avvisades",
    "error.QueryFailed": "Frågan misslyckades",
    "error.StoreError": "Graflagret kunde inte läsas eller ändras",
    "error.BadStoreFile": "Lagringsfilen är inte ett Insiktsgrafen-lager eller är skadad",
    "error.NotFound": "Det finns inte",
    "error.kind.param_type": "parametern {name} ska vara {type}, men fick {value}.",
    "error.kind.param_min": "parametern {name} ska vara minst {limit}.",
    "error.kind.param_max": "parametern {name} får vara högst {limit}.",
    "error.kind.unknown_param": "frågan {query} har ingen parameter {names}; den tar: {known}.",
    "error.kind.missing_param": "frågan {query} behöver parametern {name}.",
    "error.kind.needs_neo4j": "den sparade frågan {name} är bara Cypher och körs på Neo4j, inte "
                              "på det inbyggda lagret. Starta den lokala servern med `insikt "
                              "neo4j start`, läs in datan där och kör frågan mot Neo4j.",
    "error.kind.cypher_empty": "frågan är tom.",
    "error.kind.cypher_too_long": "frågan har {length} tecken; högst {limit} tas emot.",
    "error.kind.cypher_too_deep": "frågan har parenteser {depth} nivåer djupt; högst {limit} "
                                  "tas emot.",
    "error.kind.cypher_busy": "Neo4j räknar fortfarande på {count} tidigare frågor som tog för "
                              "lång tid. Försök igen senare eller starta om servern.",
    "error.kind.cypher_not_read_only": "konsolen kör bara frågor som läser, och den här frågan "
                                       "skriver, administrerar eller anropar något som inte "
                                       "är tillåtet.",
    "error.kind.cypher_schema": "frågan är ett schema- eller administrationskommando (som "
                                "CREATE INDEX eller CREATE USER); konsolen kör bara frågor "
                                "som läser.",
    "error.kind.cypher_other_database": "USE av en annan databas ({databases}) är inte "
                                        "tillåtet; frågor körs på databasen {database}.",
    "error.kind.timeout": "frågan tog längre tid än sin gräns ({seconds} s) och stoppades. "
                          "Avgränsa den med WHERE eller LIMIT.",
    "error.kind.memory": "frågan stoppades: den behövde mer minne än servern tillåter. "
                         "Avgränsa den med WHERE eller LIMIT.",
    "error.kind.neo4j_unavailable": "Neo4j på {uri} (databas {database}) svarar inte. Starta "
                                    "den lokala servern med `insikt neo4j start`.",
    "error.kind.report_lang": "rapporten finns på svenska och engelska, inte på {lang}.",
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
    "sidebar.store_embedded": "embedded store {path}",
    "sidebar.store_neo4j": "Neo4j {uri} (database {database})",
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
    "label.AgencyAlias": "Agency id in a dataset",
    "kind.general": "general",
    "kind.specific": "specific",
    "status.active": "active",
    "status.proposed": "proposed",
    "status.disputed": "disputed",
    "status.superseded": "superseded",
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
    "overlap.limited": "The matrix shows the {shown} agencies that hold the most problems, of "
                       "{total}. Pick an agency to see it and those it shares most with.",
    "overlap.include_proposed": "Include proposed insights",
    "overlap.include_proposed_help": "Also count insights whose status is proposed, disputed "
                                     "or superseded. By default only active insights count.",
    "overlap.showing": "Showing {shown} of {total} pairs, strongest first (most shared specific "
                       "problems, then most shared problems, then the Jaccard index).",
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
    # curation (dashboard/views/curation.py)
    "page.curation": "Curation",
    "label.Decision": "Decision",
    "curation.intro": "Review proposed insights, and proposals of insights from different "
                      "datasets that describe the same customer problem. Each decision is "
                      "stored with who, when and why, survives reloads of the datasets and "
                      "travels in packages (the same as `insikt review` and `insikt match "
                      "--apply`).",
    "curation.min_score": "Lowest score of a proposal",
    "curation.min_score_help": "Pairs below this score (0–1) are not proposed. 0.54 is the "
                               "threshold chosen on the test data (docs/matching.md).",
    "curation.proposed": "Proposed insights",
    "curation.no_proposed": "There are no proposed insights to review.",
    "curation.decide_insight": "Decide on a proposed insight",
    "curation.action": "Decision",
    "curation.action.accept": "Accept",
    "curation.action.merge": "Merge",
    "curation.action.reject": "Reject",
    "curation.into": "Merge into (for Merge only)",
    "curation.into_help": "The insight that describes the same problem; they are linked as "
                          "SAME_PROBLEM.",
    "curation.by": "Who decides",
    "curation.why": "Why (stored with the decision)",
    "curation.record": "Record the decision",
    "curation.recorded": "The decision is recorded.",
    "curation.pairs": "Proposals: the same problem in different datasets",
    "curation.pairs_help": "Pairs of specific insights from different datasets with a score "
                           "and a reason (shared words, life events and general insights).",
    "curation.no_pairs": "No proposals above the chosen score.",
    "curation.decide_pair": "Decide on a pair",
    "curation.pair": "Pair",
    "curation.decision": "Decision on the pair",
    "curation.kind.same": "same problem",
    "curation.kind.related": "related",
    "curation.kind.different": "different problems",
    "curation.kind.accept": "accepted",
    "curation.kind.merge": "merged",
    "curation.kind.reject": "rejected",
    "curation.decisions": "Decisions",
    "curation.no_decisions": "No decisions are recorded yet.",
    "col.suggested": "Suggested matches",
    "col.score": "Score",
    "col.reason": "Reason",
    "col.a": "Insight A (id)",
    "col.b": "Insight B (id)",
    "col.a_title": "Insight A",
    "col.b_title": "Insight B",
    "col.decision": "Decision",
    "col.decided_by": "Decided by",
    "col.decided_at": "Decided at",
    "col.why": "Why",
    "error.detail": "The system's message",
    "error.InsiktError": "Something went wrong",
    "error.ValidationFailed": "The dataset is invalid; nothing was written",
    "error.SettingError": "A setting has a value that cannot be used",
    "error.BackendUnavailable": "The graph store cannot be reached",
    "error.QueryRefused": "The query was refused",
    "error.QueryFailed": "The query failed",
    "error.StoreError": "The graph store could not be read or changed",
    "error.BadStoreFile": "The store file is not an Insiktsgrafen store or is damaged",
    "error.NotFound": "It does not exist",
    "error.kind.param_type": "the parameter {name} must be {type}, got {value}.",
    "error.kind.param_min": "the parameter {name} must be at least {limit}.",
    "error.kind.param_max": "the parameter {name} must be at most {limit}.",
    "error.kind.unknown_param": "the query {query} has no parameter {names}; it takes: {known}.",
    "error.kind.missing_param": "the query {query} needs the parameter {name}.",
    "error.kind.needs_neo4j": "the saved query {name} is Cypher only and runs on Neo4j, not on "
                              "the embedded store. Start the local server with `insikt neo4j "
                              "start`, load the data into it and run the query on Neo4j.",
    "error.kind.cypher_empty": "the query is empty.",
    "error.kind.cypher_too_long": "the query has {length} characters; at most {limit} are "
                                  "accepted.",
    "error.kind.cypher_too_deep": "the query nests brackets {depth} deep; at most {limit} are "
                                  "accepted.",
    "error.kind.cypher_busy": "Neo4j is still computing {count} earlier queries that timed "
                              "out. Try again later, or restart the server.",
    "error.kind.cypher_not_read_only": "the console runs only queries that read, and this one "
                                       "writes, administers or calls something that is not "
                                       "allowed.",
    "error.kind.cypher_schema": "the query is a schema or administration command (such as "
                                "CREATE INDEX or CREATE USER); the console runs only queries "
                                "that read.",
    "error.kind.cypher_other_database": "USE of another database ({databases}) is not allowed; "
                                        "queries run on the database {database}.",
    "error.kind.timeout": "the query took longer than its limit ({seconds} s) and was stopped. "
                          "Narrow it with WHERE or LIMIT.",
    "error.kind.memory": "the query was stopped: it needed more memory than the server allows. "
                         "Narrow it with WHERE or LIMIT.",
    "error.kind.neo4j_unavailable": "Neo4j at {uri} (database {database}) does not answer. "
                                    "Start the local server with `insikt neo4j start`.",
    "error.kind.report_lang": "the report speaks Swedish and English, not {lang}.",
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

# -- govern: overlap ranking, governance list, trends, insight card, console start --------------
# (a separate block, merged into SV/EN below, so that it stays apart from the main tables)
GOVERN_SV: dict[str, str] = {
    "gov.rank_title": "Vem delar mest med {agency}?",
    "gov.rank_help": "Rangordnat efter delade specifika insikter (samma konkreta problem), "
                     "sedan alla delade insikter (generella medräknade), sedan Jaccard-index. "
                     "{agency} är markerad i matrisen.",
    "gov.rank_pick": "Välj en myndighet ovan för att se vem som delar mest med den; den "
                     "markeras i matrisen.",
    "gov.rank_none": "{agency} delar inga insikter med någon annan aktör med de här filtren.",
    "col.peer": "Delar med",
    "col.specific_shared": "Delade specifika insikter",
    "col.shared_all": "Alla delade insikter",
    "col.specific_titles": "Samma specifika problem",
    "col.peer_id": "Id",
    "gov.governance": "Rapporterar problem men tillämpar ingen princip",
    "gov.governance_help": "Aktörer som rapporterar kundproblem (ej ersatta insikter) men inte "
                           "tillämpar någon princip: problemet är känt, men inget åtagande "
                           "finns.",
    "gov.adopted_only": "Räkna bara antagna principer (planerade räknas inte)",
    "gov.min_insights": "Minst antal rapporterade insikter",
    "gov.governance_none": "Alla aktörer som rapporterar problem tillämpar minst en princip.",
    "gov.trends": "Trender: rapporterade insikter per år",
    "gov.trends_help": "Hur många gånger insikter rapporterats per år (rapporter med årtal), "
                       "totalt eller per generell insikt. En specifik insikt räknas för sin "
                       "generella insikt.",
    "gov.trends_by": "Visa",
    "gov.trends_by.total": "Totalt",
    "gov.trends_by.general": "Per generell insikt",
    "gov.trends_none": "Inga rapporter har något årtal.",
    "col.year": "År",
    "col.reports": "Rapporter",
    "col.insights": "Olika insikter",
    "col.first_reported": "Rapporterade första gången",
    "col.general": "Generell insikt",
    "col.general_id": "Generell insikt (id)",
    "gov.card": "Insiktskort",
    "gov.card_help": "En utskrivbar sida om insikten: påstående, belägg, vem som rapporterar "
                     "den, principer och stegen i kundresorna.",
    "gov.card_pick": "Insikt",
    "gov.card_html": "Ladda ner kortet som HTML",
    "gov.card_md": "Ladda ner kortet som Markdown",
    "gov.card_open": "Öppna insiktskortet",
    "page.card": "Insiktskort",
    "gov.console_start": "Starta lokal Neo4j och läs in samma data",
    "gov.console_embedded": "Cypher-konsolen kör på Neo4j; nu används den inbäddade lagringen. "
                            "Knappen startar den lokala Neo4j-servern (`insikt neo4j start "
                            "--load` gör samma sak i terminalen), läser in samma dataset som "
                            "den inbäddade lagringen har och byter konsolen till Neo4j för den "
                            "här sessionen. Första starten kan ta några minuter.",
    "gov.console_starting": "Startar Neo4j och läser in {n} dataset …",
    "gov.console_started": "Neo4j kör på {uri} med {n} inlästa dataset. Konsolen använder "
                           "Neo4j i den här sessionen.",
    "gov.console_on_neo4j": "Konsolen kör på Neo4j ({uri}) i den här sessionen.",
    "gov.console_back": "Tillbaka till den inbäddade lagringen",
    "gov.syntax_at": "Rad {line}, kolumn {column}",
    "gov.agency_kind.statlig": "statlig myndighet",
    "gov.agency_kind.region": "region",
    "gov.agency_kind.kommun": "kommun",
    "gov.agency_kind.annan": "annan aktör",
}

GOVERN_EN: dict[str, str] = {
    "gov.rank_title": "Who shares most with {agency}?",
    "gov.rank_help": "Ranked by shared specific insights (the same concrete problem), then all "
                     "shared insights (general ones included), then the Jaccard index. "
                     "{agency} is highlighted in the matrix.",
    "gov.rank_pick": "Choose an agency above to see who shares most with it; it is "
                     "highlighted in the matrix.",
    "gov.rank_none": "{agency} shares no insight with any other actor under these filters.",
    "col.peer": "Shares with",
    "col.specific_shared": "Shared specific insights",
    "col.shared_all": "All shared insights",
    "col.specific_titles": "The same specific problems",
    "col.peer_id": "Id",
    "gov.governance": "Report problems but apply no principle",
    "gov.governance_help": "Actors that report customer problems (insights not superseded) but "
                           "apply no principle: the problem is known, but nothing is "
                           "committed.",
    "gov.adopted_only": "Count only adopted principles (planned ones do not count)",
    "gov.min_insights": "At least this many reported insights",
    "gov.governance_none": "Every actor that reports problems applies at least one principle.",
    "gov.trends": "Trends: insights reported per year",
    "gov.trends_help": "How often insights were reported per year (reports with a year), in "
                       "total or per general insight. A specific insight counts for its "
                       "general insight.",
    "gov.trends_by": "Show",
    "gov.trends_by.total": "Total",
    "gov.trends_by.general": "Per general insight",
    "gov.trends_none": "No report has a year.",
    "col.year": "Year",
    "col.reports": "Reports",
    "col.insights": "Distinct insights",
    "col.first_reported": "Reported for the first time",
    "col.general": "General insight",
    "col.general_id": "General insight (id)",
    "gov.card": "Insight card",
    "gov.card_help": "A printable page about the insight: statement, evidence, who reports "
                     "it, principles and the steps of the journeys.",
    "gov.card_pick": "Insight",
    "gov.card_html": "Download the card as HTML",
    "gov.card_md": "Download the card as Markdown",
    "gov.card_open": "Open the insight card",
    "page.card": "Insight card",
    "gov.console_start": "Start the local Neo4j and load the same data",
    "gov.console_embedded": "The Cypher console runs on Neo4j; the embedded store is in use "
                            "now. The button starts the local Neo4j server (`insikt neo4j "
                            "start --load` does the same in a terminal), loads the datasets "
                            "the embedded store holds and switches the console to Neo4j for "
                            "this session. The first start can take a few minutes.",
    "gov.console_starting": "Starting Neo4j and loading {n} datasets …",
    "gov.console_started": "Neo4j runs at {uri} with {n} datasets loaded. The console uses "
                           "Neo4j in this session.",
    "gov.console_on_neo4j": "The console runs on Neo4j ({uri}) in this session.",
    "gov.console_back": "Back to the embedded store",
    "gov.syntax_at": "Line {line}, column {column}",
    "gov.agency_kind.statlig": "state agency",
    "gov.agency_kind.region": "region",
    "gov.agency_kind.kommun": "municipality",
    "gov.agency_kind.annan": "other actor",
}
SV.update(GOVERN_SV)
EN.update(GOVERN_EN)
# -- click-to-explore and the console's graph view and deep links (explore) ---------------
# A block of its own (merged into SV and EN below), so that it merges cleanly with the rest.
_EXPLORE_SV: dict[str, str] = {
    "network.how": "Klicka på en nod för detaljer, dubbelklicka för att fokusera på den.",
    "network.back": "Bakåt",
    "network.forward": "Framåt",
    "network.show_hidden": "Visa dolda ({n})",
    "network.refocus": "Fokusera här",
    "network.expand": "Visa grannar",
    "network.collapse": "Dölj grannar",
    "network.hide": "Dölj noden",
    "network.field": "Uppgift",
    "network.value": "Värde",
    "network.evidence": "Belägg",
    "network.links": "Relationer ({n})",
    "network.rel": "Relation",
    "network.other": "Nod",
    "network.in_view": "I vyn",
    "network.url_rejected": "Okänt värde för {name} i adressen: {value}. Det används inte.",
    "network.ctx.focus": "Fokus",
    "network.ctx.depth": "djup",
    "network.ctx.labels": "Nodtyper",
    "network.ctx.expanded": "Utvidgade",
    "network.ctx.hidden": "Dolda",
    "network.ctx.date": "Datum",
    "network.ctx.datasets": "Dataset",
    "network.f.short_name": "Kortnamn",
    "network.f.org_nr": "Organisationsnummer",
    "network.f.kind": "Typ",
    "network.f.status": "Status",
    "network.f.role": "Roll",
    "network.f.date": "Datum",
    "network.f.url": "Webbadress",
    "network.f.feedback": "Besked",
    "network.f.customer_carries": "Kunden bär",
    "console.params": "Parametrar i frågan",
    "console.param_type": "Typ av {name}",
    "console.type.str": "text",
    "console.type.int": "heltal",
    "console.type.float": "decimaltal",
    "console.type.bool": "sant/falskt",
    "console.type.list": "lista",
    "console.list_help": "Kommaseparerade texter, eller en JSON-lista som [1, 2, \"a\"].",
    "console.bad_value": "Parametern {name} ({type}): {reason}",
    "console.bad_url": "Adressens konsolfråga används inte: {reason}",
    "console.graph": "Resultatet som graf",
    "console.graph_none": "Resultatets noder finns inte i den inlästa grafen.",
    "console.explore": "Utforska {name} i nätverksvyn",
    "console.link_help": "Adressen i webbläsaren återger nu frågan och dess parametrar.",
}
_EXPLORE_EN: dict[str, str] = {
    "network.how": "Click a node for its details, double-click to focus on it.",
    "network.back": "Back",
    "network.forward": "Forward",
    "network.show_hidden": "Show hidden ({n})",
    "network.refocus": "Focus here",
    "network.expand": "Show neighbours",
    "network.collapse": "Hide neighbours",
    "network.hide": "Hide the node",
    "network.field": "Field",
    "network.value": "Value",
    "network.evidence": "Evidence",
    "network.links": "Relationships ({n})",
    "network.rel": "Relationship",
    "network.other": "Node",
    "network.in_view": "In the view",
    "network.url_rejected": "Unknown value for {name} in the address: {value}. It is not used.",
    "network.ctx.focus": "Focus",
    "network.ctx.depth": "depth",
    "network.ctx.labels": "Node types",
    "network.ctx.expanded": "Expanded",
    "network.ctx.hidden": "Hidden",
    "network.ctx.date": "Date",
    "network.ctx.datasets": "Datasets",
    "network.f.short_name": "Short name",
    "network.f.org_nr": "Organisation number",
    "network.f.kind": "Kind",
    "network.f.status": "Status",
    "network.f.role": "Role",
    "network.f.date": "Date",
    "network.f.url": "Web address",
    "network.f.feedback": "Feedback",
    "network.f.customer_carries": "The customer carries",
    "console.params": "Parameters in the query",
    "console.param_type": "Type of {name}",
    "console.type.str": "text",
    "console.type.int": "integer",
    "console.type.float": "decimal",
    "console.type.bool": "true/false",
    "console.type.list": "list",
    "console.list_help": "Comma-separated texts, or a JSON list such as [1, 2, \"a\"].",
    "console.bad_value": "The parameter {name} ({type}): {reason}",
    "console.bad_url": "The address's console query is not used: {reason}",
    "console.graph": "The result as a graph",
    "console.graph_none": "The result's nodes are not in the loaded graph.",
    "console.explore": "Explore {name} in the network view",
    "console.link_help": "The address in the browser now reproduces the query and its "
                         "parameters.",
}
SV.update(_EXPLORE_SV)
EN.update(_EXPLORE_EN)

STRINGS: dict[str, dict[str, str]] = {"sv": SV, "en": EN}


def valid_lang(value: Any) -> str | None:
    """`value` if it names a language of the dashboard (from a URL: anything else is ignored)."""
    if isinstance(value, list):
        value = value[-1] if value else None
    return value if isinstance(value, str) and value in STRINGS else None


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


def has(key: str) -> bool:
    """Whether `key` is a UI string (in Swedish, which has every key)."""
    return key in SV


def column_label(column: str, lang: str | None = None) -> str:
    """A table header: the page's own `col.*` text, else the saved queries' column label
    (`queries.texts`), else the raw name (an analyst's query file may return any column)."""
    lang = lang or current_lang()
    if has(f"col.{column}"):
        return t(f"col.{column}", lang)
    return query_texts.column_label(column, lang)


KINDS_WITH_DETAIL = frozenset({"cypher_not_read_only", "memory"})
"""Kinds whose translated text is general: the library's own words say which clause or limit,
so they are shown apart as the detail too."""


def error_text(exc: Exception, lang: str | None = None) -> tuple[str, str]:
    """What the dashboard says about a library error, all in one language: (message, detail).

    The message is the text of the error's class (the nearest class with one, so a subclass
    added later still reads right), followed by the text of its kind with the exception's
    details filled in. Without a known kind the detail is the library's own (English) message,
    which the page shows apart, as quoted system output, never glued into a sentence."""
    lang = lang or current_lang()
    headline = t("error.InsiktError", lang)
    for cls in type(exc).__mro__:
        if has(f"error.{cls.__name__}"):
            headline = t(f"error.{cls.__name__}", lang)
            break
    kind = getattr(exc, "kind", "") if isinstance(exc, InsiktError) else ""
    if kind and has(f"error.kind.{kind}"):
        details = {k: _shown(v, lang) for k, v in getattr(exc, "details", {}).items()}
        try:
            detail = str(exc) if kind in KINDS_WITH_DETAIL else ""
            return f"{headline}: {t(f'error.kind.{kind}', lang).format(**details)}", detail
        except (KeyError, IndexError, ValueError):  # a raise site without some detail
            pass
    return headline + ".", str(exc)


def _shown(value: Any, lang: str) -> Any:
    if isinstance(value, float | int) and not isinstance(value, bool):
        return query_texts.number(value, lang)
    return value
