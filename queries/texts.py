"""The saved queries in both languages: titles, descriptions, parameter labels and help, and a
label for every column a query returns; and query rows made readable in one language (names
instead of ids, in the language asked for).

Kept apart from the query definitions (`queries.saved`): a query file brings its own Swedish
and English texts, a built-in query has its English description and help next to its code and
its Swedish ones here. tests/queries/test_query_texts.py fails when a query, a parameter or a
column lacks a text in either language, so a new query cannot reach the dashboard half-done.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from typing import Any

from graph.model import Label

from .types import Param, Row, SavedQuery

LANGS = ("sv", "en")

SV_DESCRIPTIONS: dict[str, str] = {
    "shared-problems": "Par av myndigheter som rapporterar samma insikter, med de insikter de "
    "delar. En specifik insikt räknas också som sin generella insikt, så två myndigheter som "
    "rapporterar olika exempel på 'Kunden får agera kurir' delar det generella problemet.",
    "overlap-matrix": "Myndighet × myndighet: hur många insikter varje par delar (specifika "
    "insikter räknas också som sina generella), hur stor varje myndighets mängd är och "
    "Jaccard-index (delade / alla). Varje par står en gång, med myndighet A före B.",
    "agency-profile": "En myndighets insikter (detalj: året den rapporterades), livshändelser "
    "(detalj: roll), principer (detalj: antagen/planerad) och de fem som liknar den mest "
    "(detalj: antal delade insikter, generella inräknade).",
    "who-does-what": "För en livshändelse: varje aktör som deltar i den eller har ett steg i "
    "kundresan, med sin roll, det första steget den har och hur många steg. I kundresans "
    "ordning; aktörer utan steg står sist.",
    "principle-coverage": "Vilka insikter varje princip tar sig an, följt av de insikter som "
    "ingen princip tar sig an (princip tom; ersatta insikter utelämnas). Bara direkta ADDRESSES "
    "räknas: en princip för en generell insikt täcker inte dess exempel här.",
    "action-gap": "Från insikt till handling: myndigheter som rapporterar en insikt som någon "
    "princip tar sig an (direkt eller genom dess generella insikt) men som inte tillämpar "
    "någon av dem, vare sig antagen eller planerad. Kolumnen principer visar vad de kan "
    "anta. Ersatta insikter utelämnas.",
    "journey": "Stegen i en livshändelses kundresa i ordning: aktören, vem som tar steget "
    "(personen, eller aktören själv, t.ex. ett automatiskt besked mellan myndigheter), om "
    "personen lämnas över till en annan aktör (överlämning: aktören skiljer sig från den i "
    "personens förra steg; steg som aktören tar själv är inga överlämningar), dokumenten "
    "personen måste bära vidare, myndighetens termer som personen måste använda, och om "
    "personen får veta först i efterhand, eller aldrig, om steget gick rätt (late).",
    "evidence": "En insikts belägg: dess källor och de källor som rapportörerna hänvisar till "
    "(detalj: webbadress), myndigheterna som rapporterar den (detalj: år; källa: "
    "rapportörens egen källa), dess generella insikt, principerna som tar sig an den eller dess "
    "generella insikt (källa: principens källa; via: den generella insikten), de källorna "
    "(principens källa; via: principen) och de dataset som definierar den (namn: titel; "
    "detalj: inläst version).",
    "provenance": "Hela kedjan bakom en insikt som stigar (nodnycklar 'Label:id' i path, "
    "relationen mellan varje par i rels, åt båda hållen): källa → insikt (kedjan source), "
    "rapportens egen källa → rapporterande myndighet → insikt (reported_by, detalj: år), "
    "insikt → generell insikt (general), insikt → (generell insikt →) princip → dess källa "
    "(principle, detalj: webbadress) och de dataset som definierar insikten (dataset, detalj: "
    "inläst version). Nodkolumnerna ritar kedjan i nätverksvyn.",
    "search": "Fritextsökning i namn, titlar, påståenden, beskrivningar och alias på svenska "
    "och engelska. Versaler och diakritiska tecken spelar ingen roll (forsakring hittar "
    "Försäkrings-), och varje ord matchar början av ett ord. På Neo4j används "
    "fritextindexet.",
}
"""Swedish descriptions of the built-in queries (their English one is `description`)."""

SV_HELP: dict[str, str] = {
    "only insights that arise in this life event (id)":
        "bara insikter som uppstår i den här livshändelsen",
    "only insights in life events of this domain (id)":
        "bara insikter i livshändelser inom den här domänen",
    "only pairs that include this agency (id)": "bara par där den här myndigheten ingår",
    "only pairs sharing at least this many insights":
        "bara par som delar minst så här många insikter",
    "the agency (id)": "myndigheten",
    "the life event (id)": "livshändelsen",
    "only the insights no principle addresses": "bara de insikter som ingen princip tar sig an",
    "only this agency (id)": "bara den här myndigheten",
    "the insight (id)": "insikten",
    "words to find": "ord att söka efter",
    "only nodes with this label, e.g. Insight":
        "bara noder med den här etiketten (som den heter i grafen, t.ex. `Insight`)",
    "at most this many hits": "högst så här många träffar",
}
"""Swedish help of the built-in parameters, by their English help (query files give both)."""

FIELDS: dict[str, tuple[str, str]] = {
    # parameters (and columns of the same name)
    "life_event": ("Livshändelse", "Life event"),
    "domain": ("Domän", "Domain"),
    "agency": ("Myndighet", "Agency"),
    "min_shared": ("Minst antal delade", "At least shared"),
    "gaps_only": ("Bara luckor", "Gaps only"),
    "insight": ("Insikt", "Insight"),
    "q": ("Sökord", "Search words"),
    "label": ("Nodtyp", "Node type"),
    "limit": ("Högst antal", "At most"),
    "general": ("Generell insikt", "General insight"),
    "from_year": ("Från år", "From year"),
    "to_year": ("Till år", "To year"),
    "min_insights": ("Minst antal insikter", "At least insights"),
    "adopted_only": ("Bara antagna principer", "Adopted principles only"),
    # columns
    "agency_a": ("Myndighet A", "Agency A"),
    "agency_a_name": ("Myndighet A", "Agency A"),
    "agency_b": ("Myndighet B", "Agency B"),
    "agency_b_name": ("Myndighet B", "Agency B"),
    "shared_count": ("Antal delade", "Number shared"),
    "shared": ("Delade insikter", "Shared insights"),
    "a_total": ("Insikter hos A", "Insights of A"),
    "b_total": ("Insikter hos B", "Insights of B"),
    "jaccard": ("Jaccard", "Jaccard"),
    "section": ("Avsnitt", "Section"),
    "id": ("Id", "Id"),
    "name": ("Namn", "Name"),
    "detail": ("Detalj", "Detail"),
    "agency_name": ("Myndighetens namn", "Agency name"),
    "agency_kind": ("Typ av aktör", "Kind of actor"),
    "kind": ("Typ", "Kind"),
    "role": ("Roll", "Role"),
    "first_step": ("Första steget", "First step"),
    "steps": ("Steg", "Steps"),
    "principle": ("Princip", "Principle"),
    "principle_name": ("Princip", "Principle"),
    "insight_title": ("Insiktens titel", "Insight title"),
    "insight_kind": ("Insiktens typ", "Insight kind"),
    "principles": ("Principer", "Principles"),
    "step_order": ("Nr", "No."),
    "step": ("Steg", "Step"),
    "action": ("Steg", "Step"),
    "action_en": ("Steg (engelska)", "Step (English)"),
    "taken_by": ("Vem tar steget", "Who takes the step"),
    "handoff": ("Överlämning", "Handoff"),
    "carries": ("Personen bär", "Person carries"),
    "agency_terms": ("Myndighetens termer", "Agency terms"),
    "feedback": ("Besked", "Feedback"),
    "late": ("Besked i efterhand", "Late feedback"),
    "source": ("Källa", "Source"),
    "via": ("Via", "Via"),
    "chain": ("Kedja", "Chain"),
    "path": ("Stig", "Path"),
    "rels": ("Relationer", "Relationships"),
    "principle_source": ("Principens källa", "Principle's source"),
    "dataset": ("Dataset", "Dataset"),
    "year": ("År", "Year"),
    "general_title": ("Generella insiktens titel", "General insight title"),
    "general_title_en": ("Generella insiktens titel (engelska)",
                         "General insight title (English)"),
    "reports": ("Rapporter", "Reports"),
    "insights": ("Insikter", "Insights"),
    "agencies": ("Myndigheter", "Agencies"),
    "first_reported": ("Först rapporterad", "First reported"),
    "insight_count": ("Antal insikter", "Number of insights"),
    # overlap paging, ranking and status (shared-problems, overlap-matrix, agency-profile)
    "include_status": ("Räkna även status", "Also count status"),
    "offset": ("Hoppa över", "Skip"),
    "top": ("Antal myndigheter", "Number of agencies"),
    "specific_count": ("Delade specifika problem", "Shared specific problems"),
    "total": ("Antal par totalt", "Pairs in total"),
    "agencies_total": ("Myndigheter totalt", "Agencies in total"),
    # shares-most-with
    "peer": ("Delar med", "Shares with"),
    "peer_name": ("Delar med", "Shares with"),
    "peer_kind": ("Typ av aktör", "Kind of actor"),
    "peer_total": ("Insikter hos den andra", "Insights of the other"),
    "agency_total": ("Insikter hos myndigheten", "Insights of the agency"),
    "specific_shared": ("Delade specifika insikter", "Shared specific insights"),
    "specific_insights": ("Samma specifika problem", "The same specific problems"),
    "shared_insights": ("Alla delade insikter", "All shared insights"),
}
"""A label for every parameter and column name of the saved queries, (Swedish, English)."""

NAME_COLUMNS: dict[str, str] = {
    "agency_a_name": "agency_a", "agency_b_name": "agency_b", "agency_name": "agency",
    "principle_name": "principle", "insight_title": "insight", "general_title": "general",
    "peer_name": "peer",
}
"""A name column and the id column it names: shown in the reader's language."""

