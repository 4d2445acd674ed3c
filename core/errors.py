"""Every error the app raises on purpose, in one place.

Each message is one line that says what went wrong and then ``Fix: …``. The root is
:class:`InformantError`; its ``exit_code`` is what the ``informant`` command exits with (the CLI
maps errors to exit codes here, nowhere else), and the page shows the message as a warning.

- :class:`UserError` (exit 2): bad input the user can correct: a command line, a question, a
  persona, a document, a session file, a question list, a thank-you note.
- :class:`ServiceError` (exit 1): something the app depends on failed: the chat model, the
  embedding model.

They keep ``ValueError`` and ``RuntimeError`` as bases, so code that catches those still works.
"""

from __future__ import annotations

__all__ = [
    "EXIT_FAILURE",
    "EXIT_USAGE",
    "EmbeddingError",
    "FollowUpError",
    "IngestError",
    "InformantError",
    "InputError",
    "ModelError",
    "ModelRequestsBlockedError",
    "PersonaError",
    "PrepareError",
    "ServiceError",
    "SessionError",
    "UsageError",
    "UserError",
    "exit_code",
]

EXIT_USAGE = 2
EXIT_FAILURE = 1


class InformantError(Exception):
    """The root of the app's own errors: one line, naming the fix."""

    exit_code = EXIT_FAILURE


class UserError(InformantError, ValueError):
    """Input the user can correct."""

    exit_code = EXIT_USAGE


class UsageError(UserError):
    """A bad command line."""


class InputError(UserError):
    """The seeker's question cannot be used; the message says what to do instead."""


class PersonaError(UserError):
    """An unknown persona, a bad persona card, or a bio no persona can be made from."""


class IngestError(UserError):
    """A document cannot be read or added to the notes (or a source cannot be forgotten)."""


class SessionError(UserError):
    """A session cannot be found, or a file cannot be imported."""


class PrepareError(UserError):
    """Bad input to a question list."""


class FollowUpError(UserError):
    """A thank-you note cannot be written."""


class ServiceError(InformantError, RuntimeError):
    """Something the app depends on failed."""

    exit_code = EXIT_FAILURE


class ModelError(ServiceError):
    """A chat model could not be created or used."""


class ModelRequestsBlockedError(ModelError):
    """A real model was asked for while model requests are switched off (the test suite)."""


class EmbeddingError(ServiceError):
    """The embedding model could not be loaded or used."""


def exit_code(exc: BaseException) -> int:
    """The ``informant`` command's exit code for an error it caught."""
    return exc.exit_code if isinstance(exc, InformantError) else EXIT_FAILURE
