"""Print how each lesson's recipe fares from several random starts: goal reached k/10, median epoch reached.

Every lesson's `[reference]` (its worked solution) is trained from each seed of
`playground.lessons.recipes.TRIAL_SEEDS` (new data and new initial weights per seed, as a student who
presses Regenerate or Reset gets) for the epochs it is given; the goal must be reached from at least 9 of
the 10. `tests/test_lesson_recipes.py` checks the same. Other seeds show whether a lesson passes by luck:

    python scripts/lesson_recipes.py                      # the test's 10 seeds, markdown table
    python scripts/lesson_recipes.py --first-seed 201 --count 30 --lessons 11-three-classes
"""

from __future__ import annotations

import argparse
import os
import sys
import time
import warnings
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from playground.lessons import list_lessons  # noqa: E402
from playground.lessons.links import lesson_name  # noqa: E402
from playground.lessons.recipes import REQUIRED, TRIAL_SEEDS, try_recipe  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--first-seed", type=int, help="try seeds FIRST, FIRST+1, ... instead of the test's")
    parser.add_argument("--count", type=int, default=10, help="how many seeds with --first-seed (default 10)")
    parser.add_argument("--lessons", nargs="*", help="lesson names (default: every lesson)")
    parser.add_argument("--engine", default="numpy")
    args = parser.parse_args(argv)
    seeds = (TRIAL_SEEDS if args.first_seed is None
             else tuple(str(s) for s in range(args.first_seed, args.first_seed + args.count)))
    lessons = [lesson for lesson in list_lessons() if not args.lessons or lesson_name(lesson) in args.lessons]
    print(f"seeds {seeds[0]}…{seeds[-1]} ({len(seeds)}); load average {os.getloadavg()[0]:.2f}")
    print("\n| lesson | goal reached | median epoch reached | budget | not reached from seeds |")
    print("|---|--:|--:|--:|---|")
    started = time.perf_counter()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", RuntimeWarning)  # the "too large" lessons overflow on purpose
        for lesson in lessons:
            trials = try_recipe(lesson, seeds, args.engine)
            median = "–" if trials.median_epoch is None else f"{trials.median_epoch:g}"
            mark = "" if trials.reached * 10 >= REQUIRED * len(seeds) else " ✗"
            print(f"| {trials.name} | {trials.reached}/{len(seeds)}{mark} | {median} | {trials.budget} | "
                  f"{', '.join(trials.failed_seeds()) or '–'} |", flush=True)
    print(f"\n{time.perf_counter() - started:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
