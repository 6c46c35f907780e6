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
        if name.startswith("b") and "_" in name and name.split("_")[0][1:].isdigit():
            found[name.split("_")[0].upper()] = name
    return dict(sorted(found.items(), key=lambda kv: int(kv[0][1:])))


def main(argv: list[str]) -> int:
    """Run the requested benchmarks (all when none is named)."""
    benchmarks = available()
    wanted = [a.upper() for a in argv] or list(benchmarks)
    unknown = [w for w in wanted if w not in benchmarks]
    if unknown:
        print(f"unknown benchmark(s): {', '.join(unknown)}; available: {', '.join(benchmarks)}")
        return 2
    for benchmark in wanted:
        module = importlib.import_module(f"bench.{benchmarks[benchmark]}")
        module.run()
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
