"""Python peers for bench/lloyd.mjs: scikit-learn (lloyd and elkan) and faiss Lloyd k-means, with 1 and 2 threads.

Usage: /usr/bin/python3 bench/peers.py JOB.json
JOB: {"n", "d", "k", "x": raw float32 file (n*d), "init": raw float32 file (k*d),
      "maxIter", "maxRepeats", "budgetSec"}
Prints one JSON object: {"notices": [...], "peers": {name: {"secPerIter", "runs", "nIter", "inertia",
"centers"} or {"skipped": reason}}}. Timing is the median over repeats of seconds / iterations.
"""
import json
import sys
import time

import numpy as np  # noqa: E402


def repeat(fn, max_repeats, budget):
    """Same policy as timeRepeats in util.mjs: stop when another run would likely exceed the budget."""
    per_iter, total, out = [], 0.0, None
    for _ in range(max_repeats):
        t0 = time.perf_counter()
        out = fn()
        s = time.perf_counter() - t0
        total += s
        per_iter.append(s / max(1, out[0]))
        if total + s > budget:
            break
    return {"secPerIter": float(np.median(per_iter)), "runs": per_iter, "nIter": int(out[0]),
            "inertia": float(out[1]), "centers": np.asarray(out[2], dtype=np.float64).ravel().tolist()}


def main():
    job = json.load(open(sys.argv[1]))
    n, d, k = job["n"], job["d"], job["k"]
    X = np.fromfile(job["x"], dtype=np.float32).reshape(n, d)
    C = np.fromfile(job["init"], dtype=np.float32).reshape(k, d)
    it, reps, budget = job["maxIter"], job["maxRepeats"], job["budgetSec"]
    peers, notices = {}, []

    try:
        from sklearn.cluster import KMeans
        from threadpoolctl import threadpool_limits

        for algorithm in ("lloyd", "elkan"):
            for threads in (1, 2):
                def sk():
                    km = KMeans(n_clusters=k, init=C, n_init=1, max_iter=it, tol=0, algorithm=algorithm).fit(X)
                    return km.n_iter_, km.inertia_, km.cluster_centers_

                name = "scikit-learn" + ("" if algorithm == "lloyd" else " elkan") + ("" if threads == 1 else " 2t")
                with threadpool_limits(threads):
                    peers[name] = repeat(sk, reps, budget)
    except ImportError as e:
        notices.append(f"scikit-learn skipped: {e}")
        peers["scikit-learn"] = {"skipped": str(e)}

    try:
        import faiss
        from threadpoolctl import threadpool_limits

        def fa():
            # max_points_per_centroid: faiss otherwise trains on a subsample of k*256 points.
            km = faiss.Kmeans(d, k, niter=it, max_points_per_centroid=10**9, verbose=False)
            km.train(X, init_centroids=C)
            # obj[-1] is the objective of the last assignment, before the last update: report it as is;
            # lloyd.mjs re-evaluates inertia at the final centers for every peer.
            return it, km.obj[-1], km.centroids

        for threads in (1, 2):
            faiss.omp_set_num_threads(threads)
            with threadpool_limits(threads):
                peers["faiss" + ("" if threads == 1 else " 2t")] = repeat(fa, reps, budget)
    except ImportError as e:
        notices.append(f"faiss skipped: {e}")
        peers["faiss"] = {"skipped": str(e)}

    json.dump({"notices": notices, "peers": peers}, sys.stdout)


if __name__ == "__main__":
    main()
