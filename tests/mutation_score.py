"""`make mutate`'s last line, from `mutmut results --all true` on stdin: one `name: status` per mutant.

    mutation score=0.NN killed=N survived=N

A mutant that makes the tests time out counts as killed (the tests noticed); the survivors are
listed above the score, for a maintainer to read with `mutmut show NAME`.
"""

from __future__ import annotations

import sys
from collections import Counter


def main() -> None:
    statuses = Counter()
    survivors = []
    for line in sys.stdin:
        name, _, status = line.strip().rpartition(": ")
        if not name:
            continue
        statuses[status] += 1
        if status == "survived":
            survivors.append(name)
    killed = statuses["killed"] + statuses["timeout"]
    tested = killed + statuses["survived"]
    for name in survivors:
        print(f"survived: {name}")
    others = {s: n for s, n in statuses.items() if s not in ("killed", "timeout", "survived")}
    if others:
        print("not run: " + ", ".join(f"{n} {s}" for s, n in sorted(others.items())))
    score = int(100 * killed / tested) / 100 if tested else 0.0  # rounded down: 0.849 is not 0.85
    print(f"mutation score={score:.2f} killed={killed} survived={statuses['survived']}")


if __name__ == "__main__":
    main()
