"""Test doubles shared by every kind of test, in one place.

- ``openai_server``: an OpenAI-compatible server on loopback that scripts replies and injects
  faults (timeouts, 429s, 5xx, cut streams, malformed JSON, refused connections).
- ``documents``: small PDF, DOCX and HTML files made in a test.
- The scripted chat model is the app's own ``agents.models.FakeChatModel`` (the ``fake`` provider);
  ``tests/conftest.py`` hands it to tests as the ``fake_model`` fixture.
"""

__all__: list[str] = []
