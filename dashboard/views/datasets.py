"""Dataset / Datasets: every loaded dataset's history of loads (hash, time, who, counts, what
each load added, removed and changed) and the entry changes of its latest load."""

from __future__ import annotations

import pandas as pd
import streamlit as st

from dashboard import ui
from dashboard.i18n import t
from graph.errors import InsiktError

VERSION_COLUMNS = ("version", "action", "at", "by", "nodes", "relationships", "added",
                   "removed", "changed", "hash")
DIFF_COLUMNS = ("action", "kind", "key", "fields")

ui.require_data()
st.title(t("page.datasets"))
st.caption(t("datasets.intro"))

infos = ui.datasets()
dataset = st.selectbox(t("datasets.pick"), [d.id for d in infos], key=ui.wkey("ds_pick"))
store = ui.get_store()
try:
    versions = store.load_versions(dataset)
    diff = store.last_diff(dataset) if dataset else []
except InsiktError as exc:
    ui.fail(exc)


def _total(summary: dict[str, int] | None, what: str) -> int | None:
    if not summary:
        return None
    return summary.get(f"{what}_nodes", 0) + summary.get(f"{what}_relationships", 0)


st.subheader(t("datasets.versions"))
rows = [{"version": v["version"], "action": t(f"datasets.action.{v['action']}"),
         "at": str(v["at"]).replace("T", " ").replace("+00:00", " UTC"), "by": v["by"],
         "nodes": v["nodes"], "relationships": v["relationships"],
         "added": _total(v.get("summary"), "added"),
         "removed": _total(v.get("summary"), "removed"),
         "changed": _total(v.get("summary"), "changed"),
         "hash": (v.get("content_hash") or "")[:12]} for v in reversed(versions)]
df = pd.DataFrame(rows, columns=list(VERSION_COLUMNS))
ui.table(df.rename(columns={c: t(f"datasets.col.{c}") for c in VERSION_COLUMNS}),
         "ds_versions", f"versioner-{dataset}")

st.subheader(t("datasets.last_diff"))
if not diff:
    st.info(t("datasets.no_changes"))
else:
    df = pd.DataFrame([{"action": t(f"datasets.change.{c['action']}"),
                        "kind": t(f"datasets.kind.{c['kind']}"), "key": c["key"],
                        "fields": ", ".join(c.get("fields") or [])} for c in diff],
                      columns=list(DIFF_COLUMNS))
    ui.table(df.rename(columns={c: t(f"datasets.col.{c}") for c in DIFF_COLUMNS}),
             "ds_diff", f"andringar-{dataset}")
