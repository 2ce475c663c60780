"""YAML with positions: every value keeps the line and column it was written at.

Scenarios and rule files are read through here so that any problem can be reported as
`file:line:column`. libyaml's CSafeLoader is used when present (it keeps marks and is ~10x faster);
PyYAML's pure-Python SafeLoader otherwise. Nodes are composed here from the parser's events (the
same nodes and complaints as PyYAML's composer): no Python objects are built from untrusted input,
and one long list (a scenario's cohorts) can be handed on item by item, never whole. An alias shares
the node it names rather than copying it, and what aliases repeat is budgeted against what the file
writes out, so a "billion laughs" document or a recursive alias ends in a clear error in
milliseconds, while a 900,000-cohort scenario loads.
"""

from __future__ import annotations

import datetime as dt
import gc
from contextlib import contextmanager
from typing import Any, Callable, Iterator

import yaml
from yaml.composer import ComposerError
from yaml.events import AliasEvent, DocumentEndEvent, MappingEndEvent, MappingStartEvent, ScalarEvent, SequenceEndEvent, SequenceStartEvent, StreamEndEvent

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


class Node:
    """A YAML value with its position. `value` is a dict[str, Entry] for mappings, a list[Node]
    for sequences, and a Python scalar (str, int, float, bool, None, date) otherwise; `text` is the
    scalar exactly as written, so decimals can be read exactly. Read-only once made (slots rather
    than a frozen dataclass: a large scenario makes millions); a node read from a file keeps
    libyaml's position and `file`, and makes its Mark the first time it is asked for."""

    __slots__ = ("kind", "value", "tag", "text", "_at", "_file")

    def __init__(self, kind: str, value: Any, mark: Any, tag: str = "", text: str = "", file: str | None = None) -> None:
        self.kind = kind  # "map" | "seq" | "scalar"
        self.value = value
        self.tag = tag
        self.text = text
        self._at = mark
        self._file = file

    @property
    def mark(self) -> Mark:
        if self._file is not None:
            self._at, self._file = _located(self._file, self._at), None
        return self._at

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Node):
            return NotImplemented
        return (self.kind, self.value, self.mark, self.tag, self.text) == (other.kind, other.value, other.mark, other.tag, other.text)

    __hash__ = None  # type: ignore[assignment]  # a mapping's value is a dict

    def __repr__(self) -> str:
        return f"Node({self.kind!r}, {self.value!r}, {self.mark!r}, {self.tag!r}, {self.text!r})"

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


class Entry:
    """A mapping entry: the key's position (for unknown-key errors) and the value node; read-only
    once made, its Mark made when asked for (as a node's)."""

    __slots__ = ("node", "_at", "_file")

    def __init__(self, key_mark: Any, node: Node, file: str | None = None) -> None:
        self.node = node
        self._at = key_mark
        self._file = file

    @property
    def key_mark(self) -> Mark:
        if self._file is not None:
            self._at, self._file = _located(self._file, self._at), None
        return self._at

    def __eq__(self, other: object) -> bool:
        if not isinstance(other, Entry):
            return NotImplemented
        return (self.key_mark, self.node) == (other.key_mark, other.node)

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        return f"Entry({self.key_mark!r}, {self.node!r})"


def _located(filename: str, at: Any) -> Mark:
    """A libyaml position (0-based) as a Mark (1-based, as editors show it)."""
    return Mark(filename, at.line + 1, at.column + 1)


class SourceError(Exception):
    def __init__(self, diagnostic: Diagnostic) -> None:
        self.diagnostic = diagnostic
        super().__init__(str(diagnostic))


MAX_BYTES = 100 * 1024 * 1024  # far above a national scenario; stops `ucj simulate /dev/zero`


def read_text(path: str) -> str:
    """Read a UTF-8 file (a BOM is allowed), turning OS errors into a positioned diagnostic."""
    return decode(read_bytes(path), path)


def read_bytes(path: str) -> bytes:
    """A file's bytes (up to one more than `decode` takes), OS errors as a positioned diagnostic."""
    try:
        with open(path, "rb") as handle:
            return handle.read(MAX_BYTES + 1)
    except FileNotFoundError:
        raise SourceError(diagnostic(Mark(path), "E-file-not-found")) from None
    except IsADirectoryError:
        raise SourceError(diagnostic(Mark(path), "E-file-is-folder")) from None
    except OSError as exc:
        raise SourceError(diagnostic(Mark(path), "E-file-unreadable", reason=str(exc.strerror or exc))) from None


