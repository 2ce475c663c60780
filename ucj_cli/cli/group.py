"""Typer, speaking the run's language: the "Usage:" label and usage errors as coded diagnostics.

Typer's own help labels (Options, Arguments, Error...) already go through gettext. Two things do
not: the "Usage: " prefix, hard-coded in the click that Typer vendors, and click's usage errors
("No such option", "Missing argument"...), which are English sentences built inside click. ucj's
group runs the command line itself, catches click's usage error and prints it as ucj prints every
mistake in how it was called: the usage line, then `ucj: <sentence> [E-usage-...]`, exit 2.
"""

from __future__ import annotations

import errno
import re
import sys
from collections.abc import MutableMapping
from typing import Any, Iterator, List, NoReturn

import typer
import typer.main
from typer._click import exceptions as click_errors
from typer.core import TyperArgument, TyperCommand, TyperGroup, TyperOption
from typer.exceptions import Abort

from ucj_cli.errors import UcjError
from ucj_cli.i18n import _


class _UsageLabel:
    """Writes the usage line with the translated "Usage: " prefix and `[OPTIONS]` placeholder."""

    def format_usage(self, ctx: Any, formatter: Any) -> None:
        placeholders = {"[OPTIONS]": _("[OPTIONS]"), "COMMAND [ARGS]...": _("COMMAND [ARGS]...")}
        pieces = [placeholders.get(piece, piece) for piece in self.collect_usage_pieces(ctx)]  # type: ignore[attr-defined]
        formatter.write_usage(ctx.command_path, " ".join(pieces), prefix=_("Usage: "))


class PlainArgument(TyperArgument):
    """An argument as CLI help usually shows it: `FILE`, `[OTHER]`, `PATH...`, never a Python type
    (`{FILE}`, `PATH... <list[str]>`)."""

    def _usage_display_name(self) -> str:
        name = self.display_name_raw
        if self.nargs != 1 and not name.endswith("..."):
            name += "..."
        return name if self.required or name.startswith("[") else f"[{name}]"

    def display_type_rich(self, ctx: Any) -> None:
        return None


class PlainOption(TyperOption):
    """An option's value as CLI help usually shows it: `--year YEAR`, `--format [table|json]`, its
    metavar where one is given; never a Python type (`<list[int]>`, `<str>`)."""

    def display_type_rich(self, ctx: Any) -> str:
        if self.metavar is not None:
            return self.metavar
        described = self.type_descriptor
        if described.is_choice and described.choices:
            return "[" + "|".join(str(getattr(choice, "value", choice)) for choice in described.choices) + "]"
        if described.is_path:
            return "PATH" if getattr(described.parameter_info, "file_okay", True) else "DIR"
        return (self.name or "value").upper()


def _plain_parameters(params: list[Any]) -> None:
    """Typer builds its own parameter classes; ucj's commands show theirs through the plain ones."""
    for param in params:
        if type(param) is TyperArgument:
            param.__class__ = PlainArgument
        elif type(param) is TyperOption:
            param.__class__ = PlainOption


class _LightParams:
    """Parameters coerced without pydantic (`cli_params`): installed just before parsing."""

    def parse_args(self, ctx: Any, args: list[str]) -> list[str]:
        from ucj_cli.cli.params import install

        install(self.get_params(ctx))  # type: ignore[attr-defined]
        return super().parse_args(ctx, args)  # type: ignore[misc]


