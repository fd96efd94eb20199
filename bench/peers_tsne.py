"""scikit-learn peer for the t-SNE bench: TSNE(n_components=2, init='random', random_state=0) on the digits, then
KMeans(10, n_init=10, random_state=0) on the embedding with mode-matched accuracy, and trustworthiness (5).
Usage: /usr/bin/python3 bench/peers_tsne.py THREADS REPEATS. THREADS pins OpenMP (scikit-learn's Barnes-Hut
gradient runs on OpenMP threads). Prints JSON {"seconds": [...], "kl": ..., "accuracy": ..., "trustworthiness": ...}
or {"skipped": reason}."""
import json
import os
import sys

threads = sys.argv[1] if len(sys.argv) > 1 else "1"
for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = threads

try:
    import numpy as np
    from sklearn.cluster import KMeans
    from sklearn.datasets import load_digits
    from sklearn.manifold import TSNE, trustworthiness
except ImportError as error:
    print(json.dumps({"skipped": f"scikit-learn not importable: {error}"}))
    sys.exit(0)
import time

repeats = int(sys.argv[2]) if len(sys.argv) > 2 else 3
digits = load_digits()
seconds = []
for _ in range(repeats):
    model = TSNE(n_components=2, init="random", random_state=0)
    start = time.perf_counter()
    embedded = model.fit_transform(digits.data)
    seconds.append(time.perf_counter() - start)
labels = KMeans(10, n_init=10, random_state=0).fit_predict(embedded)
mapped = np.zeros_like(labels)
for k in range(10):
    mask = labels == k
    mapped[mask] = np.bincount(digits.target[mask]).argmax()
print(json.dumps({
    "seconds": seconds, "kl": float(model.kl_divergence_), "accuracy": float((mapped == digits.target).mean()),
    "trustworthiness": float(trustworthiness(digits.data, embedded, n_neighbors=5)),
}))
