#!/usr/bin/env python3
"""Deduplication quality on a synthetic corpus.

    bench/dedup_quality.py CONTENT OUT

CONTENT is a folder written by `deckc gen-corpus` (it holds planted.yaml);
OUT is the output folder of a `deckc build` of it (it holds cards.json).

The truth: questions linked by planted.yaml pairs belong together (each
pair is a near-duplicate and its original); every other question has a
subject of its own, so it belongs alone. deckc's answer: the questions
each card holds. Prints pairwise precision (of the question pairs deckc
put on one card, the share that belong together) and recall (of the pairs
that belong together, the share deckc put on one card), and the planted
pairs it merged. Exits 1 if the files do not fit together.
"""
import json
import re
import sys
from itertools import combinations


def groups(pairs):
    """Connected components of `pairs`, as sets of references."""
    parent = {}

    def find(x):
        parent.setdefault(x, x)
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in pairs:
        parent[find(a)] = find(b)
    out = {}
    for x in list(parent):
        out.setdefault(find(x), set()).add(x)
    return list(out.values())


def pair_set(clusters):
    return {tuple(sorted(p)) for c in clusters for p in combinations(sorted(c), 2)}


def main(content, out):
    text = open(f"{content}/planted.yaml", encoding="utf-8").read()
    planted = re.findall(r'\["([^"]+)", "([^"]+)"\]', text)
    cards = json.load(open(f"{out}/cards.json", encoding="utf-8"))["cards"]
    card_of = {}
    for c in cards:
        for s in c["sources"]:
            card_of[s["ref"]] = c["id"]
    missing = {r for p in planted for r in p} - card_of.keys()
    if missing:
        print(f"dedup_quality: planted references with no card: {sorted(missing)[:5]}", file=sys.stderr)
        return 1
    truth = pair_set(groups(planted))
    found = pair_set([[s["ref"] for s in c["sources"]] for c in cards if len(c["sources"]) > 1])
    both = len(truth & found)
    precision = both / len(found) if found else 1.0
    recall = both / len(truth) if truth else 1.0
    merged = sum(card_of[a] == card_of[b] for a, b in planted)
    print(
        f"questions {len(card_of)}, cards {len(cards)}; planted pairs merged {merged}/{len(planted)}; "
        f"pairwise precision {precision:.3f} recall {recall:.3f} "
        f"({len(found)} pairs merged, {len(truth)} should be)"
    )
    return 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    sys.exit(main(sys.argv[1], sys.argv[2]))