LIST_COLUMNS: dict[str, dict[str, Label]] = {
    "shared-problems": {"shared": Label.INSIGHT},
    "action-gap": {"principles": Label.PRINCIPLE},
    "reporters-without-principles": {"insights": Label.INSIGHT},
    "shares-most-with": {"specific_insights": Label.INSIGHT, "shared_insights": Label.INSIGHT},
}
"""Per query, the columns that hold a list of node ids (shown as names)."""

ROW_LABELS: dict[str, tuple[str, dict[str, Label]]] = {
    "agency-profile": ("section", {"insight": Label.INSIGHT, "life_event": Label.LIFE_EVENT,
                                   "principle": Label.PRINCIPLE, "peer": Label.AGENCY}),
    "evidence": ("kind", {"source": Label.SOURCE, "principle_source": Label.SOURCE,
                          "reported_by": Label.AGENCY, "general": Label.INSIGHT,
                          "principle": Label.PRINCIPLE}),
    "search": ("label", {lb.value: lb for lb in Label}),
}
"""Queries whose `id`/`name` columns name a node whose label a row column tells."""

CELL_LABELS: dict[str, dict[str, dict[str, Label]]] = {
    "evidence": {
        "source": {"reported_by": Label.SOURCE, "principle": Label.SOURCE},
        "via": {"principle": Label.INSIGHT, "principle_source": Label.PRINCIPLE},
    },
}
"""Per query, columns of node ids that the query does not declare as node columns, with the
label of the id by the value of the row's label column (`ROW_LABELS`)."""