def read_stdin(name: str = "<stdin>") -> str:
    """Standard input as bytes, decoded like a file, so a bad byte is a positioned error too."""
    import sys

    if sys.stdin is None:  # `<&-`: Python leaves no stream at all
        raise SourceError(diagnostic(Mark(name), "E-input-no-stdin"))
    try:
        data = sys.stdin.buffer.read(MAX_BYTES + 1)
    except OSError as exc:
        raise SourceError(diagnostic(Mark(name), "E-file-unreadable", reason=exc.strerror or type(exc).__name__)) from None
    return decode(data, name)


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


Streamed = Callable[[dict[str, "Entry"], Node], None]


def parse(text: str, filename: str, streamed: tuple[str, Streamed] | None = None) -> Node | None:
    """Compose one YAML document into located nodes; None for an empty document.

    With `streamed` = (key, each), a list under that key of the top mapping is never held whole:
    each item is handed to `each(entries, item)` as soon as it is read, with the top mapping's
    entries read so far, and the list's node is left empty (the caller's `each` knows whether
    it was called). Errors are the same either way: libyaml's own anywhere in the file first, then
    the first of ours (a duplicate key, a tag, an alias bomb) in the order the file is read."""
    try:
        text.encode("utf-8")
    except UnicodeEncodeError as exc:
        raise SourceError(diagnostic(_position(text, exc.start, filename), "E-not-unicode")) from None
    with without_gc():
        try:
            return _Composer(text, filename, streamed).document()
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


_MERGE, _SEQ, _MAP, _STR = _TAG + "merge", _TAG + "seq", _TAG + "map", _TAG + "str"


class _Anchor:
    """What an anchor names: a scalar as read (its event), or a collection with its expanded size
    (None while it is still being read: an alias to it then is a cycle)."""

    __slots__ = ("event", "node", "size")

    def __init__(self, event: Any) -> None:
        self.event = event
        self.node: Node | None = None
        self.size = 0


