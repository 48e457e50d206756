"""The desktop UI: the only layer that imports Qt widgets."""
