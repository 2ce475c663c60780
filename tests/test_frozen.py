"""`@frozen` (ucj_cli/frozen.py) makes the classes `@dataclass(frozen=True)` made, at a fraction of
the cost at import: the same fields, equality, hash, order, repr, immutability, pickling and
`dataclasses` functions, for the package's own classes as for a twin made by @dataclass."""

from __future__ import annotations

import copy
import dataclasses
import importlib
import pickle
import subprocess
import sys
from dataclasses import FrozenInstanceError, field

import pytest

from conftest import FIXTURES, SCENARIOS
from ucj_cli.frozen import frozen


class Shown:
    """A value with a repr of its own, to see that a field's repr is used."""

    def __repr__(self) -> str:
        return "<shown>"


def _twins(**options):
    """The same class made by @frozen and by @dataclass(frozen=True)."""

    def body():
        class Item:
            """An item."""

            name: str
            count: int = field(default=3, metadata={"prices": True})
            shown: object = field(default=Shown(), compare=False)
            hidden: int = field(default=0, repr=False)
            extra: tuple = ()

            def __post_init__(self) -> None:
                if self.count < 0:
                    raise ValueError("a count is 0 or more")

        return Item

    return frozen(body(), **options), dataclasses.dataclass(body(), frozen=True, **options)


@pytest.mark.parametrize("options", [{}, {"slots": True}, {"order": True}, {"eq": False}])
def test_a_frozen_class_behaves_as_a_frozen_dataclass(options):
    light, heavy = _twins(**options)
    for cls in (light, heavy):
        item, same, other = cls("a", 4, hidden=1), cls("a", 4, Shown(), 1), cls("b")
        assert repr(item) == f"{cls.__qualname__}(name='a', count=4, shown=<shown>, extra=())" and cls.__qualname__.endswith(".Item")
        assert (item == same) is (options.get("eq", True)) and item != other and item == item
        if options.get("eq", True):
            assert hash(item) == hash(same) and cls("a", 4, hidden=2) != item  # compared, though not shown
        else:
            assert hash(item) == object.__hash__(item)
        if options.get("order"):
            assert item < other and other >= item and sorted([other, item]) == [item, other]
        else:
            with pytest.raises(TypeError):
                _ = item < other
        changes = [lambda: setattr(item, "count", 5), lambda: delattr(item, "name")]
        if cls is light:  # a new attribute too (Python 3.11's slotted @dataclass fails there with a TypeError of its own)
            changes.append(lambda: setattr(item, "new", 1))
        for change in changes:
            with pytest.raises(FrozenInstanceError):
                change()
        with pytest.raises(ValueError):
            cls("a", -1)
        with pytest.raises(ValueError):  # replace builds anew: the checks run
            dataclasses.replace(item, count=-1)
        assert dataclasses.replace(item, name="b").name == "b" and dataclasses.replace(item, name="b").hidden == 1
        assert [(f.name, f.compare, f.repr, dict(f.metadata)) for f in dataclasses.fields(cls)] == [
            ("name", True, True, {}), ("count", True, True, {"prices": True}), ("shown", False, True, {}),
            ("hidden", True, False, {}), ("extra", True, True, {})]
        assert dataclasses.asdict(item)["count"] == 4 and dataclasses.is_dataclass(item)
        assert hasattr(item, "__dict__") is not options.get("slots", False)
        if options.get("eq", True):
            for again in (copy.deepcopy(item), copy.copy(item)):  # through __reduce_ex__, as pickle (the sweep below pickles)
                assert again == item and again.hidden == 1
    assert light.__match_args__ == heavy.__match_args__


def test_defaults_from_factories_and_fields_left_out_of_init():
    @frozen(eq=False)
    class Book:
        """A book."""

        pages: dict = field(default_factory=dict)
        count: int = field(init=False, repr=False)

        def __post_init__(self) -> None:
            object.__setattr__(self, "count", len(self.pages))

    first, second = Book(), Book({1: "one"})
    assert first.pages == {} and first.pages is not Book().pages and second.count == 1 and repr(second) == f"{Book.__qualname__}(pages={{1: 'one'}})"
    with pytest.raises(TypeError):
        Book({}, 3)
    with pytest.raises(ValueError):  # replace never sets a field left out of init
        dataclasses.replace(second, count=2)


