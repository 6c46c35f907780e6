"""Run benchmarks: `python -m bench` runs all, `python -m bench B8` one of them."""

from __future__ import annotations

import importlib
import pkgutil
import sys
from pathlib import Path


def available() -> dict[str, str]:
    """Benchmark id (B1, B8 …) → module name."""
    found = {}
    for module in pkgutil.iter_modules([str(Path(__file__).parent)]):
        name = module.name
        # A module may serve several benchmarks: b2_b3_gaps is B2 and B3.
        for part in name.split("_"):
            if not (part.startswith("b") and part[1:].isdigit()):
                break
            found[part.upper()] = name
    return dict(sorted(found.items(), key=lambda kv: int(kv[0][1:])))


def main(argv: list[str]) -> int:
    """Run the requested benchmarks (all when none is named)."""
    benchmarks = available()
    wanted = [a.upper() for a in argv] or list(benchmarks)
    unknown = [w for w in wanted if w not in benchmarks]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(benchmarks)}")
        return 2
    for name in dict.fromkeys(benchmarks[w] for w in wanted):
        module = importlib.import_module(f"bench.{name}")
        module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
