"""Workshop notes → insights: read the Markdown notes of a workshop and load what it found as a
dataset of proposed insights, each traceable to the notes it came from.

The notes are ordinary Markdown:

    # Workshop om efterlevandes kontakter            ← the title
    Datum: 2023-10-12                                ← or Date:
    Arrangör: Pensionsmyndigheten                    ← or Organiser:
    Deltagare: Skatteverket, Försäkringskassan, …    ← or Participants:

    ## Insikter                                      ← or Insights / Kundinsikter
    - **Kort rubrik.** Längre beskrivning …          ← one insight per bullet
    - En insikt utan rubrik …

Front lines may be bold (`**Datum:**`) or bullets. Under the insight heading, each top-level
bullet is one insight; indented lines and sub-bullets belong to the bullet above. Another
heading ends the list.

Agency names are matched case- and accent-insensitively against the agencies already in the
store (name, short name, English name, aliases) and ESV's register (name, short name, old
names); exact names win over short names, short names over old names, and a name that fits
two agencies equally is not guessed. Whatever does not match is reported, never dropped
silently. The result is a dataset `notes-<slug of the title>` with one workshop Source and
one Insight (kind specific, status proposed) per bullet, reported by the matched participants
in the year of the date, validated like any other dataset and then loaded.
"""

from __future__ import annotations

import re
import tempfile
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

from graph import walk
from graph.errors import Problem, ValidationFailed, close_matches
from graph.ids import fold, org_nr_problem, slugify
from graph.model import DatasetMeta, GraphData
from graph.settings import env_var, get_settings
from graph.store import GraphStore, LoadResult

from .dataset import read_dataset
from .limits import Limits, read_text_file, shorten, too_big_hint
from .load import load_checked
from .register import read_register
from .writer import Entries, write_entries

_FRONT_KEYS = {"datum": "date", "date": "date", "arrangor": "organiser",
               "organiser": "organiser", "organizer": "organiser", "deltagare": "participants",
               "participants": "participants"}
_INSIGHT_HEADINGS = {"insikter", "insights", "kundinsikter", "customer insights"}
_MONTHS = {"januari": 1, "january": 1, "jan": 1, "februari": 2, "february": 2, "feb": 2,
           "mars": 3, "march": 3, "mar": 3, "april": 4, "apr": 4, "maj": 5, "may": 5,
           "juni": 6, "june": 6, "jun": 6, "juli": 7, "july": 7, "jul": 7, "augusti": 8,
           "august": 8, "aug": 8, "september": 9, "sep": 9, "sept": 9, "oktober": 10,
           "october": 10, "okt": 10, "oct": 10, "november": 11, "nov": 11, "december": 12,
           "dec": 12}
# Patterns that stay linear on hostile lines (no lazy group before an optional run): the
# trailing '#'s of a heading are stripped in code, front lines are split at their first ':'.
_BULLET = re.compile(r"^(\s*)(?:[-*+]|[0-9]+[.)])\s+(.*)$")
_HEADING = re.compile(r"^(#{1,6})\s+(.*)$")
TITLE_MAX = 120
ID_MAX = 60


@dataclass
class ParsedNotes:
    title: str = ""
    date: str | None = None
    organiser: str | None = None
    participants: list[str] = field(default_factory=list)
    insights: list[str] = field(default_factory=list)
    lines: list[int] = field(default_factory=list)  # the line each insight bullet starts on
    problems: list[Problem] = field(default_factory=list)


@dataclass
class NotesReport:
    """What the import did, for the summary line."""

    dataset_id: str
    title: str
    date: str | None
    source_id: str
    insights: list[str]
    matched: dict[str, str]  # name as written → agency id
    unmatched: list[str]  # names as written that matched no agency
    reporters: dict[str, list[str]] = field(default_factory=dict)  # insight → named agencies
    organiser: str | None = None
    organiser_agency: str | None = None
    notes: list[str] = field(default_factory=list)  # e.g. why a name was not matched
    result: LoadResult | None = None

    def summary(self) -> str:
        text = (f"Imported {len(self.insights)} proposed insights from '{self.title}' as dataset "
                f"'{self.dataset_id}'; matched {len(self.matched)} agencies")
        if self.unmatched:
            text += f"; unmatched: {', '.join(self.unmatched)}"
        return text + "."


