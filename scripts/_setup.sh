# Sourced by scripts/serve, scripts/manage and scripts/test: make .venv and install restcycle
# with the extra the caller names in RESTCYCLE_EXTRA ("example" to run the example; "dev",
# the default, for the tests, which includes "example").
# Idempotent: it reinstalls only when pyproject.toml changed since that extra was installed.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON_BIN="${PYTHON:-python3}"
EXTRA="${RESTCYCLE_EXTRA:-dev}"

if ! "$PYTHON_BIN" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "restcycle needs Python >= 3.11 as '$PYTHON_BIN' (set PYTHON=/path/to/python3.11+)." >&2
    exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating $VENV"
    "$PYTHON_BIN" -m venv "$VENV"
fi
# One stamp per extra, holding the hash of the pyproject.toml it was installed from.
stamp="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [ "$(cat "$VENV/.restcycle-installed-$EXTRA" 2>/dev/null || true)" != "$stamp" ]; then
    echo "==> installing restcycle and its '$EXTRA' dependencies into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$ROOT[$EXTRA]"
    echo "$stamp" > "$VENV/.restcycle-installed-$EXTRA"
    # dev includes everything example needs.
    if [ "$EXTRA" = dev ]; then echo "$stamp" > "$VENV/.restcycle-installed-example"; fi
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
