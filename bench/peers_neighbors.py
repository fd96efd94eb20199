"""scikit-learn peer for bench/neighbors.mjs: kneighbors_graph(make_moons(n, noise=.05, random_state=0), 10,
include_self=True), one thread. Usage: /usr/bin/python3 bench/peers_neighbors.py REPEATS N [N ...]
Prints JSON {n: [seconds, ...]} or {"skipped": reason}."""
import json
import sys
import time

from one_thread import require_sklearn

require_sklearn()
from sklearn.datasets import make_moons
from sklearn.neighbors import kneighbors_graph

repeats = int(sys.argv[1])
out = {}
for n in map(int, sys.argv[2:]):
    X, _ = make_moons(n, noise=0.05, random_state=0)
    seconds = []
    for _ in range(repeats):
        start = time.perf_counter()
        kneighbors_graph(X, 10, include_self=True, n_jobs=1)
        seconds.append(time.perf_counter() - start)
    out[str(n)] = seconds
print(json.dumps(out))
