"""Components: pure builders (DataFrames/values in, Dash components / plotly figure dicts out)."""
