"""Tabs of the detail pane (one module per tab)."""
