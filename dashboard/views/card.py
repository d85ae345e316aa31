"""Insiktskort / Insight card: one insight's printable card (queries.card), shown as it
prints and downloadable as HTML or Markdown; `?insight=ID` links to a card."""

from __future__ import annotations

from dashboard import ui
from dashboard.governance import card_page

ui.require_data()
card_page()