def _strip_markup(text: str) -> str:
    return re.sub(r"(\*\*|__|`)", "", text).strip()


def _iso_date(text: str) -> str | None:
    """YYYY, YYYY-MM, YYYY-MM-DD, or '9 maj 2017' / '9 May 2017' → ISO; None if neither."""
    t = text.strip().rstrip(".")
    if re.fullmatch(r"[0-9]{4}(-[0-9]{2}(-[0-9]{2})?)?", t):  # ASCII digits only
        return t
    m = re.fullmatch(r"([0-9]{1,2}) ([A-Za-zåäöÅÄÖ]+)\.? ([0-9]{4})", " ".join(t.split()))
    if m and fold(m.group(2)) in _MONTHS:
        return f"{m.group(3)}-{_MONTHS[fold(m.group(2))]:02d}-{int(m.group(1)):02d}"
    return None


def parse_notes(text: str, file: str = "notes.md",
                limits: Limits | None = None) -> ParsedNotes:
    """Read the title, front lines and insight bullets (kept as written, Markdown and all);
    collect problems instead of failing. Linear in the length of the text."""
    lim = limits or Limits.current()
    out = ParsedNotes()
    starts: list[int] = []  # line of each bullet
    too_many = False
    in_insights = False
    current: list[str] | None = None
    items: list[list[str]] = []
    blank = False
    lines = text.lstrip("\ufeff").replace("\r\n", "\n").replace("\r", "\n").split("\n")
    for number, line in enumerate(lines, start=1):
        heading = _HEADING.match(line)
        if heading:
            current = None
            level = len(heading.group(1))
            words = _strip_markup(heading.group(2).rstrip().rstrip("#").rstrip())
            if level == 1 and not out.title:
                out.title = words
                in_insights = False
            else:
                in_insights = fold(words).rstrip(":").strip() in _INSIGHT_HEADINGS
            continue
        if in_insights:
            bullet = _BULLET.match(line)
            indented = line[:1].isspace()
            if bullet and not indented:
                if len(items) >= lim.max_notes_bullets:
                    too_many = True
                    current = None
                    continue
                current = [bullet.group(2).strip()]
                items.append(current)
                starts.append(number)
            elif not line.strip():
                blank = True
                continue
            elif current is not None and (indented or not blank):
                current.append((bullet.group(2) if bullet else line).strip())
            else:  # a paragraph after the list ends the bullet
                current = None
            blank = False
            continue
        name, colon, rest = _strip_markup(line).partition(":")
        if colon:
            key = _FRONT_KEYS.get(fold(name.lstrip(" \t>*+-")).strip())
            value = _strip_markup(rest)
            if key == "date":
                iso = _iso_date(value)
                if iso is None:
                    out.problems.append(Problem(file, f"line {number}", "date",
                                                f"'{value}' is not a date",
                                                "write e.g. 'Datum: 2017-05-09'"))
                out.date = iso
            elif key == "organiser":
                out.organiser = value or None
            elif key == "participants":
                out.participants += [" ".join(p.split()) for p in re.split(r"[,;]", value)
                                     if p.strip()]
    joined = [" ".join(" ".join(parts).split()) for parts in items]
    if too_many:
        out.problems.append(Problem(file, f"line {starts[-1]}", "insights",
                                    f"refused: more than {lim.max_notes_bullets} insight "
                                    "bullets (INSIKT_MAX_NOTES_BULLETS)",
                                    too_big_hint("INSIKT_MAX_NOTES_BULLETS")))
    for number, t in zip(starts, joined, strict=True):
        if len(t) > lim.max_string:
            out.problems.append(Problem(file, f"line {number}", "insights",
                                        f"refused: a bullet of {len(t)} characters, over the "
                                        f"limit of {lim.max_string} (INSIKT_MAX_STRING)",
                                        "shorten it, or split it into several bullets"))
    for name, value in (("title", out.title), ("organiser", out.organiser or "")):
        if len(value) > min(lim.max_string, 1000):
            out.problems.append(Problem(file, "-", name, f"refused: {len(value)} characters "
                                        "is too long", "keep it under 1000 characters"))
    for name in out.participants:
        if len(name) > 1000:
            out.problems.append(Problem(file, "-", "participants",
                                        f"refused: a participant name of {len(name)} "
                                        "characters", "separate the names with commas"))
            break
    kept = [(n, t) for n, t in zip(starts, joined, strict=True) if _strip_markup(t)]
    out.insights = [t for _, t in kept]
    out.lines = [n for n, _ in kept]
    if not out.title:
        out.problems.append(Problem(file, "-", "title", "the notes have no '# Title' line",
                                    "start the file with '# <workshop title>'"))
    if not out.insights:
        out.problems.append(Problem(file, "-", "insights",
                                    "no insights: found no bullet list under a heading "
                                    "'## Insikter' or '## Insights'",
                                    "list one insight per '- ' bullet under '## Insikter'"))
    return out


