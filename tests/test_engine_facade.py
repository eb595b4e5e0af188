"""The engine is reached through its facade, and its table of switches names real methods."""

import ast
import inspect
from pathlib import Path

import pytest

import restcycle
from restcycle import _engine
from restcycle._engine import eligibility

PACKAGE = Path(restcycle.__file__).parent


def _imports_of(path: Path) -> list[str]:
    """Every module a file imports, as absolute dotted names."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    package = parts[:-1] if parts[-1] != "__init__" else parts
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.ImportFrom):
            base = list(package[: len(package) - node.level + 1]) if node.level else []
            module = ".".join([*base, *(node.module.split(".") if node.module else [])])
            found.append(module)
            found.extend(f"{module}.{alias.name}" for alias in node.names)
        elif isinstance(node, ast.Import):
            found.extend(alias.name for alias in node.names)
    return found


def test_public_modules_reach_the_engine_only_through_its_facade():
    engine = PACKAGE / "_engine"
    reaching_in = {
        str(path.relative_to(PACKAGE)): name
        for path in PACKAGE.rglob("*.py")
        if engine not in path.parents
        for name in _imports_of(path)
        if name.startswith("restcycle._engine.")
        and name.removeprefix("restcycle._engine.") not in _engine.__all__
    }
    assert reaching_in == {}


@pytest.mark.parametrize("name", _engine.__all__)
def test_every_facade_name_resolves(name):
    assert getattr(_engine, name) is not None


@pytest.mark.parametrize("fast_path", sorted(eligibility.OVERRIDES))
def test_every_switch_in_the_table_names_a_method_of_its_class(fast_path):
    for location, methods in eligibility.OVERRIDES[fast_path]:
        base = eligibility._resolve(location)
        for name in methods:
            assert inspect.getattr_static(base, name, None) is not None, (location, name)


def test_an_override_switches_its_fast_path_off_and_says_which():
    from restcycle import generics

    class OwnLookup(generics.RetrieveAPIView):
        def get_object(self):
            return super().get_object()

    assert eligibility.overridden("values path (retrieve)", OwnLookup) == "get_object"
    assert eligibility.overridden("values path (retrieve)", generics.RetrieveAPIView) is None
