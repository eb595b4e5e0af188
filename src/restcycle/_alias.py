"""The drop-in alias: restcycle's modules executed *as* `rest_framework.<name>`.

`sys.modules["rest_framework"]` becomes a package module that shares restcycle's
`__path__` and reads every attribute from the restcycle package, except the version:
`rest_framework.VERSION` / `__version__` are the DRF version whose API restcycle
implements (packages gate behaviour on it), while `restcycle.__version__` stays ours.
Python's ordinary import machinery therefore executes every submodule under the
`rest_framework.` name (its `__name__`, class `__module__`s, template tag library
names all read as DRF's). A meta-path finder makes `import restcycle.X` return that
same module, so no module ever runs twice under two names.
"""

import importlib
import importlib.abc
import importlib.machinery
import sys
import types

ALIAS = "rest_framework"
REAL = "restcycle"
# Modules of restcycle that may already be loaded under their own name when the
# alias is installed: they hold no classes a user subclasses.
_ALLOWED_BEFORE_INSTALL = {REAL, f"{REAL}._alias"}


class AliasInstallError(RuntimeError):
    """The alias cannot be installed without mixing two implementations."""


class _ExistingModuleLoader(importlib.abc.Loader):
    """Loads `restcycle.X` as the module already executed as `rest_framework.X`."""

    def __init__(self, alias_name: str):
        self.alias_name = alias_name

    def create_module(self, spec):
        module = importlib.import_module(self.alias_name)
        self._alias_spec = module.__spec__
        return module

    def exec_module(self, module):
        # importlib set `__spec__` to the restcycle.X spec; the module is rest_framework.X
        # (relative imports inside it warn, and resolve slowly, when the two disagree).
        module.__spec__ = self._alias_spec


class _RestcycleNameFinder(importlib.abc.MetaPathFinder):
    """Redirects `restcycle.X` imports to `rest_framework.X` while the alias is on."""

    def find_spec(self, fullname, path=None, target=None):
        if not fullname.startswith(REAL + ".") or fullname in _ALLOWED_BEFORE_INSTALL:
            return None
        alias_name = ALIAS + fullname[len(REAL) :]
        # Only for modules that exist: Django probes `<app>.models` with find_spec. `path`
        # is the parent package's `__path__`, restcycle's own files: look there alone.
        # Asking every finder (importlib.util.find_spec) would hand the question to any
        # other finder that maps `rest_framework` names, which may ask us back, forever.
        if alias_name not in sys.modules and (
            path is None or importlib.machinery.PathFinder.find_spec(alias_name, path) is None
        ):
            return None
        return importlib.machinery.ModuleSpec(fullname, _ExistingModuleLoader(alias_name))


class _AliasPackage(types.ModuleType):
    """`rest_framework`: the restcycle package under DRF's name, with DRF's version.

    Only the module's identity (name, spec, path, file) and its version are its own;
    every other attribute is read from, written to and deleted on the restcycle package,
    so a submodule imported under either name is an attribute of both.
    """

    _OWN = frozenset(
        ("__name__", "__spec__", "__path__", "__file__", "__package__", "__loader__", "__doc__")
        + ("__cached__", "__builtins__", "__dict__", "__version__", "VERSION")
    )

    def __getattr__(self, name):
        try:
            return getattr(sys.modules[REAL], name)
        except AttributeError:
            raise AttributeError(f"module {ALIAS!r} has no attribute {name!r}") from None

    def __setattr__(self, name, value):
        if name in self._OWN:
            super().__setattr__(name, value)
        else:
            setattr(sys.modules[REAL], name, value)

    def __delattr__(self, name):
        if name in self._OWN:
            super().__delattr__(name)
        else:
            delattr(sys.modules[REAL], name)

    def __dir__(self):
        return sorted(set(super().__dir__()) | set(dir(sys.modules[REAL])))


def _alias_package(package: types.ModuleType) -> _AliasPackage:
    spec = importlib.machinery.ModuleSpec(
        ALIAS, package.__spec__.loader, origin=package.__spec__.origin, is_package=True
    )
    spec.submodule_search_locations = package.__path__
    spec.has_location = package.__spec__.has_location
    alias = _AliasPackage(ALIAS, package.__doc__)
    alias.__spec__ = spec
    alias.__loader__ = spec.loader
    alias.__package__ = ALIAS
    alias.__path__ = package.__path__
    alias.__file__ = package.__file__
    alias.__version__ = alias.VERSION = package.DRF_API_VERSION
    return alias


def is_installed() -> bool:
    return isinstance(sys.modules.get(ALIAS), _AliasPackage)


def install() -> None:
    package = sys.modules[REAL]
    current = sys.modules.get(ALIAS)
    if isinstance(current, _AliasPackage):
        return
    if current is not None:
        raise AliasInstallError(
            "restcycle.install_as_rest_framework() was called after Django REST framework "
            f"itself was imported (from {getattr(current, '__file__', '?')}). Call it at the "
            "top of settings.py, before anything imports rest_framework."
        )
    loaded = sorted(
        name
        for name in sys.modules
        if name.startswith(REAL + ".") and name not in _ALLOWED_BEFORE_INSTALL
    )
    if loaded:
        raise AliasInstallError(
            "restcycle.install_as_rest_framework() must run before any restcycle module is "
            f"imported; already imported: {', '.join(loaded)}."
        )
    sys.modules[ALIAS] = _alias_package(package)
    sys.meta_path.insert(0, _RestcycleNameFinder())