def test_a_frozen_class_is_extended_as_a_frozen_dataclass():
    light, _ = _twins(slots=True)
    Night = dataclasses.make_dataclass("Night", [("night", bool, field(default=False))], bases=(light,), frozen=True)
    item = Night("a", 1, night=True)
    assert dataclasses.replace(item, night=False) == Night("a", 1) and item != Night("a", 1)
    with pytest.raises(FrozenInstanceError):
        item.night = False
    with pytest.raises(TypeError, match="non-frozen"):
        dataclasses.make_dataclass("Loose", [("loose", int, 0)], bases=(light,))

    @dataclasses.dataclass(frozen=True)
    class Base:
        """Another library's frozen dataclass (Typer's RuntimeParam is one)."""

        base: int

    @frozen
    class Extended(Base):
        """Extends it."""

        more: int = 0

    assert Extended(1, 2) == Extended(1, 2) and repr(Extended(1)) == "test_a_frozen_class_is_extended_as_a_frozen_dataclass.<locals>.Extended(base=1, more=0)"
    with pytest.raises(FrozenInstanceError):
        Extended(1).base = 2


def _records(value, found, seen):
    """Every instance of a class made by @frozen reachable from `value`."""
    if id(value) in seen or isinstance(value, (str, int, type(None))):
        return
    seen.add(id(value))
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if type(value).__repr__.__module__ == "ucj_cli.frozen":
            found.setdefault(type(value), value)
        for item in dataclasses.fields(value):
            _records(getattr(value, item.name), found, seen)
    elif isinstance(value, dict) or hasattr(value, "items") and hasattr(value, "values"):
        for item in value.values():
            _records(item, found, seen)
    elif isinstance(value, (tuple, list)):
        for item in value:
            _records(item, found, seen)


def test_the_package_s_records_compare_copy_and_refuse_assignment():
    from ucj_cli import api

    found: dict = {}
    seen: set = set()
    for path in (SCENARIOS / "blitar-2025.yaml", FIXTURES / "jkk-relief-2025.yaml"):
        scenario = api.load_scenario(str(path))
        _records(api.simulate(scenario), found, seen)
        _records(api.rka_of(api.simulate(scenario)), found, seen)
    assert {"Scenario", "Cohort", "FundingScheme", "Result", "Part", "RuleValue", "Mark", "Diagnostic"} <= {cls.__name__ for cls in found}
    for cls, item in found.items():
        again = dataclasses.replace(item)
        assert again == item if cls.__eq__ is not object.__eq__ else again != item, cls
        try:
            assert hash(again) == hash(item) or cls.__hash__ is object.__hash__, cls
        except TypeError:  # a field holds a mapping (Scenario.funding), as it did with @dataclass
            pass
        if "__getstate__" in cls.__dict__:  # slotted: pickled (to batch workers) by its fields
            assert pickle.loads(pickle.dumps(item)) == item, cls
        shown = ", ".join(f"{f.name}={getattr(item, f.name)!r}" for f in dataclasses.fields(item) if f.repr)
        assert repr(item) == f"{cls.__qualname__}({shown})", cls
        with pytest.raises(FrozenInstanceError):
            setattr(item, dataclasses.fields(item)[0].name, None)


def test_a_cold_simulate_makes_no_class_with_dataclass_s_compiled_methods():
    """Start-up: every dataclass of the package that a JSON simulate imports is made by @frozen
    (a @dataclass(frozen=True) costs about 0.5 ms at import, @frozen about a fifth of that)."""
    code = ("import sys, io, contextlib, dataclasses\nfrom ucj_cli.cli.app import main\n"
            f"sys.argv = ['ucj', 'simulate', {str(SCENARIOS / 'blitar-2025.yaml')!r}, '-f', 'json', '-q']\n"
            "try:\n    with contextlib.redirect_stdout(io.StringIO()): main()\nexcept SystemExit as exc: assert not exc.code\n"
            "for name, module in list(sys.modules.items()):\n"
            "    if name.startswith('ucj_cli'):\n"
            "        for value in vars(module).values():\n"
            "            if isinstance(value, type) and value.__module__ == name and dataclasses.is_dataclass(value)"
            " and value.__repr__.__module__ != 'ucj_cli.frozen': print(name, value.__name__)\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == ""


def test_every_frozen_dataclass_of_the_package_is_made_by_frozen():
    """One way to make a frozen class in the modules that define the model, the rules and the engine."""
    for name in ("ucj_cli.errors", "ucj_cli.model", "ucj_cli.rules.book", "ucj_cli.engine.pricing", "ucj_cli.engine.eligibility",
                 "ucj_cli.engine.compare", "ucj_cli.engine.path", "ucj_cli.engine.plan", "ucj_cli.engine.explain",
                 "ucj_cli.engine.places", "ucj_cli.engine.rka", "ucj_cli.render.registry", "ucj_cli.regions"):
        module = importlib.import_module(name)
        for value in vars(module).values():
            if isinstance(value, type) and value.__module__ == name and dataclasses.is_dataclass(value) \
                    and value.__dataclass_params__.frozen:
                assert value.__repr__.__module__ == "ucj_cli.frozen", (name, value)
