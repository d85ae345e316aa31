"""The synthetic dataset generator behind `insikt generate`, for tests and benchmarks.

"Scale N" is N × the seed's 38 specific insights, reported by all the agencies of ESV's
register (365) when one is given, else by as many made-up ones (realistic names, valid org
nrs in a series no real organisation is meant to use). The shape is meant to look like the
real thing at national size, so that queries meet the same skew the seed hints at:

* Reporter counts follow a power law: most problems are reported by one or two agencies, a
  few by dozens. Big agencies (by employees in the register) report more.
* Life events (up to the 34 in `LIFE_EVENTS`), domains, sources, the five general insights
  of the seed, principles (some addressing insights, some applied by agencies, some neither)
  and journeys with steps, documents carried and late feedback.
* With `datasets=K`, the same world is split over K datasets that name shared agencies
  differently (another id from the short name, the English or an old name; with or without
  the org nr). Each is valid on its own; `agency-mapping.json` beside them says which local
  ids are one agency (the ground truth for agency resolution, issue 10).

Everything is drawn from one `random.Random(seed)` and written in a fixed order, so the same
arguments give the same bytes. Every entry but the register's agencies is marked
`illustrative: true`. The older `loaders.synthetic.build_large_dataset` stays as the tests'
fixed large dataset; new callers use `generate` (or `generate_entries` in memory).
"""

from __future__ import annotations

import itertools
import json
import math
import random
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from stdnum import luhn

from graph.errors import InsiktError, ValidationFailed
from graph.ids import org_nr_problem, slugify
from graph.model import DatasetMeta

from .register import read_register

SEED_SPECIFIC_INSIGHTS = 38
"""Specific insights in the seed data: scale 1 is this many."""
SYNTHETIC_AGENCIES = 365
"""Agencies made up when no register is given (as many as ESV's register has)."""
REGISTER_SOURCE_ID = "esv-myndighetsregister"
"""The register's source id, the same as `insikt import-register` uses, so both meet."""
MAPPING_FILE = "agency-mapping.json"
NOTE = "Syntetisk, skapad av insikt generate."
REPORTER_EXPONENT = 2.0
"""P(k reporters) ∝ k^-a: about 60 % of problems have one reporter, 5 % have 10 or more."""

Entries = dict[str, list[dict[str, Any]]]
Progress = Callable[[str], None]

# -- vocabulary -------------------------------------------------------------------------------

GENERAL = [  # the seed's five general insights (eSam, 2017), with the same ids
    ("svart-att-veta-vem-som-gor-vad", "Svårt att veta vem som gör vad",
     "Hard to know who does what"),
    ("kunden-blir-sin-egen-projektledare", "Kunden blir sin egen projektledare",
     "The customer becomes their own project manager"),
    ("omojligt-att-lara-sig-myndighetska", "Det är omöjligt att lära sig 'myndighetska'",
     "It is impossible to learn 'officialese'"),
    ("kunden-far-agera-kurir", "Kunden får agera kurir", "The customer has to act as courier"),
    ("far-veta-forst-i-efterhand", "Får veta först i efterhand att man gjort fel",
     "Finds out only afterwards that something went wrong"),
]

DOMAINS = [
    ("halsa", "Hälsa", "Health"), ("familj", "Familj", "Family"),
    ("pension", "Pension", "Pension"), ("arbete", "Arbete", "Work"),
    ("foretagande", "Företagande", "Running a business"),
    ("migration-och-flytt", "Migration och flytt", "Migration and moving"),
    ("bostad", "Bostad", "Housing"), ("utbildning", "Utbildning", "Education"),
    ("trygghet", "Trygghet och rättsväsende", "Safety and justice"),
    ("trafik", "Trafik och resor", "Transport and travel"),
]

LIFE_EVENTS = [  # (name, English name, domain); the first eight are the seed's
    ("När någon har dött", "When someone has died", "familj"),
    ("Starta företag", "Starting a business", "foretagande"),
    ("Anställa personal", "Hiring staff", "foretagande"),
    ("Flytta till Sverige", "Moving to Sweden", "migration-och-flytt"),
    ("Gå i pension", "Retiring", "pension"),
    ("Få barn", "Having a child", "familj"),
    ("Bli arbetslös", "Becoming unemployed", "arbete"),
    ("Bli sjuk", "Falling ill", "halsa"),
    ("Flytta inom Sverige", "Moving within Sweden", "migration-och-flytt"),
    ("Flytta utomlands", "Moving abroad", "migration-och-flytt"),
    ("Gifta sig", "Getting married", "familj"),
    ("Separera", "Separating", "familj"),
    ("Vårda en närstående", "Caring for a relative", "halsa"),
    ("Få en funktionsnedsättning", "Acquiring a disability", "halsa"),
    ("Börja arbeta", "Starting work", "arbete"),
    ("Byta jobb", "Changing jobs", "arbete"),
    ("Avveckla företag", "Closing a business", "foretagande"),
    ("Exportera varor", "Exporting goods", "foretagande"),
    ("Planera för pensionen", "Planning for retirement", "pension"),
    ("Köpa bostad", "Buying a home", "bostad"),
    ("Bygga hus", "Building a house", "bostad"),
    ("Hyra bostad", "Renting a home", "bostad"),
    ("Börja skolan", "Starting school", "utbildning"),
    ("Studera på högskola", "Studying at university", "utbildning"),
    ("Studera som vuxen", "Studying as an adult", "utbildning"),
    ("Utsättas för brott", "Becoming a victim of crime", "trygghet"),
    ("Drabbas av en kris", "Being hit by a crisis", "trygghet"),
    ("Ta körkort", "Getting a driving licence", "trafik"),
    ("Köpa bil", "Buying a car", "trafik"),
    ("Resa utomlands", "Travelling abroad", "trafik"),
    ("Fylla 18 år", "Turning 18", "familj"),
    ("Adoptera", "Adopting a child", "familj"),
    ("Bli sjukskriven", "Going on sick leave", "halsa"),
    ("Driva lantbruk", "Running a farm", "foretagande"),
]