class UcjCommand(_UsageLabel, _LightParams, TyperCommand):
    """A ucj command: translated usage label, plain metavars, light parameter coercion."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_parameters(self.params)


class UcjGroup(_UsageLabel, _LightParams, TyperGroup):
    """The `ucj` group: translated usage label, plain metavars, light parameter coercion, and
    click's usage errors as coded diagnostics."""

    app: UcjTyper | None = None  # the app whose commands are built when asked for (set by UcjTyper)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        _plain_parameters(self.params)
        if self.app is not None:
            commands = _Commands(self.app)
            for name, command in self.commands.items():
                commands[name] = command
            self.commands = commands

    def list_commands(self, ctx: Any) -> list[str]:
        """The commands' names in the order registered, none of them built."""
        return list(self.commands)

    def main(self, args: Any = None, *rest: Any, standalone_mode: bool = True, **kwargs: Any) -> Any:
        from ucj_cli.i18n import resolve_language, set_language

        args = list(sys.argv[1:] if args is None else args)
        # Chosen before Typer parses anything, so that help and usage errors printed while parsing
        # are in that language too, wherever --lang stands on the line.
        set_language(resolve_language(language_from_argv(args)))
        if not standalone_mode:
            return super().main(args, *rest, standalone_mode=False, **kwargs)
        try:
            code = super().main(args, *rest, standalone_mode=False, **kwargs)  # an Exit comes back as its code
            sys.stdout.flush()  # a full disk is met here, not in the interpreter's last flush
        except OSError as exc:
            if exc.errno not in _STREAM_ERRORS:
                raise
            stream_failed(exc)
        except click_errors.NoArgsIsHelpError as exc:
            if exc.message:  # without Rich, the help is in the message; with Rich it is already printed
                try:
                    typer.echo(exc.message)
                    sys.stdout.flush()
                except OSError as error:
                    if error.errno not in _STREAM_ERRORS:
                        raise
                    stream_failed(error)
            sys.exit(exc.exit_code)
        except UcjError as exc:  # a coded problem met while rendering (a sheet past Excel's rows): never a traceback
            from ucj_cli.output import print_diagnostics

            print_diagnostics(exc.diagnostics)
            sys.exit(getattr(exc, "exit_code", 2))
        except click_errors.UsageError as exc:
            if exc.ctx is not None:
                typer.echo(exc.ctx.get_usage(), err=True)
            code, args = usage_error(exc)
            say(code, **args)
            sys.exit(2)
        except Abort:
            typer.echo(_("Aborted."), err=True)
            sys.exit(1)
        except click_errors.ClickException as exc:  # e.g. a file Typer could not open: no position to give
            say("E-usage-other", detail=exc.format_message(), command="ucj")
            sys.exit(exc.exit_code)
        sys.exit(code if isinstance(code, int) else 0)


# A full disk, a quota, a failing device or a closed reader on standard output or error, met by any
# command, by its help or by --version: one coded line and exit 3 (README, "Exit codes"), as
# `output.write_stdout` does for a result; a closed pipe ends quietly (141), as it ends `cat`.
_STREAM_ERRORS = (errno.ENOSPC, errno.EDQUOT, errno.EIO, errno.EPIPE, errno.EBADF)


def stream_failed(exc: OSError) -> NoReturn:
    from ucj_cli.output import EXIT_WRITE, silence_stream, write_error

    silence_stream(sys.stdout)
    if exc.errno == errno.EPIPE:
        sys.exit(141)
    try:
        print(write_error("<stdout>", exc).diagnostic, file=sys.stderr)
        sys.stderr.flush()
    except OSError:
        silence_stream(sys.stderr)
    sys.exit(EXIT_WRITE)


def language_from_argv(argv: list[str]) -> str | None:
    """`--lang X` / `--lang=X` anywhere before `--`."""
    for position, arg in enumerate(argv):
        if arg == "--":
            break
        if arg == "--lang" and position + 1 < len(argv):
            return argv[position + 1]
        if arg.startswith("--lang="):
            return arg.split("=", 1)[1]
    return None


class UcjTyper(typer.Typer):
    """`typer.Typer` whose commands are `UcjCommand`s, so that every command registered on the app,
    in any module, prints the translated usage label; and are built only when asked for. Typer
    builds every command of an app (each parameter read from its function's signature) before it
    parses the command line: ucj's group builds the one the line names (every one for `--help`)."""

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.lazy_commands: dict[str, Any] = {}  # name -> Typer's CommandInfo, in the order registered
        group = self.info.cls if isinstance(self.info.cls, type) and issubclass(self.info.cls, UcjGroup) else UcjGroup
        self.info.cls = type(group.__name__, (group,), {"app": self})

    def command(self, *args: Any, cls: Any = None, **kwargs: Any) -> Any:
        register = super().command(*args, cls=cls or UcjCommand, **kwargs)

        def lazily(function: Any) -> Any:
            register(function)
            info = self.registered_commands.pop()  # kept from Typer, which would build it at once
            self.lazy_commands[info.name or typer.main.get_command_name(function.__name__)] = info
            return function

        return lazily


