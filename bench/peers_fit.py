"""Python peers for bench/fit.mjs: whole k-means fits (k-means++ seeding, tol 1e-4, n_init 1 or nInit, random_state 0)
with scikit-learn's lloyd and elkan, and faiss for the same number of iterations as scikit-learn's lloyd, each
with 1 and 2 threads.

Usage: /usr/bin/python3 bench/peers_fit.py JOB.json
JOB: {"n", "d", "k", "x": raw float32 file (n*d), "maxRepeats", "budgetSec", "threads": [1, 2], "nInit" (default 1)}
Prints one JSON object: {"notices": [...], "peers": {"sklearn-lloyd-1": {"seconds": [...], "nIter", "inertia"}
or {"skipped": reason}, ...}}.
"""
import json
import sys
import time

import numpy as np


def repeat(fn, max_repeats, budget):
    """Whole-fit seconds per run; stop when another run would likely pass the budget."""
    seconds, total, out = [], 0.0, None
    for _ in range(max_repeats):
        t0 = time.perf_counter()
        out = fn()
        s = time.perf_counter() - t0
        seconds.append(s)
        total += s
        if total + s > budget:
            break
    return {"seconds": seconds, "nIter": int(out[0]), "inertia": float(out[1])}


def main():
    job = json.load(open(sys.argv[1]))
    n, d, k = job["n"], job["d"], job["k"]
    X = np.fromfile(job["x"], dtype=np.float32).reshape(n, d)
    reps, budget = job["maxRepeats"], job["budgetSec"]
    n_init = job.get("nInit", 1)
    peers, notices = {}, []
    try:
        from threadpoolctl import threadpool_limits
    except ImportError as e:
        print(json.dumps({"notices": [f"threadpoolctl missing: {e}"], "peers": {}}))
        return

    lloyd_iterations = 20
    try:
        from sklearn.cluster import KMeans

        for algorithm in ("lloyd", "elkan"):
            for threads in job["threads"]:
                def fit():
                    km = KMeans(n_clusters=k, init="k-means++", n_init=n_init, tol=1e-4, random_state=0, algorithm=algorithm).fit(X)
                    return km.n_iter_, km.inertia_

                with threadpool_limits(threads):
                    result = repeat(fit, reps, budget)
                peers[f"sklearn-{algorithm}-{threads}"] = result
                if algorithm == "lloyd":
                    lloyd_iterations = result["nIter"]
    except ImportError as e:
        notices.append(f"scikit-learn skipped: {e}")

    try:
        import faiss

        for threads in job["threads"]:
            faiss.omp_set_num_threads(threads)

            def fa():
                # As many iterations as scikit-learn's lloyd needed; faiss seeds at random and trains on all points.
                km = faiss.Kmeans(d, k, niter=lloyd_iterations, nredo=n_init, max_points_per_centroid=10**9, seed=0, verbose=False)
                km.train(X)
                return lloyd_iterations, km.obj[-1]

            peers[f"faiss-{threads}"] = repeat(fa, reps, budget)
    except ImportError as e:
        notices.append(f"faiss skipped: {e}")

    json.dump({"notices": notices, "peers": peers}, sys.stdout)


if __name__ == "__main__":
    main()