# -- a bullet's tags: who raised it, its life event and general insight ---------------------

_TAG_KEYS = {"av": "agencies", "by": "agencies", "rapporterad av": "agencies",
             "reported by": "agencies", "myndighet": "agencies", "myndigheter": "agencies",
             "agency": "agencies", "agencies": "agencies",
             "livshandelse": "life_event", "life event": "life_event",
             "life_event": "life_event", "le": "life_event",
             "generell": "general", "generell insikt": "general", "general": "general",
             "general insight": "general", "allman": "general"}
_PAIRS = {")": "(", "]": "["}


@dataclass
class Bullet:
    """One insight bullet: its text without the trailing tags, and what the tags say."""

    text: str
    agencies: list[str] = field(default_factory=list)
    life_events: list[str] = field(default_factory=list)
    generals: list[str] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)


def _names(value: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"[,;]", value) if p.strip()]


def split_bullet(text: str) -> Bullet:
    """Read a bullet's trailing tags from the right, matching brackets (no regex over the
    text): any number of `[key: value]` tags and one `(Agency A, Agency B)` group, in any
    order, after the text. A bracket that does not close, or a Markdown link `[..](..)`,
    ends the tags; an unknown key or a tag without ':' is a problem."""
    end = len(text)
    group: str | None = None
    tags: list[str] = []
    while True:
        j = end
        while j > 0 and text[j - 1].isspace():
            j -= 1
        if j == 0 or text[j - 1] not in _PAIRS:
            break
        close = text[j - 1]
        opening = _PAIRS[close]
        depth, k = 0, j - 1
        while k >= 0:
            if text[k] == close:
                depth += 1
            elif text[k] == opening:
                depth -= 1
                if depth == 0:
                    break
            k -= 1
        if k < 0 or (close == ")" and k > 0 and text[k - 1] == "]"):
            break  # unbalanced, or the URL of a Markdown link: text
        inner = text[k + 1:j - 1]
        if close == ")":
            if group is not None:
                break  # one group of agencies, the last; an earlier aside stays text
            group = inner
        else:
            tags.append(inner)
        end = k
    out = Bullet(text[:end].rstrip())
    if group is not None:
        out.agencies += _names(group)
    for tag in reversed(tags):
        key, colon, value = tag.partition(":")
        kind = _TAG_KEYS.get(" ".join(fold(key).split()))
        if not colon or kind is None:
            out.problems.append(f"[{shorten(tag, 60)}] is not a tag this loader knows")
            continue
        getattr(out, {"agencies": "agencies", "life_event": "life_events",
                      "general": "generals"}[kind]).extend(_names(value))
    return out


