"""Matching insights across datasets: which specific insights of two datasets describe the
same customer problem in their own words (`insikt match`, the curation page).

Two agencies rarely write a problem the same way: other words, synonyms, another word order,
Swedish compounds ("läkarintyget" / "intyg från läkaren"), and sometimes only one language.
The text score therefore combines the share of content-word stems (the first six letters of
each word that is not a function word) that the shorter text has in common with the other,
with two TF-IDF views of the texts (scikit-learn, no model download): word uni- and bigrams,
and character 3–5-grams within words, which also catch inflections and compounds. Texts are
compared language by language (Swedish title and statement with the other's Swedish, English
with English; the better language counts), because none of these compares across languages.
The graph adds the share of life events and of general insights the two have in common; a
side that has none (workshop notes) leaves that part to the text. docs/matching.md has the
method, the labelled fixture and the measured precision and recall.

Proposals are one-to-one per pair of datasets: pairs are taken best first, and an insight that
already has a partner in the other's dataset gets no second one (a problem is described once
per dataset). Pairs a curator has already decided (a Decision of kind same, related or
different, or a merge) are not proposed again.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

import networkx as nx

from graph.errors import NotFound
from graph.ids import fold
from graph.model import Label, Rel, node_key, search_tokens
from graph.store import CURATION_DATASET
from graph.walk import generals, nodes_of, out_nodes

DEFAULT_MIN_SCORE = 0.54
"""The threshold below which no pair is proposed (chosen on the fixture, docs/matching.md)."""
TEXT_WEIGHT = 0.65
LIFE_EVENT_WEIGHT = 0.1
GENERAL_WEIGHT = 0.25
WORD_WEIGHT = 0.5
"""Within TF-IDF: the word view's share; the character view has the rest."""
STEM_WEIGHT = 0.8
"""Within the text score: the share of the stem overlap, the rest is TF-IDF. The overlap is
the shared content-word stems over the stems of the shorter text, unweighted: a single rare
word in common (the name of a benefit) must not make two problems one."""
STEM_LENGTH = 6
STOP_WORDS = frozenset((
    "att", "av", "de", "dem", "den", "denna", "det", "detta", "dig", "din", "du", "efter", "eller",
    "en", "ett", "for", "fran", "har", "hon", "hos", "hur", "i", "inte", "jag", "kan", "man",
    "med", "mellan", "men", "mot", "nar", "nu", "och", "om", "pa", "sa", "sig", "sin", "sina",
    "sitt", "ska", "skall", "som", "till", "under", "upp", "ut", "utan", "vad", "var", "vara",
    "vi", "vid", "vilka", "vilken", "vilket", "ar", "fa", "far", "ocke", "alla", "andra", "bara",
    "blir",
))
"""Swedish function words (folded); English ones come from scikit-learn."""
MATCHABLE_STATUSES = ("active", "proposed")
"""Rejected (`disputed`) and `superseded` insights are not matched."""
PAIR_KINDS = ("same", "related", "different")
"""Decision kinds about a pair of insights (a merge decides a pair too)."""


@dataclass(frozen=True)
class Candidate:
    """One specific insight as the matcher sees it."""

    id: str
    datasets: tuple[str, ...]
    title: str
    title_en: str
    statement: str
    statement_en: str
    status: str
    life_events: frozenset[str]
    generals: frozenset[str]

    def text(self, lang: str) -> str:
        """Title and statement in one language, folded (case and accents), or ''."""
        parts = (self.title, self.statement) if lang == "sv" else (self.title_en,
                                                                   self.statement_en)
        return fold(" ".join(p for p in parts if p))


@dataclass(frozen=True)
class Proposal:
    """A proposed pair: `a` and `b` are insight ids, `score` 0–1, `reason` for people."""

    a: str
    b: str
    score: float
    reason: str
    text_score: float
    a_title: str
    b_title: str
    a_datasets: tuple[str, ...]
    b_datasets: tuple[str, ...]
    shared_words: tuple[str, ...] = ()
    shared_life_events: tuple[str, ...] = ()
    shared_generals: tuple[str, ...] = ()

    def as_row(self) -> dict[str, Any]:
        """The JSON/table form (`insikt match --format json`)."""
        return {"a": self.a, "b": self.b, "score": round(self.score, 4), "reason": self.reason,
                "a_title": self.a_title, "b_title": self.b_title,
                "a_datasets": list(self.a_datasets), "b_datasets": list(self.b_datasets),
                "text_score": round(self.text_score, 4),
                "shared_words": list(self.shared_words),
                "shared_life_events": list(self.shared_life_events),
                "shared_generals": list(self.shared_generals)}


@dataclass
class MatchOptions:
    """What `propose` considers: the threshold, how many, which datasets, one insight."""

    min_score: float = DEFAULT_MIN_SCORE
    limit: int | None = None
    datasets: Sequence[str] | None = None
    insight: str | None = None
    include_decided: bool = False
    exclude: set[frozenset[str]] = field(default_factory=set)