class _Commands(MutableMapping):
    """A group's commands by name, each built by Typer the first time it is asked for."""

    def __init__(self, app: UcjTyper) -> None:
        self.app = app
        self.built: dict[str, Any] = {}
        self.names = list(app.lazy_commands)

    def __getitem__(self, name: str) -> Any:
        if name not in self.built:
            info = self.app.lazy_commands.get(name) if name in self.names else None
            if info is None:
                raise KeyError(name)
            self.built[name] = typer.main.get_command_from_info(info, pretty_exceptions_short=self.app.pretty_exceptions_short,
                                                                rich_markup_mode=self.app.rich_markup_mode)
        return self.built[name]

    def __setitem__(self, name: str, command: Any) -> None:
        self.built[name] = command
        if name not in self.names:
            self.names.append(name)

    def __delitem__(self, name: str) -> None:
        self.names.remove(name)
        self.built.pop(name, None)

    def __iter__(self) -> Iterator[str]:
        return iter(list(self.names))

    def __len__(self) -> int:
        return len(self.names)


_EXTRA = re.compile(r"unexpected extra argument\(s\) \((.*)\)$")
_COMMAND = re.compile(r"No such command '(.*?)'")
_PATH_KIND = re.compile(r"'(.*)' is a (file|directory)")


def say(code: str, **args: Any) -> None:
    """Print a usage diagnostic: `ucj: <sentence> [code]` on stderr."""
    from ucj_cli.i18n.messages import render

    typer.echo(f"ucj: {render(code, tuple(sorted(args.items())))} [{code}]", err=True)


def usage(code: str, **args: Any) -> NoReturn:
    """A mistake in how ucj was called (no file position): `ucj: <sentence> [code]`, exit 2."""
    say(code, **args)
    raise typer.Exit(2)


def usage_error(exc: click_errors.UsageError) -> tuple[str, dict[str, Any]]:
    """The code and arguments of one of click's usage errors. click builds English sentences; the
    parts ucj can know (the option, the parameter, the choices) are read from the exception, and
    what only click knows (a type's complaint) is passed on as `detail`."""
    from ucj_cli.i18n.messages import Choices, Label, Phrase, Quoted

    ctx = exc.ctx
    command = ctx.command_path if ctx is not None else "ucj"
    param = getattr(exc, "param", None)
    name = param.get_error_hint() if param is not None else ""
    if isinstance(exc, click_errors.NoSuchOption):
        hint = Phrase("did you mean {option}? ", option=Quoted(sorted(exc.possibilities)[0])) if exc.possibilities else ""
        return "E-usage-no-such-option", {"option": Quoted(exc.option_name), "hint": hint, "command": command}
    if isinstance(exc, click_errors.MissingParameter):
        kind = Label("argument") if getattr(param, "param_type_name", "") == "argument" else Label("option")
        return "E-usage-missing", {"kind": kind, "name": name, "command": command}
    if isinstance(exc, click_errors.BadParameter):
        described = getattr(param, "type_descriptor", None)
        if getattr(described, "is_choice", False) and described.choices:
            return "E-usage-choice", {"name": name, "choices": Choices(str(getattr(c, "value", c)) for c in described.choices)}
        if getattr(param, "min", None) is not None:
            return "E-usage-whole-number", {"name": name, "minimum": param.min}
        if getattr(described, "annotation", None) in (int, List[int]):  # click's detail is an English pydantic sentence
            return "E-usage-not-whole", {"name": name}
        path = _PATH_KIND.search(exc.message) if getattr(described, "is_path", False) else None
        if path:
            code = "E-usage-path-is-file" if path.group(2) == "file" else "E-usage-path-is-folder"
            return code, {"name": name, "path": Quoted(path.group(1))}
        return "E-usage-bad-value", {"name": name, "detail": exc.message, "command": command}
    if isinstance(exc, click_errors.BadOptionUsage):
        code = "E-usage-option-value" if "requires" in exc.message else "E-usage-option-no-value"
        return code, {"option": Quoted(exc.option_name)}
    extra, unknown = _EXTRA.search(exc.message), _COMMAND.search(exc.message)
    if extra:
        return "E-usage-extra-arguments", {"arguments": Quoted(extra.group(1)), "command": command}
    if unknown or exc.message.startswith("Missing command"):
        group = ctx.command if ctx is not None else None
        commands = Choices(group.list_commands(ctx)) if hasattr(group, "list_commands") else Choices()
        if unknown:
            from ucj_cli.errors import suggest

            return "E-usage-no-such-command", {"name": Quoted(unknown.group(1)), "commands": commands, "hint": suggest(unknown.group(1), commands)}
        return "E-usage-missing-command", {"commands": commands}
    return "E-usage-other", {"detail": exc.message, "command": command}
