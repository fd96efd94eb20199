"""scikit-learn peer for the spectral clustering bench: SpectralClustering(n_clusters, affinity='nearest_neighbors',
n_neighbors=10, assign_labels='kmeans', random_state=0).fit(X), one thread, per eigen_solver (arpack, lobpcg, amg if
pyamg imports), on one of the DATASETs:
  moons-0.05  X, y = make_moons(N, noise=0.05, random_state=0), n_clusters=2 (the 10-NN graph has two components)
  moons-0.1   X, y = make_moons(N, noise=0.1, random_state=0), n_clusters=2 (a connected graph)
  digits      X, y = load_digits(return_X_y=True) (1797 x 64), n_clusters=10; takes no N
Usage: /usr/bin/python3 bench/peers_spectral.py DATASET REPEATS TIMEOUT_SECONDS [N ...]
Each fit runs in its own forked process, killed after TIMEOUT_SECONDS. Repeats stop early once the seconds spent
on an n would pass TIMEOUT_SECONDS. Prints JSON, with n the rows of X (1797 for digits)
{solver: {n: {"seconds": [...], "ari": adjusted_rand_score(y, labels)} or {"timeout": T} or {"skipped": reason}}}
or {"skipped": reason}."""
import json
import multiprocessing
import sys
import time

from one_thread import require_sklearn

require_sklearn()
from sklearn.cluster import SpectralClustering
from sklearn.datasets import load_digits, make_moons
from sklearn.metrics import adjusted_rand_score

SOLVERS = ("arpack", "lobpcg", "amg")
DIGITS_ROWS = 1797


def load(dataset, n):
    """(X, y, n_clusters) of the dataset; n is the number of moons rows, unused for digits."""
    if dataset == "digits":
        X, y = load_digits(return_X_y=True)
        return X, y, 10
    noise = {"moons-0.05": 0.05, "moons-0.1": 0.1}[dataset]
    X, y = make_moons(n, noise=noise, random_state=0)
    return X, y, 2


def fit_once(dataset, solver, n, conn):
    """In the child: build the data (untimed), time one fit, send (seconds, ari) back."""
    X, y, n_clusters = load(dataset, n)
    model = SpectralClustering(n_clusters=n_clusters, affinity="nearest_neighbors", n_neighbors=10,
                               assign_labels="kmeans", random_state=0, eigen_solver=solver, n_jobs=1)
    start = time.perf_counter()
    model.fit(X)
    seconds = time.perf_counter() - start
    conn.send((seconds, float(adjusted_rand_score(y, model.labels_))))
    conn.close()


def timed_fit(dataset, solver, n, timeout):
    """(seconds, ari) of one fit in a forked child, None if it ran past timeout; raises if the child failed."""
    ctx = multiprocessing.get_context("fork")
    parent, child = ctx.Pipe(duplex=False)
    proc = ctx.Process(target=fit_once, args=(dataset, solver, n, child), daemon=True)
    proc.start()
    child.close()
    try:
        if not parent.poll(timeout):
            return None
        return parent.recv()
    except EOFError:
        raise RuntimeError(f"{solver} fit on {dataset} n={n} failed (exit code {proc.exitcode})")
    finally:
        if proc.is_alive():
            proc.kill()
        proc.join()
        parent.close()


def bench(dataset, solver, n, repeats, timeout):
    seconds, ari = [], None
    for _ in range(repeats):
        try:
            result = timed_fit(dataset, solver, n, timeout)
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
    dataset, repeats, timeout = sys.argv[1], int(sys.argv[2]), float(sys.argv[3])
    sizes = [int(a) for a in sys.argv[4:]]
    if dataset not in ("moons-0.05", "moons-0.1", "digits"):
        sys.exit(f"unknown dataset {dataset!r}: moons-0.05, moons-0.1 or digits")
    if dataset == "digits":
        if sizes:
            sys.exit("digits takes no N")
        sizes = [DIGITS_ROWS]
    elif not sizes:
        sys.exit(f"{dataset} needs at least one N")
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
        out[solver] = {str(n): bench(dataset, solver, n, repeats, timeout) for n in sizes}
    print(json.dumps(out))


if __name__ == "__main__":
    main()