def home_datasets(attrs: dict[str, Any]) -> tuple[str, ...]:
    """The datasets that define a node, without the curation dataset (which only adds the
    curators' status and links)."""
    return tuple(d for d in attrs.get("datasets", ()) if d != CURATION_DATASET)


def candidates(g: nx.MultiDiGraph, datasets: Sequence[str] | None = None) -> list[Candidate]:
    """The specific insights that can be matched (status active or proposed), optionally only
    those defined by one of `datasets`; in id order."""
    wanted = set(datasets) if datasets else None
    out: list[Candidate] = []
    for key, a in nodes_of(g, Label.INSIGHT):
        if a.get("kind") != "specific" or a.get("status", "active") not in MATCHABLE_STATUSES:
            continue
        home = home_datasets(a)
        if not home or (wanted is not None and not wanted.intersection(home)):
            continue
        out.append(Candidate(
            id=str(a["id"]), datasets=home, title=str(a.get("title") or ""),
            title_en=str(a.get("title_en") or ""), statement=str(a.get("statement") or ""),
            statement_en=str(a.get("statement_en") or ""), status=str(a.get("status", "active")),
            life_events=frozenset(str(g.nodes[v]["id"]) for v in out_nodes(g, key, Rel.ARISES_IN)),
            generals=frozenset(str(g.nodes[v]["id"]) for v in generals(g, key))))
    return sorted(out, key=lambda c: c.id)


def decided_pairs(g: nx.MultiDiGraph) -> set[frozenset[str]]:
    """The pairs a curator has decided on (same, related, different, or a merge)."""
    out: set[frozenset[str]] = set()
    for _, a in nodes_of(g, Label.DECISION):
        kind, x, y = a.get("kind"), a.get("a"), a.get("b")
        if (kind in PAIR_KINDS or kind == "merge") and x and y:
            out.add(frozenset((str(x), str(y))))
    return out


def _jaccard(x: frozenset[str], y: frozenset[str]) -> float:
    union = x | y
    return len(x & y) / len(union) if union else 0.0


class _TextModel:
    """TF-IDF (words and character n-grams) over every candidate's texts in both languages."""

    def __init__(self, cands: Sequence[Candidate]) -> None:
        from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS, TfidfVectorizer

        self.docs = {lang: [c.text(lang) for c in cands] for lang in ("sv", "en")}
        corpus = [d for lang in ("sv", "en") for d in self.docs[lang] if d]
        self.word = TfidfVectorizer(analyzer="word", ngram_range=(1, 2), sublinear_tf=True,
                                    token_pattern=r"(?u)\b\w\w+\b",
                                    stop_words=sorted(STOP_WORDS | ENGLISH_STOP_WORDS))
        self.char = TfidfVectorizer(analyzer="char_wb", ngram_range=(3, 5), sublinear_tf=True)
        self.ok = bool(corpus)
        if self.ok:
            self.word.fit(corpus)
            self.char.fit(corpus)
        self.vocab = self.word.get_feature_names_out() if self.ok else []

    def similarity(self, lang: str) -> tuple[Any, Any, list[bool]]:
        """(text similarity matrix, word TF-IDF vectors, which candidates have text in
        `lang`)."""
        import numpy as np

        docs = self.docs[lang]
        w = self.word.transform(docs)
        c = self.char.transform(docs)
        tfidf = WORD_WEIGHT * (w @ w.T).toarray() + (1 - WORD_WEIGHT) * (c @ c.T).toarray()
        stems = _stem_matrix(docs)
        overlap = (stems @ stems.T).toarray()
        sizes = np.asarray(stems.sum(axis=1)).ravel()
        smaller = np.minimum.outer(sizes, sizes)
        shared = np.divide(overlap, smaller, out=np.zeros_like(overlap, dtype=float),
                           where=smaller > 0)
        sim = (1 - STEM_WEIGHT) * tfidf + STEM_WEIGHT * shared
        return sim, w, [bool(d) for d in docs]


def stems_of(text: str) -> set[str]:
    """The content words of a folded text, cut to their first STEM_LENGTH letters (a crude
    stemmer that makes "dagar"/"dagarna" and "intyg"/"intyget" one word)."""
    from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS

    return {t[:STEM_LENGTH] for t in search_tokens(text)
            if len(t) >= 3 and t not in STOP_WORDS and t not in ENGLISH_STOP_WORDS}


def _stem_matrix(docs: Sequence[str]) -> Any:
    """Documents × stems, binary (scipy sparse)."""
    from scipy.sparse import csr_matrix

    index: dict[str, int] = {}
    rows: list[int] = []
    cols: list[int] = []
    for i, d in enumerate(docs):
        for stem in stems_of(d):
            rows.append(i)
            cols.append(index.setdefault(stem, len(index)))
    return csr_matrix(([1.0] * len(rows), (rows, cols)), shape=(len(docs), max(len(index), 1)))


def _score(text: float, x: Candidate, y: Candidate) -> float:
    """Text, life events and general insights, weighted; a feature that one side lacks (no
    life event, no general insight: e.g. workshop notes) gives its weight to the text."""
    weight, score = TEXT_WEIGHT, TEXT_WEIGHT * text
    for w, mine, theirs in ((LIFE_EVENT_WEIGHT, x.life_events, y.life_events),
                            (GENERAL_WEIGHT, x.generals, y.generals)):
        if mine and theirs:
            score += w * _jaccard(mine, theirs)
        else:
            score += w * text
        weight += w
    return score / weight