def _find_node(g: Any, label: str, text: str, fields: tuple[str, ...],
               where: Any = None) -> tuple[str | None, list[str], bool]:
    """A node of `label` whose id, or one of `fields`, is `text` (folded): (id, [], False)
    when one fits, (None, the ids that fit, True) when several do, else (None, the closest
    ids, False)."""
    key = fold(" ".join(text.split()))
    hits = sorted({str(a["id"]) for _, a in walk.nodes_of(g, label)
                   if (where is None or where(a))
                   and (a["id"] == text or any(isinstance(a.get(f), str)
                                               and fold(" ".join(a[f].split())) == key
                                               for f in fields))})
    if len(hits) == 1:
        return hits[0], [], False
    if hits:
        return None, hits, True
    options = [str(a["id"]) for _, a in walk.nodes_of(g, label) if where is None or where(a)]
    return None, close_matches(slugify(text), options, n=3), False


# -- matching agency names ---------------------------------------------------------------------

@dataclass(frozen=True)
class AgencyCandidate:
    id: str
    entry: dict[str, Any]  # dataset fields for the agency entry
    in_store: bool


class AgencyMatcher:
    """Names → agencies, in tiers: names, then short names, then English/old names."""

    def __init__(self) -> None:
        self.tiers: list[dict[str, dict[str, AgencyCandidate]]] = [{}, {}, {}]

    def add(self, candidate: AgencyCandidate, names: list[str], short: list[str],
            other: list[str]) -> None:
        for tier, words in zip(self.tiers, (names, short, other), strict=True):
            for w in words:
                if w and w.strip():
                    tier.setdefault(fold(" ".join(w.split())), {}).setdefault(candidate.id,
                                                                              candidate)

    def match(self, name: str) -> tuple[AgencyCandidate | None, str]:
        key = fold(" ".join(name.split()))
        for tier in self.tiers:
            found = tier.get(key)
            if found:
                if len(found) == 1:
                    return next(iter(found.values())), ""
                return None, f"'{name}' fits several agencies: {', '.join(sorted(found))}"
        return None, ""


# Copied from a store agency, so that loading the notes leaves its properties as they were
# (the last load's properties win on a shared node).
_AGENCY_FIELDS = ("name", "name_en", "short_name", "org_nr", "kind", "url", "aliases",
                  "illustrative", "note")


def build_matcher(store: GraphStore, register_path: str | Path | None) -> AgencyMatcher:
    """Store agencies first (their ids win), then the register's entries by org nr or slug."""
    m = AgencyMatcher()
    g = store.to_networkx()
    by_org: dict[str, str] = {}
    store_ids: set[str] = set()
    for _, a in g.nodes(data=True):
        if a["label"] != "Agency":
            continue
        entry = {"id": a["id"], **{k: a[k] for k in _AGENCY_FIELDS if a.get(k) not in (None, "",
                                                                                      [])}}
        cand = AgencyCandidate(a["id"], entry, True)
        store_ids.add(a["id"])
        if a.get("org_nr"):
            by_org[a["org_nr"]] = a["id"]
        m.add(cand, [a.get("name", "")], [a.get("short_name") or ""],
              [a.get("name_en") or "", *(a.get("aliases") or [])])
    path = Path(register_path) if register_path else get_settings().register_path
    if path is None:  # no register given or configured (INSIKT_REGISTER): the store's agencies
        return m
    setting = "" if register_path else f" (set in {env_var('register_path')})"
    for name, item in sorted(read_register(path, setting).items()):
        nr = item.get("org_nr") or None
        if nr and org_nr_problem(nr):
            nr = None
        if nr and nr in by_org:
            node = g.nodes[f"Agency:{by_org[nr]}"]
            entry = {"id": by_org[nr], **{k: node[k] for k in _AGENCY_FIELDS
                                          if node.get(k) not in (None, "", [])}}
            cand = AgencyCandidate(by_org[nr], entry, True)
        else:
            node_id = slugify(name)
            if node_id in store_ids:  # same slug, no org nr link: the store's agency
                continue
            old = [o.replace("_x000D_", "").strip() for o in item.get("old_names") or []]
            entry = {"id": node_id, "name": name, "kind": "statlig"}
            name_en = (item.get("name_en") or "").strip()
            if name_en and name_en != "?":
                entry["name_en"] = name_en
            if item.get("short_name"):
                entry["short_name"] = item["short_name"]
            if nr:
                entry["org_nr"] = nr
            if [o for o in old if o and o != name]:
                entry["aliases"] = [o for o in old if o and o != name]
            cand = AgencyCandidate(node_id, entry, False)
        old_names = [o.replace("_x000D_", "").strip() for o in item.get("old_names") or []]
        m.add(cand, [name], [item.get("short_name") or ""], old_names)
    return m


