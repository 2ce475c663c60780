"""Frozen dataclasses that cost little to create.

`@dataclass(frozen=True)` compiles six methods for every class it makes (`__init__`, `__repr__`,
`__eq__`, `__hash__`, `__setattr__`, `__delattr__`): about half a millisecond a class, and a cold
`ucj simulate` made some 36 of them before reading its file (~20 ms of 0.14 s). `@frozen` makes the
same class with one method compiled, `__init__` (the one whose speed matters: a large scenario makes
hundreds of thousands of cohorts), when the first instance is made (a class a run never uses costs
nothing more), and the others as small functions over the fields, made without compiling anything. The class is still a dataclass of the standard library's kind: its fields are
declared the same way (`field(default=..., compare=False, metadata=...)`), `dataclasses.fields`,
`replace` and `asdict` work on it, and `dataclasses.make_dataclass(..., bases=(it,), frozen=True)`
extends it. Assigning to or deleting a field raises `dataclasses.FrozenInstanceError`; equality,
hash, order (`order=True`), repr and pickling are those of `@dataclass(frozen=True, ...)`.
"""

from __future__ import annotations

import dataclasses
import operator
from typing import Any, Callable, TypeVar

T = TypeVar("T", bound=type)


def frozen(cls: T | None = None, /, *, eq: bool = True, order: bool = False, slots: bool = False) -> Any:
    """`@frozen`, `@frozen(slots=True)`, `@frozen(eq=False)`, `@frozen(order=True)`: as
    `@dataclass(frozen=True, ...)` with the same options."""

    def make(cls: T) -> T:
        return _make(cls, eq, order, slots)

    return make if cls is None else make(cls)


def _make(cls: Any, eq: bool, order: bool, slots: bool) -> Any:
    # The standard library collects the fields (defaults, `field()` options, inherited fields, slots)
    # and compiles nothing when it is asked for no method; the methods are added below. Extending
    # another library's frozen dataclass, it must be told (and then writes __setattr__ itself).
    frozen_base = any(getattr(getattr(base, "__dataclass_params__", None), "frozen", False) for base in cls.__mro__[1:])
    cls = dataclasses.dataclass(cls, init=False, repr=False, eq=False, frozen=frozen_base, slots=slots)
    cls.__dataclass_params__.frozen = True  # so that a dataclass extending it must be frozen too, as with @dataclass(frozen=True)
    fields = dataclasses.fields(cls)
    names = frozenset(item.name for item in fields)
    compared = _getter([item.name for item in fields if item.compare])
    shown = tuple(item.name for item in fields if item.repr)

    def __setattr__(self: Any, name: str, value: Any) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot assign to field {name!r}")
        super(cls, self).__setattr__(name, value)

    def __delattr__(self: Any, name: str) -> None:
        if type(self) is cls or name in names:
            raise dataclasses.FrozenInstanceError(f"cannot delete field {name!r}")
        super(cls, self).__delattr__(name)

    def __repr__(self: Any) -> str:
        return f"{type(self).__qualname__}({', '.join(f'{name}={getattr(self, name)!r}' for name in shown)})"

    def __init__(self: Any, *args: Any, **kwargs: Any) -> None:  # the first instance compiles the real one
        init = _init(cls, fields)
        init.__qualname__ = f"{cls.__qualname__}.__init__"
        type.__setattr__(cls, "__init__", init)
        init(self, *args, **kwargs)

    methods: dict[str, Callable[..., Any]] = {"__init__": __init__, "__setattr__": __setattr__, "__delattr__": __delattr__,
                                              "__repr__": __repr__}
    if eq:
        methods["__eq__"] = _comparison(operator.eq, compared)
        methods["__hash__"] = lambda self: hash(compared(self))
    if order:
        for name, test in (("__lt__", operator.lt), ("__le__", operator.le), ("__gt__", operator.gt), ("__ge__", operator.ge)):
            methods[name] = _comparison(test, compared)
    if slots:  # as @dataclass(frozen=True, slots=True): pickled as its fields' values, restored without __setattr__
        methods["__getstate__"] = lambda self: [getattr(self, item.name) for item in fields]
        methods["__setstate__"] = lambda self, state: _restore(self, fields, state)
    for name, method in methods.items():
        if cls.__dict__.get(name) is not None:
            continue  # the class's own method wins, as with @dataclass (a __hash__ of None is what defining __eq__ leaves)
        method.__qualname__ = f"{cls.__qualname__}.{name}"
        setattr(cls, name, method)
    return cls


def _restore(item: Any, fields: tuple[dataclasses.Field, ...], state: list[Any]) -> None:
    for field, value in zip(fields, state):
        object.__setattr__(item, field.name, value)


def _getter(names: list[str]) -> Callable[[Any], tuple]:
    """The fields compared, as one tuple (the same tuple @dataclass compares and hashes)."""
    if len(names) > 1:
        return operator.attrgetter(*names)
    if names:
        single = operator.attrgetter(names[0])
        return lambda item: (single(item),)
    return lambda item: ()


def _comparison(test: Callable[[Any, Any], bool], compared: Callable[[Any], tuple]) -> Callable[[Any, Any], Any]:
    def compare(self: Any, other: Any) -> Any:
        if other.__class__ is self.__class__:
            return test(compared(self), compared(other))
        return NotImplemented

    return compare


def _init(cls: Any, fields: tuple[dataclasses.Field, ...]) -> Callable[..., None]:
    """`__init__` as @dataclass(frozen=True) writes it: each field set through `object.__setattr__`,
    then `__post_init__` if the class has one."""
    names: dict[str, Any] = {"_set": object.__setattr__, "_FACTORY": _FACTORY}
    parameters, body = [], []
    for item in fields:
        name = item.name
        if item.default is not dataclasses.MISSING:
            names[f"_default_{name}"] = item.default
            value = f"_default_{name}"
        elif item.default_factory is not dataclasses.MISSING:
            names[f"_factory_{name}"] = item.default_factory
            value = f"_factory_{name}()"
        else:
            value = None
        if not item.init:
            if value is not None:
                body.append(f"_set(self, {name!r}, {value})")
            continue
        if value is None:
            parameters.append(name)
        elif item.default_factory is not dataclasses.MISSING:
            parameters.append(f"{name}=_FACTORY")
            body.append(f"if {name} is _FACTORY: {name} = {value}")
        else:
            parameters.append(f"{name}={value}")
        body.append(f"_set(self, {name!r}, {name})")
    if hasattr(cls, "__post_init__"):
        body.append("self.__post_init__()")
    source = f"def __init__(self, {', '.join(parameters)}):\n" + "".join(f" {line}\n" for line in body or ["pass"])
    exec(source, names)  # noqa: S102 - the source is made above from the class's own field names
    return names["__init__"]


_FACTORY = object()  # a parameter left to its default_factory
