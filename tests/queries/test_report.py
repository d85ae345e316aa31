"""The governance report: its content against independent computations from the seed data,
both renderings, self-containment and escaping of what the data says."""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import networkx as nx
import pytest
import yaml

from graph.errors import InsiktError
from graph.store import apply_graph_data
from loaders.dataset import read_dataset
from queries.analytics import burden, communities
from queries.report import build_report, render_html, render_markdown, write_report
from queries.report_texts import EN, SV
from tests.conftest import SEED, TINY


def graph_of(path: Path) -> nx.MultiDiGraph:
    g = nx.MultiDiGraph()
    apply_graph_data(g, read_dataset(path))
    return g


def entries(stem: str) -> list[dict[str, Any]]:
    return list(yaml.safe_load((SEED / f"{stem}.yaml").read_text(encoding="utf-8")) or [])


@pytest.fixture(scope="module")
def seed() -> nx.MultiDiGraph:
    return graph_of(SEED)


def test_gaps_match_the_seed_files(seed: nx.MultiDiGraph) -> None:
    report = build_report(seed)
    insights = {i["id"]: i for i in entries("insights")}
    principles = entries("principles")
    addressed = {t for p in principles for t in p.get("addresses") or []}
    assert {g.insight for g in report.principle_gaps} == {
        i for i, x in insights.items() if i not in addressed and x.get("status") != "superseded"}
    applies: dict[str, set[str]] = {}
    addressing: dict[str, set[str]] = {}
    for p in principles:
        for a in p.get("applied_by") or []:
            applies.setdefault(a["agency"], set()).add(p["id"])
        for t in p.get("addresses") or []:
            addressing.setdefault(t, set()).add(p["id"])
    expected = set()
    for i, x in insights.items():
        candidates = set(addressing.get(i, set()))
        for gen in x.get("instance_of") or []:
            candidates |= addressing.get(gen, set())
        for r in x.get("reported_by") or []:
            if candidates and not candidates & applies.get(r["agency"], set()):
                expected.add((r["agency"], i))
    assert {(g.agency, g.insight) for g in report.action_gaps} == expected


def test_matrix_networks_burden_and_provenance(seed: nx.MultiDiGraph) -> None:
    report = build_report(seed)
    m = report.matrix
    n = len(m.agencies)
    assert n and not m.truncated
    for i in range(n):
        for j in range(n):
            assert m.counts[i][j] == m.counts[j][i]
        assert any(m.counts[i][j] for j in range(n) if j != i)  # shares ≥ 1
    assert report.burden == burden(seed)
    comm = communities(seed)
    assert report.networks == tuple(c for c in comm.communities if len(c.members) > 1)
    assert all(r.agencies >= 2 and r.kind == "specific" for r in report.top_shared)
    p = report.provenance
    assert p.datasets == (("seed", seed.number_of_nodes()),)
    assert sum(n for _, n in p.sources_by_kind) == len(entries("sources"))
    assert p.total == seed.number_of_nodes() and 0 < p.illustrative_share < 1