_KINDS: dict[str, tuple[str, str]] = {
    # an agency's kind (who-does-what)
    "statlig": ("statlig", "state agency"), "region": ("region", "region"),
    "kommun": ("kommun", "municipality"), "annan": ("annan aktör", "other actor"),
    # an insight's kind
    "general": ("generell", "general"), "specific": ("specifik", "specific"),
    # a row of evidence
    "source": ("källa", "source"), "reported_by": ("rapporteras av", "reported by"),
    "principle": ("princip", "principle"), "principle_source": ("principens källa",
                                                                "principle's source"),
    "dataset": ("dataset", "dataset"),
}
VALUES: dict[str, dict[str, tuple[str, str]]] = {
    "kind": _KINDS,
    "insight_kind": _KINDS,
    "chain": _KINDS,
    "section": {"insight": ("insikt", "insight"), "life_event": ("livshändelse", "life event"),
                "principle": ("princip", "principle"),
                "peer": ("myndighet som delar mest", "closest peer")},
    "detail": {"adopted": ("antagen", "adopted"), "planned": ("planerad", "planned")},
    "taken_by": {"person": ("personen", "the person"), "actor": ("aktören själv",
                                                                 "the actor alone")},
    "feedback": {"immediate": ("direkt", "immediate"), "delayed": ("i efterhand", "later"),
                 "none": ("inget besked", "none")},
    "label": {"Agency": ("Myndighet/aktör", "Agency/actor"), "Domain": ("Domän", "Domain"),
              "LifeEvent": ("Livshändelse", "Life event"), "Source": ("Källa", "Source"),
              "Insight": ("Insikt", "Insight"), "Principle": ("Princip", "Principle"),
              "JourneyStep": ("Steg i kundresan", "Journey step")},
}
"""The words for the fixed values of some columns (the data's own enums, such as an evidence
row's kind): shown in the reader's language; any other value as it is."""

