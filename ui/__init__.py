"""The page's parts: one module per tab (practice, prepare, followup, history, knowledge), each holding its
layout (``create_ui``), its handlers and its event wiring (``create_event_handlers``); ``page`` for what the
whole page shares (header, status line, persona pickers); ``view`` for the pure converters (records to
Markdown, HTML and tables); ``links`` for the typed objects one tab hands another; ``common`` for the title,
the style sheet and the private folder. ``app.py`` composes them.

Importing any of them changes nothing: the private folder is made when the page is built or launched.
"""

__all__: list[str] = []