def test_html_is_self_contained_and_printable(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    out = write_report(seed, tmp_path / "report.html")
    text = out.read_text(encoding="utf-8")
    assert text.startswith("<!DOCTYPE html>")
    for forbidden in ("<script", "<link", "@import", "url(", "src=", "http"):
        assert forbidden not in text.lower(), forbidden
    assert "@media print" in text and "@page" in text and text.count("<svg") >= 2
    assert '<html lang="sv">' in text
    for key in ("h.matrix", "h.networks", "h.gaps", "h.action", "h.burden", "h.provenance"):
        assert SV[key] in text and EN[key] not in text  # one language per report
    md = write_report(seed, tmp_path / "report.md").read_text(encoding="utf-8")
    assert md.startswith("# Insiktsgrafen")
    assert f"## {SV['h.networks']}" in md
    for b in burden(seed):
        assert b.name in text and b.name in md
    english = write_report(seed, tmp_path / "report-en.html", lang="en").read_text("utf-8")
    assert '<html lang="en">' in english and EN["h.networks"] in english
    assert SV["h.networks"] not in english


def test_the_report_speaks_one_language_with_names(seed: nx.MultiDiGraph) -> None:
    """Names in the report's language, never the slugs, in the matrix, the tables and the
    networks' agendas; numbers written the language's way."""
    agencies = {a["id"]: a for a in entries("agencies")}
    insights = {i["id"]: i for i in entries("insights")}
    for lang in ("sv", "en"):
        report = build_report(seed, lang=lang)
        md = render_markdown(report)
        html = render_html(report)
        cells = {c.strip() for line in md.splitlines() if line.startswith("|")
                 for c in line.split("|")}
        words = set(re.findall(r"[\w-]+", md))
        texts = " ".join(str(v) for x in (*agencies.values(), *insights.values())
                         for k, v in x.items() if k in ("name", "name_en", "title", "title_en"))
        prose = set(re.findall(r"[\w-]+", texts))  # a slug may be a word of a name too
        slugs = {s for s in set(agencies) | set(insights) if "-" in s} - prose
        assert not slugs & words, sorted(slugs & words)[:5]  # no slug anywhere in the text
        for a in report.matrix.agencies:
            name = agencies[a].get("name_en") if lang == "en" else None
            name = name or agencies[a]["name"]
            assert any(c.endswith(f". {name}") for c in cells), name
            assert name in html
        agenda = report.networks[0].agenda[0]
        shown = report.name("Agency", agenda.applied_by[0])
        assert shown != agenda.applied_by[0] and shown in md
        modularity = f"{report.modularity:.3f}"
        assert (modularity.replace(".", ",") if lang == "sv" else modularity) in md
    burdened = build_report(seed, lang="sv").burden[0]
    assert f"{burdened.index:g}".replace(".", ",") in render_markdown(build_report(seed))


def test_both_languages_have_every_word() -> None:
    assert set(SV) == set(EN)
    assert all(v.strip() for v in (*SV.values(), *EN.values()))


def test_an_unknown_language_is_refused(seed: nx.MultiDiGraph) -> None:
    with pytest.raises(InsiktError, match="speaks sv and en"):
        build_report(seed, lang="de")


def test_text_from_the_data_is_escaped(tmp_path: Path) -> None:
    folder = tmp_path / "evil"
    shutil.copytree(TINY, folder)
    planted = "<script>alert('x')</script> | Banken"
    agencies = yaml.safe_load((folder / "agencies.yaml").read_text(encoding="utf-8"))
    for a in agencies:
        if a["id"] == "skatteverket":
            a["name"] = planted
    (folder / "agencies.yaml").write_text(yaml.safe_dump(agencies, allow_unicode=True),
                                          encoding="utf-8")
    insights = yaml.safe_load((folder / "insights.yaml").read_text(encoding="utf-8"))
    insights[2]["title"] = '<img src=x onerror="alert(1)">'
    (folder / "insights.yaml").write_text(yaml.safe_dump(insights, allow_unicode=True),
                                          encoding="utf-8")
    report = build_report(graph_of(folder))
    html = render_html(report)
    assert "<script" not in html and "<img" not in html
    assert "&lt;script&gt;alert(&#x27;x&#x27;)&lt;/script&gt;" in html
    md = render_markdown(report)
    assert "<script" not in md and "&lt;script&gt;" in md
    assert re.search(r"&lt;/script&gt; \\\| Banken", md)  # a '|' cannot break a table row


def test_unknown_suffix_is_refused(seed: nx.MultiDiGraph, tmp_path: Path) -> None:
    with pytest.raises(InsiktError, match=r"\.html or \.md"):
        write_report(seed, tmp_path / "report.pdf")


def test_large_report_is_bounded(large_dataset: Path, tmp_path: Path) -> None:
    g = graph_of(large_dataset)
    report = build_report(g)
    assert report.matrix.truncated and len(report.matrix.agencies) == 30
    html = write_report(g, tmp_path / "big.html").read_text(encoding="utf-8")
    assert SV["more_rows"].split("{")[0] + "" in html and "rader till" in html  # cut, and says so