def _pair_order(x: Candidate, y: Candidate) -> tuple[Candidate, Candidate]:
    """A pair's stable order: by first dataset, then id."""
    return (x, y) if (x.datasets, x.id) <= (y.datasets, y.id) else (y, x)


def propose(g: nx.MultiDiGraph, options: MatchOptions | None = None) -> list[Proposal]:
    """The proposed pairs, best first (see the module docstring)."""
    opt = options or MatchOptions()
    cands = candidates(g, opt.datasets)
    if opt.insight is not None and opt.insight not in {c.id for c in cands}:
        key = node_key(Label.INSIGHT, opt.insight)
        if key not in g:
            raise NotFound(f"no insight '{opt.insight}' in the graph")
    if len(cands) < 2:
        return []
    model = _TextModel(cands)
    if not model.ok:
        return []
    import numpy as np

    text = np.zeros((len(cands), len(cands)))
    per_lang: dict[str, Any] = {}
    word_vectors: dict[str, Any] = {}
    for lang in ("sv", "en"):
        raw, wv, has = model.similarity(lang)
        sim = np.where(np.outer(has, has), raw, 0.0)
        per_lang[lang] = sim
        word_vectors[lang] = (wv, has)
        text = np.maximum(text, sim)
    skip = set() if opt.include_decided else decided_pairs(g)
    skip |= opt.exclude
    scored: list[tuple[float, int, int]] = []
    for i, x in enumerate(cands):
        for j in range(i + 1, len(cands)):
            y = cands[j]
            if set(x.datasets) & set(y.datasets):
                continue  # one dataset: its authors keep them apart on purpose
            if frozenset((x.id, y.id)) in skip:
                continue
            if opt.insight is not None and opt.insight not in (x.id, y.id):
                continue
            score = _score(float(text[i, j]), x, y)
            if score >= opt.min_score:
                scored.append((min(score, 1.0), i, j))
    scored.sort(key=lambda t: (-t[0], cands[t[1]].id, cands[t[2]].id))
    partner: set[tuple[str, str]] = set()  # (insight, a dataset it already has a partner in)
    out: list[Proposal] = []
    for score, i, j in scored:
        x, y = cands[i], cands[j]
        if any((x.id, d) in partner for d in y.datasets) or any(
                (y.id, d) in partner for d in x.datasets):
            continue
        partner.update((x.id, d) for d in y.datasets)
        partner.update((y.id, d) for d in x.datasets)
        out.append(_proposal(x, y, i, j, score, float(text[i, j]), per_lang, word_vectors,
                             model.vocab))
        if opt.limit is not None and len(out) >= opt.limit:
            break
    return out


def _shared_words(i: int, j: int, word_vectors: dict[str, Any], vocab: Any,
                  lang: str, n: int = 5) -> tuple[str, ...]:
    """The terms that contribute most to the word similarity of i and j in `lang`."""
    wv, has = word_vectors[lang]
    if not (has[i] and has[j]):
        return ()
    contrib = wv[i].multiply(wv[j]).tocoo()
    best = sorted(zip(contrib.data, contrib.col, strict=True), key=lambda t: (-t[0], t[1]))
    return tuple(str(vocab[c]) for _, c in best[:n])


def _proposal(x: Candidate, y: Candidate, i: int, j: int, score: float, text: float,
              per_lang: dict[str, Any], word_vectors: dict[str, Any], vocab: Any) -> Proposal:
    lang = max(("sv", "en"), key=lambda lg: float(per_lang[lg][i, j]))
    words = _shared_words(i, j, word_vectors, vocab, lang)
    events = tuple(sorted(x.life_events & y.life_events))
    gens = tuple(sorted(x.generals & y.generals))
    parts = [f"text {text:.2f} ({'Swedish' if lang == 'sv' else 'English'})"]
    if words:
        parts.append("shared words: " + ", ".join(words))
    if events:
        parts.append("same life event: " + ", ".join(events))
    if gens:
        parts.append("same general insight: " + ", ".join(gens))
    (a, b) = _pair_order(x, y)
    return Proposal(a=a.id, b=b.id, score=score, reason="; ".join(parts), text_score=text,
                    a_title=a.title, b_title=b.title, a_datasets=a.datasets,
                    b_datasets=b.datasets, shared_words=words, shared_life_events=events,
                    shared_generals=gens)


def precision_recall(proposals: Iterable[Proposal],
                     truth: Iterable[tuple[str, str]]) -> tuple[float, float, int, int]:
    """(precision, recall, true positives, proposals) of `proposals` against the true pairs."""
    true = {frozenset(p) for p in truth}
    got = [frozenset((p.a, p.b)) for p in proposals]
    hits = sum(1 for p in got if p in true)
    precision = hits / len(got) if got else 1.0
    recall = hits / len(true) if true else 1.0
    return precision, recall, hits, len(got)