HIDDEN_IN_VIEW = frozenset({"action_en", "general_title_en"})
"""Columns the readable view drops: their language is the name column's other language."""


def _pick(lang: str, sv: str, en: str) -> str:
    return en if lang == "en" else sv


def title(q: SavedQuery, lang: str) -> str:
    return _pick(lang, q.title_sv, q.title_en)


def description(q: SavedQuery, lang: str) -> str:
    """The query's description in `lang` ('' when it has none there: the test forbids it)."""
    sv = q.description_sv or SV_DESCRIPTIONS.get(q.name, "")
    return _pick(lang, sv, q.description)


def field_label(name: str, lang: str) -> str | None:
    """The label of a parameter or column name, or None when the catalog has none."""
    pair = FIELDS.get(name)
    return None if pair is None else _pick(lang, *pair)


def param_label(p: Param, lang: str) -> str:
    return field_label(p.name, lang) or p.name


def param_help(p: Param, lang: str) -> str:
    """The parameter's help in `lang` ('' when it has none there)."""
    return _pick(lang, p.help_sv or SV_HELP.get(p.help, ""), p.help)


def column_label(name: str, lang: str, *, is_id: bool = False) -> str:
    """The header of a query column (the raw name for an analyst's own query file's column);
    with `is_id`, marked as the column of ids ("Myndighet (id)")."""
    label = field_label(name, lang) or name
    return f"{label} (id)" if is_id and not label.endswith("(id)") else label


def id_columns(q: SavedQuery, columns: Sequence[str]) -> set[str]:
    """The node columns that stay ids in the readable view: those whose node a name column
    beside them names, and journey steps (their name is the step's text, a column of its
    own). The other node columns show names (`readable_rows`)."""
    named = {NAME_COLUMNS[c] for c in columns if c in NAME_COLUMNS}
    return {c for c, label in q.node_columns.items()
            if c in columns and (c in named or label == Label.JOURNEY_STEP)}


NameOf = Callable[[Label | str, str], str]


