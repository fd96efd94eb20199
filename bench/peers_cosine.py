"""Python peers for bench/cosine.mjs: faiss Kmeans(spherical=True) and scikit-learn KMeans on the normalised rows,
one thread each.

Usage: /usr/bin/python3 bench/peers_cosine.py JOB.json
JOB: {"n", "d", "k", "x": raw float32 file (n*d, rows of unit length), "init": raw float32 file (k*d),
      "iterations", "repeats"}
Prints {"notices": [...], "peers": {name: {"secPerIter": median of (T(1 + iterations) − T(1)) / iterations,
"fitSec": median whole default fit, "centers": the whole fit's centers, "nIter"} or {"skipped": reason}}}.
"""
import json
import sys
import time

sys.path.insert(0, __import__("os").path.dirname(__file__))
import one_thread  # noqa: E402,F401  (pins BLAS and OpenMP to one thread before numpy loads)

import numpy as np  # noqa: E402


def seconds(fn):
    t0 = time.perf_counter()
    out = fn()
    return time.perf_counter() - t0, out


def per_iteration(run, iterations, repeats):
    """(T(1 + iterations) − T(1)) / iterations, the median over repeats: the iterations without set-up and seeding."""
    samples = []
    for _ in range(repeats):
        t1, _ = seconds(lambda: run(1))
        tn, _ = seconds(lambda: run(1 + iterations))
        samples.append((tn - t1) / iterations)
    return float(np.median(samples)), samples


def main():
    job = json.load(open(sys.argv[1]))
    n, d, k = job["n"], job["d"], job["k"]
    X = np.fromfile(job["x"], dtype=np.float32).reshape(n, d)
    C = np.fromfile(job["init"], dtype=np.float32).reshape(k, d)
    iterations, repeats = job["iterations"], job["repeats"]
    peers, notices = {}, []

    try:
        import faiss

        faiss.omp_set_num_threads(1)

        def fa(niter, init=C):
            # All rows (faiss otherwise trains on k·256 of them); spherical: centroids renormalised each iteration.
            km = faiss.Kmeans(d, k, niter=niter, spherical=True, max_points_per_centroid=10**9, seed=1234, verbose=False)
            if init is None:
                km.train(X)
            else:
                km.train(X, init_centroids=init)
            return km

        sec, samples = per_iteration(lambda it: fa(it), iterations, repeats)
        fits = [seconds(lambda: fa(25, None)) for _ in range(repeats)]
        peers["faiss"] = {"secPerIter": sec, "runs": samples, "fitSec": float(np.median([f[0] for f in fits])),
                          "nIter": 25, "centers": fits[-1][1].centroids.astype(np.float64).ravel().tolist()}
    except ImportError as e:
        notices.append(f"faiss skipped: {e}")
        peers["faiss"] = {"skipped": str(e)}

    try:
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits

        with threadpool_limits(1):
            def sk(max_iter):
                return KMeans(n_clusters=k, init=C, n_init=1, max_iter=max_iter, tol=0, algorithm="lloyd").fit(X)

            sec, samples = per_iteration(sk, iterations, repeats)
            fits = [seconds(lambda: KMeans(n_clusters=k, n_init=1, random_state=0).fit(X)) for _ in range(repeats)]
            peers["scikit-learn"] = {"secPerIter": sec, "runs": samples, "fitSec": float(np.median([f[0] for f in fits])),
                                     "nIter": int(fits[-1][1].n_iter_),
                                     "centers": fits[-1][1].cluster_centers_.astype(np.float64).ravel().tolist()}
    except ImportError as e:
        notices.append(f"scikit-learn skipped: {e}")
        peers["scikit-learn"] = {"skipped": str(e)}

    json.dump({"notices": notices, "peers": peers}, sys.stdout)


if __name__ == "__main__":
    main()
