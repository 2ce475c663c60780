"""YAML with positions: every value keeps the line and column it was written at.

Scenarios and rule files are read through here so that any problem can be reported as
`file:line:column`. libyaml's CSafeLoader is used when present (it keeps marks and is ~10x faster);
PyYAML's pure-Python SafeLoader otherwise. Only the node graph is composed: no Python objects are
built from untrusted input. An alias shares the node it names rather than copying it, and what
aliases repeat is budgeted against what the file writes out, so a "billion laughs" document or a
recursive alias ends in a clear error in milliseconds, while an 80,000-cohort scenario loads.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from dataclasses import dataclass, field
from typing import Any, Iterator

import yaml

from ucj_cli.errors import Diagnostic, Mark, diagnostic
from ucj_cli.i18n.messages import Count, Label, Phrase, Quoted

try:
    from yaml import CSafeLoader as _Loader
except ImportError:  # pragma: no cover - depends on how PyYAML was built
    from yaml import SafeLoader as _Loader  # type: ignore[assignment]

_TAG = "tag:yaml.org,2002:"
MAX_DEPTH = 64
MIN_ALIAS_NODES = 100_000  # values aliases may add in any document (`<<: *defaults` on every cohort)
ALIAS_RATIO = 4  # and beyond that, at most this many per value written out in the file


@dataclass(frozen=True)
class Node:
    """A YAML value with its position. `value` is a dict[str, Entry] for mappings, a list[Node]
    for sequences, and a Python scalar (str, int, float, bool, None, date) otherwise; `text` is the
    scalar exactly as written, so decimals can be read exactly."""

    kind: str  # "map" | "seq" | "scalar"
    value: Any
    mark: Mark
    tag: str = ""
    text: str = ""

    @property
    def type_name(self) -> Label:
        if self.kind != "scalar":
            return {"map": Label("a mapping"), "seq": Label("a list")}[self.kind]
        return {
            "int": Label("a whole number"),
            "float": Label("a decimal number"),
            "bool": Label("true/false"),
            "null": Label("nothing (null)"),
            "timestamp": Label("a date"),
        }.get(self.tag, Label("text"))

    @property
    def described(self) -> Label | Phrase:
        """What the value is, for "x is ...": `text 'ten'` for a scalar, `a list` otherwise."""
        if self.kind != "scalar":
            return self.type_name
        return Phrase("{kind} {value}", kind=self.type_name, value=Quoted(self.text))


@dataclass(frozen=True)
class Entry:
    """A mapping entry: the key's position (for unknown-key errors) and the value node."""

    key_mark: Mark
    node: Node


class SourceError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(str(diagnostic))


@dataclass
class _Budget:
    """What composing has cost so far. Values written in the file (`written`) are bounded by the
    input size; values that aliases repeat (`repeated`) are bounded separately, relative to those,
    so a large plain scenario is never mistaken for an alias bomb, and a bomb is refused from the
    sizes of the nodes it names, before anything is expanded."""

    written: int = 0
    repeated: int = 0
    done: dict[int, tuple[Node, int]] = field(default_factory=dict)  # id(yaml node) -> (node, expanded size)
    open: set[int] = field(default_factory=set)  # collections being converted (a repeat is a cycle)

    def repeat(self, size: int, mark: Mark) -> None:
        self.repeated += size
        if self.repeated > max(MIN_ALIAS_NODES, ALIAS_RATIO * self.written):
            raise SourceError(diagnostic(mark, "E-alias-bomb", repeated=Count(self.repeated), written=Count(self.written)))


MAX_BYTES = 100 * 1024 * 1024  # far above a national scenario; stops `ucj simulate /dev/zero`


def read_text(path: str) -> str:
    """Read a UTF-8 file (a BOM is allowed), turning OS errors into a positioned diagnostic."""
    try:
        with open(path, "rb") as handle:
            return decode(handle.read(MAX_BYTES + 1), path)
    except FileNotFoundError:
        raise SourceError(diagnostic(Mark(path), "E-file-not-found")) from None
    except IsADirectoryError:
        raise SourceError(diagnostic(Mark(path), "E-file-is-folder")) from None
    except OSError as exc:
        raise SourceError(diagnostic(Mark(path), "E-file-unreadable", reason=str(exc.strerror or exc))) from None


