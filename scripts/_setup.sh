# Sourced by scripts/serve and scripts/test: make .venv and install restcycle with its dev extras.
# Idempotent: it reinstalls only when pyproject.toml changed since the last install.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
PYTHON_BIN="${PYTHON:-python3}"

if ! "$PYTHON_BIN" -c 'import sys; sys.exit(sys.version_info < (3, 11))' 2>/dev/null; then
    echo "restcycle needs Python >= 3.11 as '$PYTHON_BIN' (set PYTHON=/path/to/python3.11+)." >&2
    exit 1
fi
if [ ! -x "$VENV/bin/python" ]; then
    echo "==> creating $VENV"
    "$PYTHON_BIN" -m venv "$VENV"
fi
stamp="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-16)"
if [ "$(cat "$VENV/.restcycle-installed" 2>/dev/null || true)" != "$stamp" ]; then
    echo "==> installing restcycle and its dev dependencies into $VENV"
    "$VENV/bin/python" -m pip install -q --upgrade pip
    "$VENV/bin/python" -m pip install -q -e "$ROOT[dev]"
    echo "$stamp" > "$VENV/.restcycle-installed"
fi
export PATH="$VENV/bin:$PATH"
cd "$ROOT"
