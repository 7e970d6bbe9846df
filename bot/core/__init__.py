"""The pure core: rules computed from plain values, with time passed in; no I/O."""