PROBLEMS = [  # (Swedish, English, index into GENERAL): concrete problems and what they show
    ("Kunden måste lämna samma uppgifter till flera myndigheter",
     "The customer must give the same information to several agencies", 3),
    ("Kunden får ett intyg som ska lämnas vidare till en annan aktör",
     "The customer gets a certificate to pass on to another actor", 3),
    ("Blanketten finns bara på papper", "The form exists only on paper", 3),
    ("Det är oklart vem som ansvarar för nästa steg",
     "It is unclear who is responsible for the next step", 0),
    ("Informationen skiljer sig mellan myndigheternas webbplatser",
     "The information differs between the agencies' websites", 0),
    ("Kunden vet inte vilken myndighet som ska kontaktas först",
     "The customer does not know which agency to contact first", 0),
    ("Kunden får själv hålla ordning på tidsfrister hos flera aktörer",
     "The customer must keep track of deadlines at several actors", 1),
    ("Kunden måste samordna beslut från flera myndigheter",
     "The customer must coordinate decisions from several agencies", 1),
    ("Ärendet står still tills kunden själv hör av sig",
     "The case stalls until the customer gets in touch", 1),
    ("Beslutet är skrivet så att det är svårt att förstå",
     "The decision is written so that it is hard to understand", 2),
    ("Begreppen betyder olika saker hos olika myndigheter",
     "The terms mean different things at different agencies", 2),
    ("E-tjänsten förutsätter att kunden kan regelverket",
     "The e-service assumes the customer knows the rules", 2),
    ("Kunden får veta först efter flera veckor att ansökan var ofullständig",
     "The customer learns only weeks later that the application was incomplete", 4),
    ("Ett fel i ansökan upptäcks först vid utbetalningen",
     "A mistake in the application is found only at payout", 4),
    ("Kunden får återbetalningskrav långt i efterhand",
     "The customer gets a repayment demand long afterwards", 4),
    ("Handläggningstiden är svår att förutse", "The processing time is hard to predict", 1),
    ("E-tjänsten kräver e-legitimation som många saknar",
     "The e-service needs an e-ID that many do not have", 2),
    ("Kunden får inget besked om att ärendet har kommit in",
     "The customer gets no word that the case has arrived", 4),
    ("Uppgifter som myndigheten redan har efterfrågas igen",
     "Information the agency already holds is asked for again", 3),
    ("Kunden hänvisas mellan myndigheter utan att få svar",
     "The customer is referred between agencies without an answer", 0),
]

SOURCE_KINDS = [("report", 30), ("workshop", 15), ("article", 15), ("survey", 10),
                ("interview", 10), ("guidance", 10), ("dataset", 5), ("law", 5)]
SOURCE_TITLES = {"report": "Rapport om kundresan vid {le}", "workshop": "Workshop om {le}",
                 "article": "Artikel om {le}", "survey": "Enkät om {le}",
                 "interview": "Intervjuer om {le}", "guidance": "Vägledning vid {le}",
                 "dataset": "Ärendestatistik om {le}", "law": "Regelverket vid {le}"}

PRINCIPLES = [  # (Swedish, English, index into GENERAL the principle answers)
    ("Uppgifter ska bara behöva lämnas en gång", "Information only needs to be given once", 3),
    ("Ingen fel dörr", "No wrong door", 0),
    ("En väg in", "One way in", 0),
    ("Använd ett språk som användarna förstår", "Use language that users understand", 2),
    ("Proaktiva besked", "Proactive notices", 4),
    ("Kunden ser sitt ärende", "The customer can see their case", 1),
    ("Samordnad kontaktperson", "A coordinating contact person", 1),
    ("Besked i tid", "Timely answers", 4),
    ("Myndigheten hämtar själv uppgifter", "The agency obtains the information itself", 3),
    ("Förklara beslut", "Explain decisions", 2),
    ("Samverka som förstahandsval", "Collaborate as the first choice", 0),
    ("Gör administrationen enkel", "Keep administration simple", 1),
]

STEP_ACTIONS = [("Anmäler", "Reports"), ("Ansöker om", "Applies for"),
                ("Får beslut om", "Gets a decision on"), ("Lämnar intyg om", "Hands in proof of"),
                ("Registrerar", "Registers"), ("Bokar möte om", "Books a meeting about"),
                ("Får utbetalning för", "Receives payment for"),
                ("Kompletterar uppgifter om", "Adds information on")]
