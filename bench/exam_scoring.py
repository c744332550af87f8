"""Benchmark: CPU time to score one 100-question attempt with exams.scoring (budget <= 1 ms).

Pure Python, no database: the attempt mixes every automatically scored type, as an exam of the demo bank would,
plus essays (which scoring only marks for a grader)."""

import random
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from exams import scoring

BUDGET_MS = 1.0
QUESTIONS = [
    ("single", {"correct": ["b"]}, "b"),
    ("multiple", {"correct": ["a", "c", "d"], "partial": True, "penalty": 0.5}, ["a", "b", "c"]),
    ("multiple", {"correct": ["a", "c"]}, ["a", "c"]),
    ("truefalse", {"correct": True}, False),
    ("fill", {"blanks": [["保密柜", "保险柜"], ["专人"]], "ignore_case": True, "fold_width": True},
     ["保险柜", "专 人"]),
    ("numeric", {"value": 2.5, "tolerance": 0.01}, "２.５"),
    ("matching", {"pairs": {"p1": "c1", "p2": "c2", "p3": "c3"}}, {"p1": "c1", "p2": "c3", "p3": "c2"}),
    ("ordering", {"order": ["i1", "i2", "i3", "i4"]}, ["i1", "i3", "i2", "i4"]),
    ("short", {"answers": ["NDA", "保密协议"], "ignore_case": True}, "nda"),
    ("essay", {}, "长篇论述" * 50),
]


def attempt(rng: random.Random) -> list[tuple[str, dict, object, float]]:
    return [(*rng.choice(QUESTIONS), float(rng.choice((1, 2, 5)))) for __ in range(100)]


def score(items) -> scoring.Score:
    return scoring.total(scoring.score_question(kind, key, response, points) for kind, key, response, points in items)


def main() -> None:
    rng = random.Random(7)
    attempts = [attempt(rng) for __ in range(200)]
    for items in attempts[:20]:
        score(items)  # warm up
    best = float("inf")
    for __ in range(5):
        start = time.process_time()
        for items in attempts:
            score(items)
        best = min(best, (time.process_time() - start) * 1000 / len(attempts))
    verdict = "OK" if best <= BUDGET_MS else "OVER"
    print(f"scored {len(attempts)} attempts of 100 questions, best of 5 rounds (CPU time)")
    print(f"BENCH scoring_ms_per_attempt {best:.3f} ms budget <= {BUDGET_MS:g} {verdict}")


if __name__ == "__main__":
    main()
