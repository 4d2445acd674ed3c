"""``python -m cli``: the same as the ``informant`` command."""

from cli import main

if __name__ == "__main__":
    raise SystemExit(main())
