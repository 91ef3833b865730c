"""The marketplace search mix: 2,000 distinct queries, ranked for a Zipf draw by bench/search_mix.lua.

The pool, from the seed's vocabulary (``--words``): every word alone; proper prefixes of the words
(two letters or more, what a user types before finishing: ``py``, ``pyth``); two-word queries
(``docker compose``-like pairs of vocabulary words) and two-word queries whose second word is
still being typed (``rust ca``). The queries are ranked by a weighted shuffle (Efraimidis-Spirakis:
key ``u ** (1 / weight)``): whole words weigh 20, prefixes 3, pairs 1, so the head of the ranking is
mostly single words, as in a real search log, and the long tail mostly pairs. Everything is drawn
from ``random.Random(seed)``: the same file for the same seed and vocabulary.

The Lua script draws a rank with probability proportional to ``1 / rank ** s`` (s = 1 by
default) and adds, per request, a sort order and a filter (both also seeded; see the script).

    .venv/bin/python bench/search_mix.py --words words.txt --out queries.txt [--count 2000 --seed 12]
"""

from __future__ import annotations

import argparse
import random
from pathlib import Path
from urllib.parse import quote

WHOLE, PREFIX, PAIR = 20.0, 3.0, 1.0


def pool(vocabulary: list[str], count: int, rng: random.Random) -> list[tuple[str, float]]:
    """``count`` distinct queries with their shuffle weights."""
    known = set(vocabulary)
    prefixes = sorted({word[:n] for word in vocabulary for n in range(2, len(word))} - known)
    chosen: dict[str, float] = dict.fromkeys(vocabulary, WHOLE)
    for prefix in rng.sample(prefixes, min(len(prefixes), count // 5)):
        chosen[prefix] = PREFIX
    while len(chosen) < count:
        first, second = rng.sample(vocabulary, 2)
        if rng.random() < 0.3 and len(second) > 3:
            second = second[: rng.randint(3, len(second) - 1)]
        chosen.setdefault(f"{first} {second}", PAIR)
    return list(chosen.items())


def ranked(vocabulary: list[str], count: int, seed: int) -> list[str]:
    rng = random.Random(seed)
    queries = pool(vocabulary, count, rng)
    keyed = sorted(((rng.random() ** (1.0 / weight), query) for query, weight in queries), reverse=True)
    return [query for _, query in keyed]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--words", type=Path, required=True, help="the seed's vocabulary, one word a line")
    parser.add_argument("--out", type=Path, required=True, help="the queries, URL-encoded, most popular first")
    parser.add_argument("--count", type=int, default=2_000)
    parser.add_argument("--seed", type=int, default=12)
    args = parser.parse_args()
    vocabulary = args.words.read_text().split()
    args.out.write_text("".join(quote(query) + "\n" for query in ranked(vocabulary, args.count, args.seed)))


if __name__ == "__main__":
    main()
