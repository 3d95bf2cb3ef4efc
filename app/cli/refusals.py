"""A registry refusal ends a command with its message (exit code 1), never a traceback."""

from __future__ import annotations

from collections.abc import Callable
from functools import wraps
from typing import ParamSpec, TypeVar

import click

from app.registry.errors import RegistryError

P = ParamSpec("P")
R = TypeVar("R")


def registry_refusals(command: Callable[P, R]) -> Callable[P, R]:
    """Put under `@group.command(...)`: a RegistryError becomes a ClickException."""

    @wraps(command)
    def run(*args: P.args, **kwargs: P.kwargs) -> R:
        try:
            return command(*args, **kwargs)
        except RegistryError as exc:
            raise click.ClickException(exc.message) from None

    return run
