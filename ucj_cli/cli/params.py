"""Command-line values into Python values without importing pydantic on every run.

Typer (0.2x) coerces each parameter through a pydantic `TypeAdapter` built on first use, and it
builds one for every parameter of the command, given or not: importing pydantic and building the
adapters was ~75 ms of a 0.2 s `ucj simulate FILE -f json`. For the kinds ucj's parameters have
(str, bool, Enum, Path, int and lists of them) those adapters only call Typer's own helpers
(`coerce_cli_choice`, `coerce_cli_path`), read plain digits as a whole number, or pass the value
through; `Light` does the same directly. A value it does not recognise (a malformed number, a
choice that is not one) goes to the adapter Typer would have used, built then, so every message
stays Typer's.
"""

from __future__ import annotations

import os
from dataclasses import field
from enum import Enum
from pathlib import Path
from typing import Any, get_args, get_origin

from ucj_cli.frozen import frozen

try:  # Typer's private coercion layer (0.2x); without it, Typer coerces as it always did
    from typer._coercion import RuntimeParam, build_runtime_param
    from typer._param_types import coerce_cli_choice, coerce_cli_path
except ImportError:  # pragma: no cover - another Typer
    RuntimeParam = None  # type: ignore[assignment,misc]

_UNKNOWN = object()


if RuntimeParam is not None:

    @frozen
    class Light(RuntimeParam):  # type: ignore[misc,valid-type]
        """A parameter's coercion: Typer's helpers for the kinds ucj uses, Typer's adapter for the rest."""

        descriptor: Any = None
        built: dict = field(default_factory=dict)  # Typer's own runtime param, built on first need

        def _coerce_value(self, value: Any, param: Any, ctx: Any) -> Any:
            if get_origin(self.annotation) is list:
                kind = get_args(self.annotation)[0]
                items = value if isinstance(value, (list, tuple)) else [value]
                found = [self._leaf(kind, item, param, ctx) for item in items]
                if not any(item is _UNKNOWN for item in found):
                    return found
            else:
                found = self._leaf(self.annotation, value, param, ctx)
                if found is not _UNKNOWN:
                    return found
            if "typer" not in self.built:
                self.built["typer"] = build_runtime_param(self.descriptor)
            return self.built["typer"]._coerce_value(value, param=param, ctx=ctx)

        def _leaf(self, kind: Any, value: Any, param: Any, ctx: Any) -> Any:
            info = self.parameter_info
            if info.parser is not None:
                return _UNKNOWN
            if kind is str or kind is bool:
                return value if type(value) is kind else _UNKNOWN
            if kind is int:
                if type(value) is str and value.isascii() and value.isdigit():  # `--jobs 1`: what pydantic makes of plain digits
                    value = int(value)
                fits = type(value) is int and (info.min is None or value >= info.min) and (info.max is None or value <= info.max)
                return value if fits else _UNKNOWN
            if isinstance(kind, type) and issubclass(kind, Enum):
                try:
                    return coerce_cli_choice(value, choices=tuple(kind), case_sensitive=info.case_sensitive, ctx=ctx)
                except ValueError:
                    return _UNKNOWN
            if isinstance(kind, type) and issubclass(kind, Path) and isinstance(value, str) and value not in ("", "-"):
                # Checked as the text typed (Typer's messages quote it), then made a Path as pydantic
                # would; "" and "-" differ as text and as Path, so Typer takes them.
                path_type = info.path_type if info.path_type is not None else kind
                checked = coerce_cli_path(value, info, path_type=str, param=param, ctx=ctx)
                return checked if path_type is str else os.fsencode(checked) if path_type is bytes else path_type(checked)
            return _UNKNOWN


def install(params: Any) -> None:
    """Give each of a command's Typer parameters the light coercion, before it is first used."""
    if RuntimeParam is None:
        return
    for param in params:
        descriptor = getattr(param, "type_descriptor", None)
        if descriptor is not None and getattr(param, "_runtime_param", 0) is None and descriptor.file_annotation is None:
            param._runtime_param = Light(descriptor.parameter_info, descriptor.annotation, descriptor)