def readable_rows(q: SavedQuery, rows: Sequence[Row], columns: Sequence[str],
                  name_of: NameOf, lang: str = "sv") -> tuple[list[str], list[Row]]:
    """The rows as a reader sees them: name columns name their node in the reader's language
    (`name_of`, e.g. `views.Names.get`), so do node columns without a name column beside them,
    list columns of ids become lists of names, the data's fixed values (`VALUES`) read in
    `lang`, and the other language's duplicate columns go.
    Ids stay where a name column names them (`id_columns`); the JSON download keeps the raw
    rows."""
    lists = LIST_COLUMNS.get(q.name, {})
    by_row = ROW_LABELS.get(q.name)
    shown = [c for c in columns if c not in HIDDEN_IN_VIEW]
    keep = id_columns(q, columns)
    named = {c: label for c, label in q.node_columns.items() if c in shown and c not in keep}
    out: list[Row] = []
    for r in rows:
        new = {c: r.get(c) for c in shown}
        for col, id_col in NAME_COLUMNS.items():
            label = q.node_columns.get(id_col)
            if col in new and label is not None and r.get(id_col) is not None:
                new[col] = name_of(label, str(r[id_col]))
        for col, label in named.items():
            if r.get(col) is not None:
                new[col] = name_of(label, str(r[col]))
        for col, label in lists.items():
            values = new.get(col)
            if isinstance(values, list | tuple):
                new[col] = [name_of(label, str(v)) for v in values]
        for col, by_value in CELL_LABELS.get(q.name, {}).items():
            cell_label = by_value.get(str(r.get(by_row[0]))) if by_row else None
            if cell_label is not None and r.get(col):
                new[col] = name_of(cell_label, str(r[col]))
        if by_row is not None and "name" in new and r.get("id") is not None:
            label_col, labels = by_row
            row_label = labels.get(str(r.get(label_col)))
            if row_label is not None:
                new["name"] = name_of(row_label, str(r["id"]))
        for col, words in VALUES.items():
            pair = words.get(str(new.get(col))) if col in new else None
            if pair is not None:
                new[col] = _pick(lang, *pair)
        out.append(new)
    return shown, out


def missing_texts(queries: Iterable[SavedQuery],
                  columns: Mapping[str, Sequence[str]] | None = None) -> list[str]:
    """Every text a query, parameter or column lacks in either language (for the test)."""
    out = []
    for q in queries:
        for lang in LANGS:
            if not title(q, lang).strip():
                out.append(f"{q.name}: title ({lang})")
            if not description(q, lang).strip():
                out.append(f"{q.name}: description ({lang})")
            for p in q.params:
                if field_label(p.name, lang) is None:
                    out.append(f"{q.name}: parameter {p.name}: label ({lang})")
                if not param_help(p, lang).strip():
                    out.append(f"{q.name}: parameter {p.name}: help ({lang})")
        for c in (columns or {}).get(q.name, q.columns):
            if c not in FIELDS:
                out.append(f"{q.name}: column {c}: label")
    return out


def readable_value(value: Any, sep: str = "; ") -> Any:
    """A list cell as one text (the tables' convention)."""
    if isinstance(value, list | tuple | set):
        return sep.join(str(v) for v in value)
    return value


# -- numbers -------------------------------------------------------------------------------

LOCALES = {"sv": "sv_SE", "en": "en_GB"}


def number(value: float | int, lang: str, decimals: int = 3) -> str:
    """A number as the language writes it (Babel: 0,158 and 12 345 in Swedish, 0.158 and
    12,345 in English), with at most `decimals` decimals and no trailing zeros."""
    from babel.numbers import format_decimal

    fmt = "#,##0" + ("." + "#" * decimals if decimals > 0 else "")
    return str(format_decimal(value, format=fmt, locale=LOCALES.get(lang, "sv_SE")))


def fixed(value: float | int, lang: str, decimals: int) -> str:
    """A number with exactly `decimals` decimals (0,500), for figures shown side by side."""
    from babel.numbers import format_decimal

    fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "")
    return str(format_decimal(value, format=fmt, locale=LOCALES.get(lang, "sv_SE")))


def percent(share: float, lang: str, decimals: int = 1) -> str:
    """A share (0.158) as a percentage in the language's style (15,8 % / 15.8%)."""
    from babel.numbers import format_percent

    # Swedish puts a (non-breaking) space before the sign, as Babel's own sv pattern does.
    sign = "\u00a0%" if lang == "sv" else "%"
    fmt = "#,##0" + ("." + "0" * decimals if decimals > 0 else "") + sign
    return str(format_percent(share, format=fmt, locale=LOCALES.get(lang, "sv_SE")))