DOCUMENTS = ["Intyg", "Personbevis", "Läkarintyg", "Bouppteckning", "Anställningsbevis",
             "Pass", "Beslut", "Kontoutdrag", "Registreringsbevis", "Hyresavtal"]
ROLES = ["beslutar", "informerar", "betalar ut", "registrerar", "handlägger", "kontrollerar"]

# Made-up agency names: a form and a topic (Swedish and English).
_FORMS = [("Myndigheten för {t}", "Agency for {t}"), ("Nämnden för {t}", "Board for {t}"),
          ("Rådet för {t}", "Council for {t}"), ("Centrum för {t}", "Centre for {t}"),
          ("Institutet för {t}", "Institute for {t}"),
          ("Inspektionen för {t}", "Inspectorate for {t}"),
          ("Delegationen för {t}", "Delegation for {t}"),
          ("Statens råd för {t}", "State council for {t}"),
          ("Verket för {t}", "Office for {t}")]
_TOPICS = [("vattenvård", "water management"), ("kulturarv", "cultural heritage"),
           ("digital service", "digital service"), ("hållbart byggande", "sustainable building"),
           ("ungdomsfrågor", "youth affairs"), ("sjösäkerhet", "maritime safety"),
           ("livsmedelskontroll", "food control"), ("kollektivtrafik", "public transport"),
           ("folkbildning", "adult education"), ("konsumentskydd", "consumer protection"),
           ("arbetsmiljö", "the working environment"), ("skogsvård", "forestry"),
           ("djurskydd", "animal welfare"), ("kemikaliekontroll", "chemicals control"),
           ("bostadsförsörjning", "housing supply"), ("krisberedskap", "crisis preparedness"),
           ("integration", "integration"), ("jämställdhet", "gender equality"),
           ("tillgänglighet", "accessibility"), ("vägtrafik", "road traffic"),
           ("energiomställning", "the energy transition"), ("havsmiljö", "the marine environment"),
           ("patientsäkerhet", "patient safety"), ("läkemedelsfrågor", "medicines"),
           ("studiestöd", "student finance"), ("yrkesutbildning", "vocational training"),
           ("statistik", "statistics"), ("arkivfrågor", "archives"),
           ("forskningsfinansiering", "research funding"), ("exportstöd", "export support"),
           ("landsbygdsutveckling", "rural development"), ("fiskevård", "fisheries"),
           ("geodata", "geodata"), ("klimatanpassning", "climate adaptation"),
           ("mediefrågor", "media"), ("brottsförebyggande arbete", "crime prevention"),
           ("kriminalvård", "correctional services"), ("sjukförsäkring", "sickness insurance"),
           ("pensionsfrågor", "pensions"), ("tullfrågor", "customs"),
           ("upphandling", "public procurement"), ("folkhälsa", "public health"),
           ("idrott", "sport"), ("kulturstöd", "arts funding"), ("rymdverksamhet", "space")]
_ORG_NR_SERIES = "2999"
"""Made-up org nrs are 2999NN-NNNC (C a valid check digit): no real authority is meant."""


# -- the world --------------------------------------------------------------------------------

@dataclass
class WorldAgency:
    """An agency as it really is; datasets may name it differently (`Naming`)."""

    id: str
    name: str
    name_en: str | None
    short_name: str | None
    org_nr: str | None
    aliases: list[str]
    weight: float
    from_register: bool


@dataclass
class World:
    """Every entity, with canonical ids, before it is split into datasets."""

    agencies: list[WorldAgency]
    domains: list[dict[str, Any]]
    life_events: list[dict[str, Any]]
    sources: list[dict[str, Any]]
    insights: list[dict[str, Any]]
    principles: list[dict[str, Any]]
    journeys: list[dict[str, Any]]


def _zipf(rnd: random.Random, cum: Sequence[float]) -> int:
    """A value 1..len(cum) drawn with the cumulative weights `cum`."""
    return rnd.choices(range(1, len(cum) + 1), cum_weights=cum)[0]


def _cum_power(n: int, exponent: float) -> list[float]:
    out, total = [], 0.0
    for k in range(1, n + 1):
        total += k ** -exponent
        out.append(total)
    return out


def _weighted_sample(rnd: random.Random, items: Sequence[str], weights: Sequence[float],
                     k: int) -> list[str]:
    """`k` distinct items, each drawn with its weight (Efraimidis–Spirakis for large k)."""
    k = min(k, len(items))
    if k <= 8:
        out: dict[str, None] = {}
        cum = []
        total = 0.0
        for w in weights:
            total += w
            cum.append(total)
        for _ in range(k * 20):
            out[rnd.choices(items, cum_weights=cum)[0]] = None
            if len(out) == k:
                break
        return list(out)
    keys = sorted(((rnd.random() ** (1.0 / w), i) for i, w in enumerate(weights)), reverse=True)
    return [items[i] for _, i in keys[:k]]


LOCAL_BOOST = 5.0
"""How much likelier a life event's own agencies are to report one of its problems."""


