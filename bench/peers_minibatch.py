"""scikit-learn peer for bench/minibatch.mjs: MiniBatchKMeans and KMeans on the china photo, one thread.

Usage: /usr/bin/python3 bench/peers_minibatch.py REPEATS
Prints JSON: {"pixels": n, "minibatch": {"seconds": [...], "inertia": x}, "kmeans": {...}} or {"skipped": reason}.
"""
import json
import sys
import time

from one_thread import require_sklearn

require_sklearn()
import numpy as np
from sklearn.cluster import KMeans, MiniBatchKMeans
from sklearn.datasets import load_sample_image
from threadpoolctl import threadpool_limits

repeats = int(sys.argv[1])
data = (load_sample_image("china.jpg") / 255.0).reshape(-1, 3)
out = {"pixels": int(data.shape[0])}
with threadpool_limits(1):
    for name, make in [
        ("minibatch", lambda: MiniBatchKMeans(16, batch_size=1024, n_init=3, random_state=0)),
        ("kmeans", lambda: KMeans(16, n_init=1, random_state=0)),
    ]:
        seconds, inertia = [], None
        for _ in range(repeats):
            model = make()
            start = time.perf_counter()
            model.fit(data)
            seconds.append(time.perf_counter() - start)
            inertia = float(model.inertia_)
        out[name] = {"seconds": seconds, "inertia": inertia}
print(json.dumps(out))
