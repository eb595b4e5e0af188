"""The drop-in alias: restcycle's modules executed *as* `rest_framework.<name>`.

`sys.modules["rest_framework"]` becomes the restcycle package itself, so Python's
ordinary import machinery executes every submodule under the `rest_framework.`
name (its `__name__`, class `__module__`s, template tag library names all read
as DRF's). A meta-path finder makes `import restcycle.X` return that same
module, so no module ever runs twice under two names.
"""

import importlib
import importlib.abc
import importlib.machinery
import importlib.util
import sys

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
        # Only for modules that exist: Django probes `<app>.models` with find_spec.
        if alias_name not in sys.modules and importlib.util.find_spec(alias_name) is None:
            return None
        return importlib.machinery.ModuleSpec(fullname, _ExistingModuleLoader(alias_name))


def is_installed() -> bool:
    return sys.modules.get(ALIAS) is sys.modules[REAL]


def install() -> None:
    package = sys.modules[REAL]
    current = sys.modules.get(ALIAS)
    if current is package:
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
    sys.modules[ALIAS] = package
    sys.meta_path.insert(0, _RestcycleNameFinder())
