"""scikit-learn peer for the spectral clustering bench: SpectralClustering(n_clusters=2,
affinity='nearest_neighbors', n_neighbors=10, assign_labels='kmeans', random_state=0).fit(X) on
X, y = make_moons(n, noise=.05, random_state=0), one thread, per eigen_solver (arpack, lobpcg, amg if pyamg imports).
Usage: /usr/bin/python3 bench/peers_spectral.py REPEATS TIMEOUT_SECONDS N [N ...]
Each fit runs in its own forked process, killed after TIMEOUT_SECONDS. Repeats stop early once the seconds spent
on an n would pass TIMEOUT_SECONDS. Prints JSON
{solver: {n: {"seconds": [...], "ari": adjusted_rand_score(y, labels)} or {"timeout": T} or {"skipped": reason}}}
or {"skipped": reason}."""
import json
import multiprocessing
import sys
import time

from one_thread import require_sklearn

require_sklearn()
from sklearn.cluster import SpectralClustering
from sklearn.datasets import make_moons
from sklearn.metrics import adjusted_rand_score

SOLVERS = ("arpack", "lobpcg", "amg")


def fit_once(solver, n, conn):
    """In the child: build the data (untimed), time one fit, send (seconds, ari) back."""
    X, y = make_moons(n, noise=0.05, random_state=0)
    model = SpectralClustering(n_clusters=2, affinity="nearest_neighbors", n_neighbors=10,
                               assign_labels="kmeans", random_state=0, eigen_solver=solver, n_jobs=1)
    start = time.perf_counter()
    model.fit(X)
    seconds = time.perf_counter() - start
    conn.send((seconds, float(adjusted_rand_score(y, model.labels_))))
    conn.close()


def timed_fit(solver, n, timeout):
    """(seconds, ari) of one fit in a forked child, None if it ran past timeout; raises if the child failed."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=fit_once, args=(solver, n, child), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            return None
        return parent.recv()
    except EOFError:
        raise RuntimeError(f"{solver} fit for n={n} failed (exit code {proc.exitcode})")
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()


def bench(solver, n, repeats, timeout):
    seconds, ari = [], None
    for _ in range(repeats):
        try:
            result = timed_fit(solver, n, timeout)
        except RuntimeError as error:
            return {"error": str(error)}
        if result is None:
            break
        seconds.append(result[0])
        ari = result[1]
        # another run like the last would take the seconds spent past the budget
        if sum(seconds) + result[0] > timeout:
            break
    if not seconds:
        return {"timeout": timeout}
    return {"seconds": seconds, "ari": ari}


def main():
    repeats, timeout, sizes = int(sys.argv[1]), float(sys.argv[2]), [int(a) for a in sys.argv[3:]]
    try:
        import pyamg  # noqa: F401
        have_amg = True
    except ImportError:
        have_amg = False
    out = {}
    for solver in SOLVERS:
        if solver == "amg" and not have_amg:
            out[solver] = {"skipped": "pyamg not installed"}
            continue
        out[solver] = {str(n): bench(solver, n, repeats, timeout) for n in sizes}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