def read_stdin(name: str = "<stdin>") -> str:
    """Standard input as bytes, decoded like a file, so a bad byte is a positioned error too."""
    import sys

    return decode(sys.stdin.buffer.read(MAX_BYTES + 1), name)


def decode(data: bytes, name: str) -> str:
    """Bytes as UTF-8 text; a bad byte is reported at its line and column."""
    if len(data) > MAX_BYTES:
        raise SourceError(diagnostic(Mark(name), "E-input-too-large", limit=Count(MAX_BYTES // 2**20)))
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line_start = data.rfind(b"\n", 0, exc.start) + 1
        column = len(data[line_start:exc.start].decode("utf-8", "replace")) + 1
        where = Mark(name, data.count(b"\n", 0, exc.start) + 1, column)
        raise SourceError(diagnostic(where, "E-not-utf8", byte=f"0x{data[exc.start]:02X}")) from None


def _position(text: str, index: int, filename: str) -> Mark:
    line_start = text.rfind("\n", 0, index) + 1
    return Mark(filename, text.count("\n", 0, index) + 1, index - line_start + 1)


def parse(text: str, filename: str) -> Node | None:
    """Compose one YAML document into located nodes; None for an empty document."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SourceError(diagnostic(_position(text, exc.start, filename), "E-not-unicode")) from None
    with without_gc():
        try:
            root = yaml.compose(text, Loader=_Loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            where = Mark(filename, mark.line + 1, mark.column + 1) if mark else Mark(filename)
            problem = _yaml_words(exc.problem or "malformed YAML")
            if exc.context:
                problem = Phrase("{problem} ({context})", problem=problem, context=_yaml_words(exc.context))
            raise SourceError(diagnostic(where, "E-invalid-yaml", problem=problem)) from None
        except yaml.reader.ReaderError as exc:
            character = f"#x{exc.character:04x}" if isinstance(exc.character, int) else repr(exc.character)
            raise SourceError(diagnostic(_position(text, exc.position, filename), "E-control-character", character=character)) from None
        except yaml.YAMLError as exc:
            raise SourceError(diagnostic(Mark(filename), "E-yaml-stream", problem=" ".join(str(exc).split()))) from None
        except RecursionError:
            raise SourceError(diagnostic(Mark(filename), "E-too-deep", limit=Count(MAX_DEPTH))) from None
        if root is None:
            return None
        return _convert(root, filename, 0, _Budget())[0]


@contextmanager
def without_gc() -> Iterator[None]:
    """Pause the cyclic garbage collector while a large document becomes nodes: the nodes hold no
    cycles, and the collector's passes over hundreds of thousands of new objects would otherwise
    double the time to read a national scenario."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# PyYAML's (libyaml's) common complaints, as catalogue labels so that they are read in the run's
# language; any other is passed on in PyYAML's own English words.
_YAML_WORDS = {str(label): label for label in (
    Label("found character that cannot start any token"), Label("mapping values are not allowed here"),
    Label("mapping values are not allowed in this context"), Label("but found another document"),
    Label("could not find expected ':'"), Label("did not find expected ',' or ']'"), Label("did not find expected ',' or '}'"),
    Label("did not find expected key"), Label("did not find expected '-' indicator"), Label("found unexpected end of stream"),
    Label("found undefined alias"), Label("exceeded maximum nesting depth"), Label("found unknown escape character"),
    Label("found a tab character that violates indentation"), Label("malformed YAML"),
    Label("while scanning for the next token"), Label("expected a single document in the stream"),
    Label("while scanning a simple key"), Label("while parsing a flow sequence"), Label("while parsing a flow mapping"),
    Label("while scanning a quoted scalar"), Label("while parsing a quoted scalar"), Label("while scanning a plain scalar"),
    Label("while parsing a block mapping"), Label("while parsing a block collection"), Label("while parsing a block node"),
    Label("while increasing flow level"),
)}


def _yaml_words(text: str) -> Label | str:
    return _YAML_WORDS.get(text.strip(), text.strip())


def _mark(node: yaml.Node, filename: str) -> Mark:
    return Mark(filename, node.start_mark.line + 1, node.start_mark.column + 1)


def _convert(node: yaml.Node, filename: str, depth: int, budget: _Budget) -> tuple[Node, int]:
    """The node and its expanded size (values it stands for, counting what its aliases repeat).
    A collection met a second time is an alias: the same (immutable) node is shared, its size is
    charged to the alias budget, and nothing is converted twice."""
    if depth > MAX_DEPTH:
        raise SourceError(diagnostic(_mark(node, filename), "E-too-deep", limit=Count(MAX_DEPTH)))
    if isinstance(node, yaml.ScalarNode):
        budget.written += 1
        mark = _mark(node, filename)
        _refuse_tag(node, mark)
        return _scalar(node, mark), 1
    key = id(node)
    known = budget.done.get(key)
    if known is not None:
        budget.repeat(known[1], known[0].mark)
        return known
    mark = _mark(node, filename)
    _refuse_tag(node, mark)
    if key in budget.open:
        raise SourceError(diagnostic(mark, "E-recursive-alias"))
    budget.open.add(key)
    budget.written += 1
    if isinstance(node, yaml.SequenceNode):
        items, size = [], 1
        for item in node.value:
            converted, item_size = _convert(item, filename, depth + 1, budget)
            items.append(converted)
            size += item_size
        result = Node("seq", items, mark, "seq"), size
    else:
        entries, size = _mapping(node, filename, depth, budget)
        result = Node("map", entries, mark, "map"), size
    budget.open.discard(key)
    budget.done[key] = result
    return result


def _mapping(node: yaml.MappingNode, filename: str, depth: int, budget: _Budget) -> tuple[dict[str, Entry], int]:
    """Mapping entries in order, with the mapping's expanded size; `<<` merge keys are honoured
    (explicit keys win); duplicate keys are errors."""
    own: dict[str, Entry] = {}
    merged: dict[str, Entry] = {}
    size = 1
    for key_node, value_node in node.value:
        if key_node.tag == _TAG + "merge":
            source, merged_size = _convert(value_node, filename, depth + 1, budget)
            size += merged_size
            sources = source.value if source.kind == "seq" else [source]
            for item in sources:
                if item.kind != "map":
                    raise SourceError(diagnostic(item.mark, "E-merge-not-mapping"))
                for key, entry in item.value.items():
                    merged.setdefault(key, entry)
            continue
        key_mark = _mark(key_node, filename)
        if not isinstance(key_node, yaml.ScalarNode):
            raise SourceError(diagnostic(key_mark, "E-key-not-text"))
        _refuse_tag(key_node, key_mark)
        key = str(key_node.value)
        if key in own:
            first = own[key].key_mark
            raise SourceError(diagnostic(key_mark, "E-duplicate-key", key=Quoted(key), first=first.line))
        value, value_size = _convert(value_node, filename, depth + 1, budget)
        own[key] = Entry(key_mark, value)
        size += value_size + 1
    return ({**merged, **own} if merged else own), size


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()


def plain_scalar(text: str, mark: Mark) -> Node:
    """`text` typed as YAML types a plain (unquoted) value: `12` a number, `2025-04` text, an empty
    cell nothing. A CSV cell is read through here, so it meets the same checks as a YAML value."""
    text = text.strip()
    if not text:
        return Node("scalar", None, mark, "null", "")
    return _scalar(yaml.ScalarNode(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)), text), mark)


def _refuse_tag(node: yaml.Node, mark: Mark) -> None:
    """An explicit tag (`!!float 6043`, `!evil`, `!!python/object/apply:...`) would change what a
    value is behind the reader's back: refused at its position rather than silently ignored. A
    node's tag is compared with the one its plain text resolves to, so only a written tag differs."""
    plain = isinstance(node, yaml.ScalarNode) and not node.style
    implied = _RESOLVER.resolve(type(node), node.value if isinstance(node, yaml.ScalarNode) else None, (plain, not plain))
    if node.tag != implied:
        raise SourceError(diagnostic(mark, "E-yaml-tag", tag=Quoted(node.tag.replace(_TAG, "!!"))))


def _scalar(node: yaml.ScalarNode, mark: Mark) -> Node:
    tag = node.tag.removeprefix(_TAG)
    text = node.value
    if tag == "str" or tag not in {"int", "float", "bool", "null", "timestamp"}:
        return Node("scalar", text, mark, "str", text)
    try:
        value = _CONSTRUCTOR.construct_object(node)
    except (ValueError, yaml.YAMLError, OverflowError):
        return Node("scalar", text, mark, "str", text)
    if isinstance(value, dt.datetime):
        value = value.date()
    return Node("scalar", value, mark, tag, text)