class _Composer:
    """libyaml's events made into located nodes, one node at a time, as PyYAML's composer would
    make them (the same tags, anchors, aliases and complaints) and checked as they are made: what
    aliases repeat is budgeted against what the file writes out, so a large plain scenario is never
    mistaken for an alias bomb, and a bomb is refused from the sizes of the nodes it names, before
    anything is expanded. An alias shares the node it names."""

    def __init__(self, text: str, filename: str, streamed: tuple[str, Streamed] | None) -> None:
        self.file = filename
        self.get = _Loader(text).get_event
        self.anchors: dict[str, _Anchor] = {}
        self.written = 0  # values written in the file
        self.repeated = 0  # values aliases repeat
        self.streamed_key, self.each = streamed if streamed is not None else (None, None)
        self.plain_keys: dict[str, str] = {}  # a plain key's text -> its tag

    def document(self) -> Node | None:
        get = self.get
        get()  # the stream's start
        if type(get()) is StreamEndEvent:  # else the document's start
            return None
        first = get()
        try:
            root = self.node(first, 0)[0]
        except SourceError as error:  # libyaml's complaints anywhere in the file come first
            self.drain()
            raise error
        get()  # the document's end
        self.single(first.start_mark)
        return root

    def single(self, start: Any) -> None:
        event = self.get()
        if type(event) is not StreamEndEvent:
            raise ComposerError("expected a single document in the stream", start, "but found another document", event.start_mark)

    def drain(self) -> None:
        """Read the rest of the document for libyaml's complaints (and an alias's, an anchor's),
        after one of ours; nothing more is composed."""
        get = self.get
        while True:
            event = get()
            kind = type(event)
            if kind is AliasEvent:
                self.named(event)
            elif kind is ScalarEvent or kind is MappingStartEvent or kind is SequenceStartEvent:
                self.anchor(event)
            elif kind is DocumentEndEvent:
                self.single(None)
                return

    def anchor(self, event: Any) -> _Anchor | None:
        name = event.anchor
        if name is None:
            return None
        known = self.anchors.get(name)
        if known is not None:
            raise ComposerError("found duplicate anchor; first occurrence", known.event.start_mark, "second occurrence", event.start_mark)
        found = self.anchors[name] = _Anchor(event)
        return found

    def named(self, event: Any) -> _Anchor:
        found = self.anchors.get(event.anchor)
        if found is None:
            raise ComposerError(None, None, "found undefined alias", event.start_mark)
        return found

    def mark(self, event: Any) -> Mark:
        return _located(self.file, event.start_mark)

    def node(self, event: Any, depth: int) -> tuple[Node, int]:
        """The node that starts with `event`, and its expanded size (values it stands for,
        counting what its aliases repeat)."""
        kind = type(event)
        if kind is ScalarEvent:
            if event.anchor is not None:
                self.anchor(event)
            if depth > MAX_DEPTH:
                raise SourceError(diagnostic(self.mark(event), "E-too-deep", limit=Count(MAX_DEPTH)))
            self.written += 1
            return self.scalar(event), 1
        if kind is AliasEvent:
            found = self.named(event)
            if depth > MAX_DEPTH:
                raise SourceError(diagnostic(self.mark(found.event), "E-too-deep", limit=Count(MAX_DEPTH)))
            if type(found.event) is ScalarEvent:  # a scalar is read again, as it was written
                self.written += 1
                return self.scalar(found.event), 1
            if found.node is None:
                raise SourceError(diagnostic(self.mark(found.event), "E-recursive-alias"))
            self.repeated += found.size
            if self.repeated > max(MIN_ALIAS_NODES, ALIAS_RATIO * self.written):
                raise SourceError(diagnostic(found.node.mark, "E-alias-bomb", repeated=Count(self.repeated), written=Count(self.written)))
            return found.node, found.size
        named = self.anchor(event)
        if depth > MAX_DEPTH:
            raise SourceError(diagnostic(self.mark(event), "E-too-deep", limit=Count(MAX_DEPTH)))
        if event.tag is not None and event.tag != "!":
            self.refuse(event.tag, _SEQ if kind is SequenceStartEvent else _MAP, event)
        self.written += 1
        if kind is SequenceStartEvent:
            items: list[Node] = []
            size = 1
            get = self.get
            item = get()
            while type(item) is not SequenceEndEvent:
                converted, item_size = self.node(item, depth + 1)
                items.append(converted)
                size += item_size
                item = get()
            node = Node("seq", items, event.start_mark, "seq", "", self.file)
        else:
            entries, size = self.mapping(depth)
            node = Node("map", entries, event.start_mark, "map", "", self.file)
        if named is not None:
            named.node, named.size = node, size
        return node, size

    def mapping(self, depth: int) -> tuple[dict[str, Entry], int]:
        """A mapping's entries in order, with its expanded size; `<<` merge keys are honoured
        (explicit keys win); duplicate keys are errors. At the top (`depth` 0), the list under the
        streamed key is handed on item by item."""
        own: dict[str, Entry] = {}
        merged: dict[str, Entry] = {}
        size = 1
        get, file = self.get, self.file
        plain = self.plain_keys
        event = get()
        while type(event) is not MappingEndEvent:
            if type(event) is ScalarEvent and event.tag is None and event.anchor is None and not event.style:  # most keys
                key, tag = event, plain.get(event.value) or self.plain_key(event)
            else:
                key, tag = self.key(event)
            if tag == _MERGE:
                source, merged_size = self.node(get(), depth + 1)
                size += merged_size
                for item in source.value if source.kind == "seq" else [source]:
                    if item.kind != "map":
                        raise SourceError(diagnostic(item.mark, "E-merge-not-mapping"))
                    for name, entry in item.value.items():
                        merged.setdefault(name, entry)
                event = get()
                continue
            name = key.value
            if name in own:
                first = own[name].key_mark
                raise SourceError(diagnostic(self.mark(key), "E-duplicate-key", key=Quoted(name), first=first.line))
            value = get()
            if depth == 0 and name == self.streamed_key and not merged and type(value) is SequenceStartEvent \
                    and value.anchor is None and value.tag is None:
                node, value_size = self.stream(value, own), 1
            else:
                node, value_size = self.node(value, depth + 1)
            own[name] = Entry(key.start_mark, node, file)
            size += value_size + 1
            event = get()
        return ({**merged, **own} if merged else own), size

    def plain_key(self, event: Any) -> str:
        """The tag of a plain key, remembered for the file's next keys (a few hundred at most)."""
        tag = _implied(event)
        if len(self.plain_keys) < 1000:
            self.plain_keys[event.value] = tag
        return tag

    def key(self, event: Any) -> tuple[Any, str]:
        """A key's scalar event and its tag, checked as a value's is; a key that is a list or a
        mapping is refused (unless tagged as a merge)."""
        kind, alias = type(event), type(event) is AliasEvent
        if alias:
            event = self.named(event).event
            kind = type(event)
        else:
            self.anchor(event)
        if kind is not ScalarEvent:
            if event.tag == _MERGE:  # `? !!merge [...]`: merged, as PyYAML reads it
                if not alias:
                    self.skip()
                return event, _MERGE
            raise SourceError(diagnostic(self.mark(event), "E-key-not-text"))
        tag = event.tag
        if tag is None:
            return event, _implied(event)
        if tag == "!":
            tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
        if tag != _MERGE:
            self.refuse(tag, _implied(event), event)
        return event, tag

    def skip(self) -> None:
        """The rest of a collection PyYAML's reader never looks into (a key tagged as a merge):
        read past, its anchors and aliases kept to libyaml's rules."""
        depth, get = 1, self.get
        while depth:
            event = get()
            kind = type(event)
            if kind is AliasEvent:
                self.named(event)
            elif kind is ScalarEvent:
                self.anchor(event)
            elif kind is MappingStartEvent or kind is SequenceStartEvent:
                self.anchor(event)
                depth += 1
            elif kind is MappingEndEvent or kind is SequenceEndEvent:
                depth -= 1

    def stream(self, event: Any, own: dict[str, Entry]) -> Node:
        """The streamed list: each item handed on as read, none kept (its size is not needed: the
        top mapping cannot be aliased but by itself)."""
        self.written += 1
        get, each = self.get, self.each
        item = get()
        while type(item) is not SequenceEndEvent:
            each(own, self.node(item, 2)[0])  # type: ignore[misc]
            item = get()
        return Node("seq", [], event.start_mark, "seq", "", self.file)

    def scalar(self, event: Any) -> Node:
        tag = event.tag
        if tag is None:
            tag, value = _STR, event.value
            if not event.style:  # `_implied`, where most of a file's time goes
                for implied, pattern in _IMPLICIT.get(value[:1], ()):
                    if pattern.match(value):
                        tag = implied
                        break
        else:
            if tag == "!":
                tag = _RESOLVER.resolve(yaml.ScalarNode, event.value, event.implicit)
            self.refuse(tag, _implied(event), event)
        return _scalar(tag, event.value, event.start_mark, self.file)

    def refuse(self, tag: str, implied: str, event: Any) -> None:
        """An explicit tag (`!!float 6043`, `!evil`, `!!python/object/apply:...`) would change what
        a value is behind the reader's back: refused at its position rather than silently ignored.
        It is compared with the tag the text resolves to as written, so only a written tag differs."""
        if tag != implied:
            raise SourceError(diagnostic(self.mark(event), "E-yaml-tag", tag=Quoted(tag.replace(_TAG, "!!"))))