def _match_names(m: AgencyMatcher, text: str) -> tuple[list[AgencyCandidate], list[str]]:
    """One participant as written: the whole text, without or inside parentheses, or else its
    parts split on 'och' / 'and' / '&' when every part matches."""
    whys: list[str] = []
    tries = [text, " ".join(re.sub(r"\([^()]*\)", " ", text).split()),
             *re.findall(r"\(([^()]*)\)", text)]
    for t in tries:
        cand, why = m.match(t)
        if why:
            whys.append(why)
        if cand:
            return [cand], []
    parts = [p.strip() for p in re.split(r"\s+(?:och|and|&)\s+", text) if p.strip()]
    if len(parts) > 1:
        found = [m.match(p)[0] for p in parts]
        if all(found):
            return [c for c in found if c is not None], []
    return [], whys


# -- building and loading the dataset ---------------------------------------------------------

def _short_slug(text: str, limit: int = ID_MAX) -> str:
    s = slugify(text)
    if len(s) <= limit:
        return s
    cut = s[:limit]
    return cut.rsplit("-", 1)[0] if "-" in cut else cut


def _split_insight(text: str) -> tuple[str, str | None]:
    """Title and statement: a bold lead or the first sentence is the title; the whole text is
    the statement when it says more."""
    bold = re.match(r"^\*\*(.+?)\*\*[\s:–-]*(.*)$", text)
    if bold:
        title = _strip_markup(bold.group(1)).rstrip(".").strip()
        rest = _strip_markup(bold.group(2))
        return title, rest or None
    text = _strip_markup(text)
    first = re.split(r"(?<=[.!?])\s+", text, maxsplit=1)[0].strip()
    if len(first) > TITLE_MAX:
        first = first[:TITLE_MAX - 1].rsplit(" ", 1)[0] + "…"
    title = first.rstrip(".")
    return title, (text if text.rstrip(".") != title else None)


TAG_HINT = ("tag a bullet with [livshändelse: …], [generell: …] or [av: …], and end it with "
            "the agencies that raised it in parentheses: (Försäkringskassan, CSN)")


def _copy_life_event(g: Any, text: str, file: str, at: str, problems: list[Problem],
                     life_entries: dict[str, dict[str, Any]],
                     domain_entries: dict[str, dict[str, Any]]) -> str | None:
    """The id of the loaded life event a tag names (id, name or English name), with its
    entry (and its domain's) copied into the notes dataset; else a problem."""
    found, close, several = _find_node(g, "LifeEvent", text, ("name", "name_en"))
    if found is None:
        hint = (f"several fit: {', '.join(close)}; use the id" if several else
                f"did you mean {' or '.join(close)}?" if close else
                "load the dataset that has the life event first (e.g. seed_data)")
        problems.append(Problem(file, at, "life event", f"no life event '{shorten(text, 80)}'",
                                hint))
        return None
    key = f"LifeEvent:{found}"
    a = g.nodes[key]
    domains = walk.out_nodes(g, key, "IN_DOMAIN")
    entry = {"id": found, **{k: a[k] for k in ("name", "name_en", "kind", "description",
                                                "description_en") if a.get(k)}}
    if domains:
        d = g.nodes[domains[0]]
        entry["domain"] = d["id"]
        domain_entries.setdefault(d["id"], {"id": d["id"], **{
            k: d[k] for k in ("name", "name_en") if d.get(k)}})
    life_entries.setdefault(found, entry)
    return found