def _reporters(rnd: random.Random, ids: Sequence[str], weights: Sequence[float],
               global_cum: Sequence[float], local: Sequence[str], index: dict[str, int],
               k: int) -> list[str]:
    """`k` distinct agencies, each weighted by size and `LOCAL_BOOST` times that when it takes
    part in the problem's life events. Small k (nearly all) draws from the mixture of all
    agencies and the local ones, without building a weight list per problem."""
    k = min(k, len(ids))
    if k > 8:
        boosted = dict.fromkeys(local)
        return _weighted_sample(rnd, ids, [w * (LOCAL_BOOST if a in boosted else 1.0)
                                           for a, w in zip(ids, weights, strict=True)], k)
    local_cum = list(itertools.accumulate(weights[index[a]] * (LOCAL_BOOST - 1) for a in local))
    total = global_cum[-1] + (local_cum[-1] if local_cum else 0.0)
    out: dict[str, None] = {}
    for _ in range(k * 20):
        if local_cum and rnd.random() * total >= global_cum[-1]:
            out[rnd.choices(local, cum_weights=local_cum)[0]] = None
        else:
            out[rnd.choices(ids, cum_weights=global_cum)[0]] = None
        if len(out) == k:
            break
    return list(out)


def _clean_name(text: Any) -> str:
    return str(text or "").replace("_x000D_", "").strip()


def _register_agencies(path: Path) -> list[WorldAgency]:
    """The register's agencies with the ids `insikt import-register` gives them."""
    doc = read_register(path)
    out: list[WorldAgency] = []
    used_ids: set[str] = set()
    used_nrs: set[str] = set()
    for name, entry in sorted(doc.items()):
        agency_id = slugify(name)
        if agency_id in used_ids:
            agency_id = f"{agency_id}-{entry.get('id', len(used_ids))}"
        used_ids.add(agency_id)
        nr = entry.get("org_nr") or None
        if not isinstance(nr, str) or org_nr_problem(nr) or nr in used_nrs:
            nr = None  # one org nr, one agency per dataset (the register has a few twins)
        else:
            used_nrs.add(nr)
        employees = entry.get("employees") or {}
        size = employees[max(employees)] if isinstance(employees, dict) and employees else 20
        weight = math.sqrt(max(float(size), 1.0)) * (0.2 if entry.get("end") else 1.0)
        name_en = _clean_name(entry.get("name_en"))
        aliases = [a for a in (_clean_name(x) for x in entry.get("old_names") or [])
                   if a and a != name]
        out.append(WorldAgency(agency_id, name, name_en if name_en not in ("", "?") else None,
                               _clean_name(entry.get("short_name")) or None, nr,
                               list(dict.fromkeys(aliases)), weight, True))
    return out


def _initials(text: str) -> str:
    return "".join(w[0] for w in text.replace("-", " ").split() if w[0].isalpha()).upper()


def synthetic_org_nr(n: int) -> str:
    """A made-up but valid org nr (`NNNNNN-NNNN`, Luhn check digit) in the 2999 series."""
    nine = f"{_ORG_NR_SERIES}{n:05d}"
    nr = f"{nine[:6]}-{nine[6:]}{luhn.calc_check_digit(nine)}"
    assert org_nr_problem(nr) is None, nr
    return nr


def _synthetic_agencies(rnd: random.Random, count: int) -> list[WorldAgency]:
    """Made-up agencies: unique names, English names, short names, some old names."""
    combos = [(f, t) for t in _TOPICS for f in _FORMS]
    if count > len(combos):
        raise InsiktError(f"the generator can make up at most {len(combos)} agencies")
    chosen = rnd.sample(combos, count)
    numbers = rnd.sample(range(100_000), count)
    out = []
    for (form, topic), n in sorted(zip(chosen, numbers, strict=True),
                                   key=lambda c: c[0][0][0].format(t=c[0][1][0])):
        name = form[0].format(t=topic[0])
        old_form = rnd.choice(_FORMS)
        aliases = [old_form[0].format(t=topic[0])] if rnd.random() < 0.25 and \
            old_form != form else []
        out.append(WorldAgency(slugify(name), name, form[1].format(t=topic[1]),
                               _initials(name), synthetic_org_nr(n), aliases,
                               math.sqrt(rnd.lognormvariate(5.0, 1.5)) + 1.0, False))
    return out


def _source(rnd: random.Random, i: int, le: dict[str, Any], agencies: list[WorldAgency],
            weights: list[float]) -> dict[str, Any]:
    kind = rnd.choices([k for k, _ in SOURCE_KINDS], [w for _, w in SOURCE_KINDS])[0]
    year = rnd.randint(2012, 2025)
    date = str(year) if rnd.random() < 0.5 else f"{year}-{rnd.randint(1, 12):02d}"
    publisher = rnd.choices(agencies, weights)[0].id
    return {"id": f"kalla-{i + 1}", "title": SOURCE_TITLES[kind].format(le=le["name"].lower()) +
            f" ({date})", "kind": kind, "date": date, "publisher": publisher,
            "illustrative": True, "note": NOTE}