def _implied(event: Any) -> str:
    """The tag a scalar's text resolves to as written (plain or quoted): what a written tag is
    compared with."""
    value = event.value
    if not event.style:
        for tag, pattern in _IMPLICIT.get(value[:1], ()):  # type: ignore[union-attr]
            if pattern.match(value):
                return tag
    return _STR


_CONSTRUCTOR = yaml.constructor.SafeConstructor()
_RESOLVER = yaml.resolver.Resolver()


def plain_scalar(text: str, mark: Mark) -> Node:
    """`text` typed as YAML types a plain (unquoted) value: `12` a number, `2025-04` text, an empty
    cell nothing. A CSV cell is read through here, so it meets the same checks as a YAML value."""
    text = text.strip()
    if not text:
        return Node("scalar", None, mark, "null", "")
    return _scalar(_RESOLVER.resolve(yaml.ScalarNode, text, (True, False)), text, mark)


_TYPED = {_TAG + name: name for name in ("int", "float", "bool", "null", "timestamp")}
_IMPLICIT = _RESOLVER.yaml_implicit_resolvers  # first character -> (tag, pattern): how a plain scalar is typed
assert None not in _IMPLICIT and not _RESOLVER.yaml_path_resolvers  # what `_implied` leaves out: none in PyYAML's safe resolver


def _scalar(tag: str, text: str, mark: Any, file: str | None = None) -> Node:
    typed = _TYPED.get(tag)
    if typed is None:
        return Node("scalar", text, mark, "str", text, file)
    try:
        digits = text.replace("_", "") if typed == "int" else ""
        if digits.isdigit() and digits.isascii() and (digits[0] != "0" or len(digits) == 1):
            value = int(digits)  # most numbers (`6_043` too): what PyYAML's constructor makes of them, without it
        else:
            value = _CONSTRUCTOR.yaml_constructors[tag](_CONSTRUCTOR, yaml.ScalarNode(tag, text))
    except (ValueError, yaml.YAMLError, OverflowError):
        return Node("scalar", text, mark, "str", text, file)
    if isinstance(value, dt.datetime):
        value = value.date()
    return Node("scalar", value, mark, typed, text, file)