def _copy_general(g: Any, text: str, file: str, at: str, problems: list[Problem],
                  general_entries: dict[str, dict[str, Any]]) -> str | None:
    """The id of the loaded general insight a tag names (id, canonical key or title), with
    its entry copied into the notes dataset; else a problem."""
    found, close, several = _find_node(g, "Insight", text, ("canonical", "title", "title_en"),
                                       where=lambda a: a.get("kind") == "general")
    if found is None:
        hint = (f"several fit: {', '.join(close)}; use the id" if several else
                f"did you mean {' or '.join(close)}?" if close else
                "name a general insight of a loaded dataset (e.g. kunden-far-agera-kurir)")
        problems.append(Problem(file, at, "general", f"no general insight "
                                f"'{shorten(text, 80)}'", hint))
        return None
    a = g.nodes[f"Insight:{found}"]
    general_entries.setdefault(found, {"id": found, "kind": "general", **{
        k: a[k] for k in ("title", "title_en", "statement", "statement_en", "canonical")
        if a.get(k)}})
    return found


def import_notes(store: GraphStore, notes_md_path: str | Path,
                 register_path: str | Path | None = None, *, strict: bool = False,
                 ) -> NotesReport:
    """Read workshop notes, match their agencies, validate the resulting dataset and load it.

    Raises ValidationFailed (nothing written) when the notes lack a title or insights, have
    an unreadable date, or the dataset would be invalid.
    """
    path = Path(notes_md_path)
    limits = Limits.current()
    raw, bad = read_text_file(path, path.name, "save the notes as UTF-8",
                              max_bytes=limits.max_file_bytes)
    if raw is None:
        raise ValidationFailed(bad, str(path))
    parsed = parse_notes(raw, path.name, limits)
    if parsed.problems:
        raise ValidationFailed(parsed.problems, str(path))
    matcher = build_matcher(store, register_path)
    dataset_id = f"notes-{_short_slug(parsed.title, ID_MAX - 6)}"
    source_id = dataset_id
    matched: dict[str, str] = {}
    unmatched: list[str] = []
    reasons: list[str] = []
    agencies: dict[str, dict[str, Any]] = {}
    participants: list[str] = []
    for name in parsed.participants:
        found, whys = _match_names(matcher, name)
        if not found:
            unmatched.append(name)
            reasons.extend(whys)
            continue
        matched[name] = ", ".join(c.id for c in found)
        for c in found:
            agencies.setdefault(c.id, c.entry)
            if c.id not in participants:
                participants.append(c.id)
    organiser_id = None
    if parsed.organiser:
        found, whys = _match_names(matcher, parsed.organiser)
        if len(found) == 1:
            organiser_id = found[0].id
            agencies.setdefault(organiser_id, found[0].entry)
            matched.setdefault(parsed.organiser, organiser_id)
        else:
            unmatched.append(parsed.organiser)
            reasons.extend(whys)
    year = int(parsed.date[:4]) if parsed.date else None
    graph = store.to_networkx()
    taken = {a["id"] for _, a in graph.nodes(data=True)
             if a["label"] == "Insight" and set(a.get("datasets", ())) - {dataset_id}}
    insight_entries = []
    note = f"Från workshopanteckningarna {path.name} (From the workshop notes {path.name})."
    next_n: dict[str, int] = {}  # per title slug, the next number to try: linear, not n²
    bullet_problems: list[Problem] = []
    life_entries: dict[str, dict[str, Any]] = {}
    domain_entries: dict[str, dict[str, Any]] = {}
    general_entries: dict[str, dict[str, Any]] = {}
    reporters: dict[str, list[str]] = {}
    for line, text in zip(parsed.lines, parsed.insights, strict=True):
        bullet = split_bullet(text)
        at = f"line {line}"
        for why in bullet.problems:
            bullet_problems.append(Problem(path.name, at, "tags", why, TAG_HINT))
        named: list[str] = []
        for name in bullet.agencies:
            found, whys = _match_names(matcher, name)
            if not found:
                if name not in unmatched:
                    unmatched.append(name)
                reasons.extend(whys)
                continue
            matched.setdefault(name, ", ".join(c.id for c in found))
            for c in found:
                agencies.setdefault(c.id, c.entry)
                if c.id not in named:
                    named.append(c.id)
        life_ids = [_copy_life_event(graph, le, path.name, at, bullet_problems, life_entries,
                                     domain_entries) for le in bullet.life_events]
        general_ids = [_copy_general(graph, gen, path.name, at, bullet_problems,
                                     general_entries) for gen in bullet.generals]
        title, statement = _split_insight(bullet.text or text)
        base = _short_slug(title) or "insikt"
        node_id = base
        if node_id in taken:
            short, n = _short_slug(base, ID_MAX - 4), next_n.get(base, 2)
            node_id = f"{short}-{n}"
            while node_id in taken:
                n += 1
                node_id = f"{short}-{n}"
            next_n[base] = n + 1
        taken.add(node_id)
        entry: dict[str, Any] = {"id": node_id, "title": title}
        if statement:
            entry["statement"] = statement
        entry |= {"kind": "specific", "status": "proposed", "sources": [source_id],
                  "instance_of": [g for g in general_ids if g],
                  "life_events": [le for le in life_ids if le],
                  "reported_by": [{"agency": a, "source": source_id,
                                   **({"year": year} if year else {})} for a in named],
                  "note": note}
        reporters[node_id] = named
        insight_entries.append(entry)
    if bullet_problems:
        raise ValidationFailed(bullet_problems, str(path))
    seen_org: set[str] = set()
    agency_entries = []
    for _, entry in sorted(agencies.items()):
        e = dict(entry)
        if e.get("org_nr") in seen_org:
            e.pop("org_nr")
        if e.get("org_nr"):
            seen_org.add(e["org_nr"])
        agency_entries.append(e)
    source: dict[str, Any] = {"id": source_id, "title": parsed.title, "kind": "workshop"}
    if parsed.date:
        source["date"] = parsed.date
    if organiser_id:
        source["publisher"] = organiser_id
    if participants:
        source["participants"] = participants
    source["note"] = f"Anteckningar / notes: {path.name}"
    entries: Entries = {"domains": [e for _, e in sorted(domain_entries.items())],
                        "agencies": agency_entries,
                        "life_events": [e for _, e in sorted(life_entries.items())],
                        "sources": [source],
                        "insights": [e for _, e in sorted(general_entries.items())]
                        + insight_entries}
    header = DatasetMeta(
        id=dataset_id, title=parsed.title, version="1",
        description=(f"Förslag till insikter från workshopen '{parsed.title}'"
                     f"{' ' + parsed.date if parsed.date else ''}, inlästa ur {path.name}. "
                     f"Proposed insights from the workshop notes {path.name}."))
    with tempfile.TemporaryDirectory(prefix="insikt-notes-") as tmp:
        write_entries(tmp, header, entries, validate=False)
        try:
            data = read_dataset(tmp)
        except ValidationFailed as exc:
            raise ValidationFailed(exc.problems, str(path)) from exc
    data = GraphData(replace(data.dataset, path=str(path)), data.nodes, data.relationships)
    result = load_checked(store, data, "agencies.yaml", str(path), strict=strict)
    return NotesReport(dataset_id=dataset_id, title=parsed.title, date=parsed.date,
                       source_id=source_id, insights=[e["id"] for e in insight_entries],
                       matched=matched, unmatched=unmatched, reporters=reporters,
                       organiser=parsed.organiser,
                       organiser_agency=organiser_id, notes=reasons, result=result)
