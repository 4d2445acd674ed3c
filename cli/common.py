"""What the command modules share: the argument parser (bad usage is one line and exit 2), a command
as its options plus its code, and the runtime."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING, Any, NamedTuple, Protocol, TextIO

from core.errors import UsageError
from core.settings import get_settings

if TYPE_CHECKING:
    from agents.runtime import Runtime

__all__ = ["Command", "Handler", "Parser", "Subparsers", "new_runtime"]


class Parser(argparse.ArgumentParser):
    def error(self, message: str) -> None:  # one line, exit 2, as for every other bad input
        raise UsageError(f"{message} (see `{self.prog} --help`)")


class Subparsers(Protocol):
    """What ``add_subparsers`` returns, as far as a command module uses it."""

    def add_parser(self, name: str, **kwargs: Any) -> argparse.ArgumentParser: ...


Handler = Callable[[argparse.Namespace, TextIO, TextIO], int]


class Command(NamedTuple):
    """One subcommand: ``add_parser(sub)`` declares it and its options; ``run(args, out, stdin)`` does
    it and returns the exit code."""

    add_parser: Callable[[Subparsers], None]
    run: Handler


def new_runtime() -> Runtime:
    """The runtime on the current settings (imported only when a command needs it)."""
    from agents.runtime import Runtime

    return Runtime(get_settings())
