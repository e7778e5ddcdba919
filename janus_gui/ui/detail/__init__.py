"""The detail pane (`panel.DetailPanel`) and its tabs, one module per tab."""
