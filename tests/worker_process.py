"""A real Melek worker in its own process (settings from the environment), for the kill test."""

from __future__ import annotations

import sys

from app import create_app
from workers import runner


def main() -> None:
    app = create_app()
    runner.run(app, tuple(sys.argv[1:]) or ("default",))


if __name__ == "__main__":
    main()
