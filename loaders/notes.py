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

from graph.errors import Problem, ValidationFailed
from graph.ids import fold, org_nr_problem, slugify
from graph.model import DatasetMeta, GraphData
from graph.settings import env_var, get_settings
from graph.store import GraphStore, LoadResult

from .dataset import read_dataset
from .limits import Limits, read_text_file, too_big_hint
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
    out.insights = [t for t in joined if _strip_markup(t)]
    if not out.title:
        out.problems.append(Problem(file, "-", "title", "the notes have no '# Title' line",
                                    "start the file with '# <workshop title>'"))
    if not out.insights:
        out.problems.append(Problem(file, "-", "insights",
                                    "no insights: found no bullet list under a heading "
                                    "'## Insikter' or '## Insights'",
                                    "list one insight per '- ' bullet under '## Insikter'"))
    return out


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
    for text in parsed.insights:
        title, statement = _split_insight(text)
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
                  "reported_by": [{"agency": a, "source": source_id,
                                   **({"year": year} if year else {})} for a in participants],
                  "note": note}
        insight_entries.append(entry)
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
    source["note"] = f"Anteckningar / notes: {path.name}"
    entries: Entries = {"agencies": agency_entries, "sources": [source],
                        "insights": insight_entries}
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
                       matched=matched, unmatched=unmatched, organiser=parsed.organiser,
                       organiser_agency=organiser_id, notes=reasons, result=result)