def build_world(scale: int, seed: int, register: Path | None = None) -> World:
    """Every entity of a generated national picture at `scale`, from `seed` alone (and the
    register's content when given)."""
    if scale < 1:
        raise InsiktError(f"scale must be 1 or more, not {scale}")
    rnd = random.Random(seed)
    agencies = (_register_agencies(register) if register is not None
                else _synthetic_agencies(rnd, SYNTHETIC_AGENCIES))
    ids = [a.id for a in agencies]
    weights = [a.weight for a in agencies]

    n_le = min(len(LIFE_EVENTS), round(8 * scale ** 0.25))
    life_events: list[dict[str, Any]] = []
    le_weights = [1.0 / (r + 1) ** 0.7 for r in range(n_le)]
    size_cum = _cum_power(25, 1.2)
    for name, name_en, domain in LIFE_EVENTS[:n_le]:
        members = _weighted_sample(rnd, ids, weights, 2 + _zipf(rnd, size_cum))
        life_events.append({"id": slugify(name), "name": name, "name_en": name_en,
                            "domain": domain, "agencies": [
                                {"agency": a, "role": rnd.choice(ROLES)} for a in members],
                            "sources": [], "illustrative": True, "note": NOTE})
    used_domains = list(dict.fromkeys(le["domain"] for le in life_events))
    domains = [{"id": d, "name": sv, "name_en": en} for d, sv, en in DOMAINS
               if d in used_domains]

    n_src = max(12, round(42 * scale ** 0.5))
    sources = []
    le_sources: dict[str, list[str]] = {le["id"]: [] for le in life_events}
    for i in range(n_src):
        le = life_events[i % n_le] if i < n_le else rnd.choices(life_events, le_weights)[0]
        src = _source(rnd, i, le, agencies, weights)
        sources.append(src)
        le_sources[le["id"]].append(src["id"])
    for le in life_events:
        le["sources"] = le_sources[le["id"]][:1]
    if register is not None:
        sources.append({"id": REGISTER_SOURCE_ID,
                        "title": "ESV:s myndighetsregister (via civictechsweden/myndighetsdata)",
                        "kind": "dataset", "url": "https://github.com/civictechsweden/myndighetsdata"})

    le_ids = [le["id"] for le in life_events]
    members_of = {le["id"]: [p["agency"] for p in le["agencies"]] for le in life_events}
    insights: list[dict[str, Any]] = [
        {"id": gid, "title": sv, "title_en": en, "kind": "general", "life_events": le_ids,
         "sources": [sources[0]["id"]], "illustrative": True,
         "note": "Titeln är seedens generella insikt (eSam 2017); kopplingarna är syntetiska."}
        for gid, sv, en in GENERAL]
    reporter_cum = _cum_power(len(ids) // 2, REPORTER_EXPONENT)
    global_cum = list(itertools.accumulate(weights))
    titles_seen: dict[tuple[int, str], int] = {}
    index = {a: i for i, a in enumerate(ids)}
    for i in range(SEED_SPECIFIC_INSIGHTS * scale):
        n_ev = rnd.choices([1, 2, 3], [70, 25, 5])[0]
        events = list(dict.fromkeys(rnd.choices(le_ids, le_weights, k=n_ev)))
        p = rnd.randrange(len(PROBLEMS))
        sv, en, general = PROBLEMS[p]
        instance_of = [GENERAL[general][0]]
        if rnd.random() < 0.25:
            instance_of.append(GENERAL[rnd.choice([g for g in range(5) if g != general])][0])
        # Reporters: the life events' agencies are five times as likely as the rest.
        local = list(dict.fromkeys(a for e in events for a in members_of[e]))
        reporters = sorted(_reporters(rnd, ids, weights, global_cum, local, index,
                                      _zipf(rnd, reporter_cum)), key=index.__getitem__)
        topical = [s for e in events for s in le_sources[e]] or [sources[0]["id"]]
        reported = []
        for a in reporters:
            rep: dict[str, Any] = {"agency": a, "source": rnd.choice(topical)}
            if rnd.random() < 0.8:
                rep["year"] = rnd.randint(2012, 2025)
            reported.append(rep)
        le_name = next(le["name"] for le in life_events if le["id"] == events[0])
        seen = titles_seen[(p, events[0])] = titles_seen.get((p, events[0]), 0) + 1
        suffix = f" ({seen})" if seen > 1 else ""
        item: dict[str, Any] = {
            "id": f"insikt-{i + 1}", "title": f"{sv} – {le_name.lower()}{suffix}",
            "title_en": f"{en} – {LIFE_EVENTS[le_ids.index(events[0])][1].lower()}{suffix}",
            "kind": "specific", "instance_of": instance_of, "life_events": events,
            "reported_by": reported, "sources": [reported[0]["source"]]}
        status = rnd.choices(["active", "proposed", "disputed", "superseded"], [90, 6, 3, 1])[0]
        if status == "superseded" and i > 0:
            item["status"] = status
            item["superseded_by"] = f"insikt-{rnd.randint(1, i)}"
        elif status in ("proposed", "disputed"):
            item["status"] = status
        item.update(illustrative=True, note=NOTE)
        insights.append(item)

    specific_of: dict[str, list[str]] = {g[0]: [] for g in GENERAL}
    for item in insights[len(GENERAL):]:
        specific_of[item["instance_of"][0]].append(item["id"])
    n_pr = max(5, round(17 * scale ** 0.5))
    address_cum = _cum_power(60, 1.3)
    apply_cum = _cum_power(40, 1.1)
    principles = []
    for i in range(n_pr):
        sv, en, general = PRINCIPLES[i % len(PRINCIPLES)]
        round_no = i // len(PRINCIPLES)
        if round_no:  # "… vid <life event>", and a number once every life event is used
            le = life_events[(round_no - 1) % n_le]
            cycle = (round_no - 1) // n_le
            extra = f" {cycle + 1}" if cycle else ""
            sv = f"{sv} vid {le['name'].lower()}{extra}"
            en = f"{en} – {le['name_en'].lower()}{extra}"
        entry: dict[str, Any] = {"id": slugify(sv), "name": sv, "name_en": en,
                                 "source": rnd.choice(sources[:n_src])["id"]}
        if rnd.random() < 0.75:
            pool = specific_of[GENERAL[general][0]]
            picked = rnd.sample(pool, min(len(pool), _zipf(rnd, address_cum)))
            entry["addresses"] = ([GENERAL[general][0]] if rnd.random() < 0.4 else []) + picked
        if rnd.random() < 0.65:
            appliers = _weighted_sample(rnd, ids, weights, _zipf(rnd, apply_cum))
            entry["applied_by"] = [{"agency": a, "status": rnd.choices(
                ["adopted", "planned"], [70, 30])[0]} for a in sorted(appliers, key=index.__getitem__)]
        entry.update(illustrative=True, note=NOTE)
        principles.append(entry)

    journeys = []
    for le in life_events:
        if le is not life_events[0] and rnd.random() >= 0.75:
            continue
        actors = [p["agency"] for p in le["agencies"]]
        steps = []
        for k in range(rnd.randint(3, 9)):
            verb, verb_en = rnd.choice(STEP_ACTIONS)
            step: dict[str, Any] = {"id": f"{le['id']}-steg-{k + 1}", "agency": rnd.choice(actors),
                                    "action": f"{verb} {le['name'].lower()}",
                                    "action_en": f"{verb_en} {le['name_en'].lower()}"}
            if rnd.random() < 0.4:
                step["customer_carries"] = rnd.sample(DOCUMENTS, rnd.choice([1, 1, 2]))
            feedback = rnd.choices(["immediate", "delayed", "none"], [55, 35, 10])[0]
            if feedback != "immediate":
                step["feedback"] = feedback
            steps.append(step)
        journeys.append({"life_event": le["id"], "sources": le["sources"], "steps": steps,
                         "illustrative": True, "note": NOTE})
    return World(agencies, domains, life_events, sources, insights, principles, journeys)


# -- splitting the world into datasets ----------------------------------------------------------

@dataclass(frozen=True)
class Naming:
    """How one dataset names one agency: the local id and the fields it writes."""

    id: str
    entry: dict[str, Any]
    style: str
    """canonical (as the register), short (an id from the short name, same org nr) or
    variant (another name, no org nr)."""


def _canonical(a: WorldAgency) -> dict[str, Any]:
    entry: dict[str, Any] = {"id": a.id, "name": a.name}
    for key, value in (("name_en", a.name_en), ("short_name", a.short_name),
                       ("org_nr", a.org_nr), ("aliases", a.aliases)):
        if value:
            entry[key] = value
    if a.from_register:
        entry["source"] = REGISTER_SOURCE_ID
    else:
        entry.update(illustrative=True, note=NOTE)
    return entry


def _namings(rnd: random.Random, agencies: list[WorldAgency], canonical: bool) -> dict[str, Naming]:
    """One dataset's names for every agency (all canonical in the first dataset)."""
    out: dict[str, Naming] = {}
    taken = {a.id for a in agencies}
    for a in agencies:
        style = "canonical" if canonical else rnd.choices(
            ["canonical", "short", "variant"], [40, 30, 30])[0]
        entry = _canonical(a)
        if style == "short" and a.short_name and slugify(a.short_name) not in taken:
            local = slugify(a.short_name)
            entry = {**entry, "id": local}
            entry.pop("aliases", None)
        elif style == "variant":
            names = [n for n in (*a.aliases, a.name_en, f"{a.name} ({a.short_name})"
                                 if a.short_name else None) if n]
            variant = rnd.choice(names) if names else f"{a.name} (huvudkontoret)"
            local = slugify(variant)
            if not local or local in taken:
                local = f"{a.id}-{slugify(a.short_name or 'x')}"
            entry = {"id": local, "name": variant, "aliases": [a.name]}
            if a.short_name and rnd.random() < 0.5:
                entry["short_name"] = a.short_name
            entry.update(illustrative=True, note=NOTE + " Namnet är en variant.")
        else:
            style, local = "canonical", a.id
        taken.add(local)
        out[a.id] = Naming(local, entry, style)
    return out


def _split(rnd: random.Random, items: Sequence[Any], k: int) -> list[int]:
    """Which dataset each item goes to: the first gets the largest share (1, 1/2, 1/3, …)."""
    shares = [1.0 / (d + 1) for d in range(k)]
    return [rnd.choices(range(k), shares)[0] for _ in items]


def _dataset_entries(world: World, part: int, owner: dict[str, list[int]],
                     names: dict[str, Naming], everyone: bool) -> Entries:
    """The entries of dataset `part`: what it owns, and everything those refer to."""
    mine = {key: [x for x, d in zip(getattr(world, key), owner[key], strict=True) if d == part]
            for key in ("insights", "principles", "journeys")}
    specific = mine["insights"]
    insights = world.insights[:len(GENERAL)] + specific
    kept_ids = {x["id"] for x in insights}
    life_ids = dict.fromkeys([e for x in specific for e in x["life_events"]] +
                             [j["life_event"] for j in mine["journeys"]])
    if not life_ids:
        life_ids = dict.fromkeys([world.life_events[0]["id"]])
    life_events = [le for le in world.life_events if everyone or le["id"] in life_ids]
    agencies: dict[str, None] = dict.fromkeys(a.id for a in world.agencies) if everyone else {}
    source_ids: dict[str, None] = {}

    def use_agency(agency_id: str) -> str:
        agencies[agency_id] = None
        return names[agency_id].id

    out_le = []
    for le in life_events:
        out_le.append({**le, "agencies": [{**p, "agency": use_agency(p["agency"])}
                                          for p in le["agencies"]]})
        source_ids.update(dict.fromkeys(le["sources"]))
    out_ins = []
    for x in insights:
        item = {**x, "life_events": [e for e in x["life_events"] if e in life_ids]}
        if "reported_by" in item:
            item["reported_by"] = [{**r, "agency": use_agency(r["agency"])}
                                   for r in x["reported_by"]]
            source_ids.update(dict.fromkeys(r["source"] for r in x["reported_by"]))
        if x.get("superseded_by") and x["superseded_by"] not in kept_ids:
            item.pop("superseded_by")
            item["status"] = "disputed"  # its successor lives in another dataset
        source_ids.update(dict.fromkeys(x["sources"]))
        out_ins.append(item)
    out_pr = []
    for pr in mine["principles"]:
        item = dict(pr)
        if "addresses" in pr:
            item["addresses"] = [i for i in pr["addresses"] if i in kept_ids]
        if "applied_by" in pr:
            item["applied_by"] = [{**a, "agency": use_agency(a["agency"])}
                                  for a in pr["applied_by"]]
        source_ids[pr["source"]] = None
        out_pr.append(item)
    out_jo = []
    for j in mine["journeys"]:
        out_jo.append({**j, "steps": [{**s, "agency": use_agency(s["agency"])}
                                      for s in j["steps"]]})
        source_ids.update(dict.fromkeys(j["sources"]))
    out_src = []
    for src in world.sources:
        if everyone or src["id"] in source_ids:
            item = dict(src)
            if "publisher" in src:
                item["publisher"] = use_agency(src["publisher"])
            out_src.append(item)
    out_ag = [names[a.id].entry for a in world.agencies if a.id in agencies]
    if any(a.get("source") == REGISTER_SOURCE_ID for a in out_ag) and \
            all(s["id"] != REGISTER_SOURCE_ID for s in out_src):
        out_src.append(next(s for s in world.sources if s["id"] == REGISTER_SOURCE_ID))
    domains = {le["domain"] for le in out_le}
    return {"domains": [d for d in world.domains if d["id"] in domains], "agencies": out_ag,
            "life_events": out_le, "sources": out_src, "insights": out_ins,
            "principles": out_pr, "journeys": out_jo}


@dataclass
class GeneratedDataset:
    """One dataset of a generation, in memory."""

    meta: DatasetMeta
    entries: Entries
    names: dict[str, Naming]

    def counts(self) -> dict[str, int]:
        return {stem: len(items) for stem, items in self.entries.items()}


def dataset_ids(dataset_id: str, datasets: int) -> list[str]:
    """The ids of the datasets of one generation: `ID`, or `ID-1` … `ID-K`."""
    return [dataset_id] if datasets == 1 else [f"{dataset_id}-{d + 1}" for d in range(datasets)]


def generate_entries(scale: int = 1, seed: int = 7, register: Path | None = None, *,
                     datasets: int = 1, dataset_id: str = "generated") -> list[GeneratedDataset]:
    """The datasets of a generation, in memory (`generate` writes them)."""
    return split_world(build_world(scale, seed, register), scale, seed, datasets=datasets,
                       dataset_id=dataset_id, register=register is not None)


def split_world(world: World, scale: int, seed: int, *, datasets: int = 1,
                dataset_id: str = "generated", register: bool = False) -> list[GeneratedDataset]:
    """The world as `datasets` datasets (see the module's docstring)."""
    if datasets < 1:
        raise InsiktError(f"datasets must be 1 or more, not {datasets}")
    if not dataset_id or slugify(dataset_id) != dataset_id:
        raise InsiktError(f"dataset id '{dataset_id}' is not a valid id: use lower-case a-z, "
                          "0-9 and single dashes")
    rnd = random.Random(f"{seed}/split/{datasets}")
    owner = {key: _split(rnd, getattr(world, key), datasets) if datasets > 1 else
             [0] * len(getattr(world, key)) for key in ("insights", "principles", "journeys")}
    owner["insights"][:len(GENERAL)] = [-1] * len(GENERAL)  # general ones go everywhere
    where = "ESV:s myndighetsregister" if register else "påhittade myndigheter"
    out = []
    for d, ds_id in enumerate(dataset_ids(dataset_id, datasets)):
        names = _namings(rnd, world.agencies, canonical=d == 0)
        part = f" (del {d + 1} av {datasets})" if datasets > 1 else ""
        meta = DatasetMeta(
            id=ds_id, title=f"Syntetisk insiktsgraf, skala {scale}{part}",
            description=(f"Skapad av insikt generate --scale {scale} --seed {seed} "
                         f"--datasets {datasets}, med {where}. Allt utom myndigheternas namn "
                         "och organisationsnummer ur registret är påhittat (illustrative)."),
            version="1")
        out.append(GeneratedDataset(meta, _dataset_entries(world, d, owner, names, d == 0),
                                    names))
    return out


# -- writing --------------------------------------------------------------------------------

@dataclass
class GenerationReport:
    """What `generate` wrote, for the summary and for callers such as the benchmark."""

    scale: int
    seed: int
    register: bool
    folders: list[Path]
    counts: dict[str, dict[str, int]]
    """Dataset id → file stem → entries."""
    heaviest_agency: str
    """The (canonical) agency that reports the most specific insights."""
    heaviest_life_event: str
    """The life event with the most specific insights."""
    seconds: float = 0.0
    mapping: Path | None = None
    notes: list[str] = field(default_factory=list)

    def summary(self) -> str:
        agencies = "ESV's register" if self.register else "made-up agencies"
        lines = [f"Generated scale {self.scale} (seed {self.seed}, {agencies}) in "
                 f"{self.seconds:.2f} s:"]
        for folder, (ds, counts) in zip(self.folders, self.counts.items(), strict=True):
            per_file = ", ".join(f"{n} {stem}" for stem, n in counts.items())
            lines.append(f"  {ds} → {folder}: {per_file}")
        if self.mapping is not None:
            lines.append(f"  agency names across the datasets: {self.mapping}")
        lines.append(f"  heaviest agency: {self.heaviest_agency}; heaviest life event: "
                     f"{self.heaviest_life_event}")
        return "\n".join(lines)


def _heaviest(entries: list[dict[str, Any]], key: str, nested: str | None) -> str:
    counts: dict[str, int] = {}
    for x in entries:
        for v in x.get(key, []):
            name = v[nested] if nested else v
            counts[name] = counts.get(name, 0) + 1
    return max(counts, key=lambda n: (counts[n], n)) if counts else ""


def generate(out: str | Path, scale: int = 1, seed: int = 7, register: str | Path | None = None,
             *, datasets: int = 1, dataset_id: str = "generated", check: bool = True,
             progress: Progress | None = None) -> GenerationReport:
    """Write a generation to `out`: the dataset folder itself when `datasets` is 1, else one
    folder per dataset under `out` and `agency-mapping.json` beside them. `out` must be new
    or empty (nothing is overwritten). With `check`, every folder is validated afterwards
    (a failure is a generator bug and raises ValidationFailed)."""
    from .dataset import validate_dataset
    from .writer import write_entries

    started = time.perf_counter()
    say = progress or (lambda _msg: None)
    folder = Path(out)
    if folder.exists() and (not folder.is_dir() or any(folder.iterdir())):
        raise InsiktError(f"{folder} already exists and is not an empty folder: give a new "
                          "folder to generate into (nothing is overwritten)")
    reg = Path(register) if register is not None else None
    say(f"building the world at scale {scale} "
        f"({SEED_SPECIFIC_INSIGHTS * scale} specific insights)")
    world = build_world(scale, seed, reg)
    parts = split_world(world, scale, seed, datasets=datasets, dataset_id=dataset_id,
                        register=reg is not None)
    folders = [folder] if datasets == 1 else [folder / p.meta.id for p in parts]
    for part, target in zip(parts, folders, strict=True):
        say(f"writing {part.meta.id} to {target}")
        write_entries(target, part.meta, part.entries, validate=False)
    mapping = None
    if datasets > 1:
        mapping = folder / MAPPING_FILE
        doc = {a_id: {p.meta.id: {"id": p.names[a_id].id, "style": p.names[a_id].style}
                      for p in parts if any(e["id"] == p.names[a_id].id
                                            for e in p.entries["agencies"])}
               for a_id in parts[0].names}
        mapping.write_text(json.dumps({"agencies": doc}, ensure_ascii=False, indent=1,
                                      sort_keys=True) + "\n", encoding="utf-8")
    if check:
        for target in folders:
            say(f"validating {target}")
            _, problems = validate_dataset(target)
            if problems:
                raise ValidationFailed(problems, str(target))
    return GenerationReport(
        scale, seed, reg is not None, folders, {p.meta.id: p.counts() for p in parts},
        _heaviest(world.insights, "reported_by", "agency"),
        _heaviest(world.insights[len(GENERAL):], "life_events", None),
        time.perf_counter() - started, mapping)
