"""Output: one registry of formats and one dispatch (`registry.py`), then a module per result kind.
Renderers format what the engine computed; they never compute money."""
