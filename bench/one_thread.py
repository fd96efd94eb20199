"""The shared start of the one-thread Python peers: BLAS and OpenMP pools pinned to one thread before numpy
loads, and a JSON notice instead of a traceback where scikit-learn is missing (the bench then goes on)."""
import json
import os
import sys

for var in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ[var] = "1"


def require_sklearn():
    """Exits printing {"skipped": reason} unless scikit-learn (and threadpoolctl, which it brings) imports."""
    try:
        import sklearn  # noqa: F401
        import threadpoolctl  # noqa: F401
    except ImportError as error:
        print(json.dumps({"skipped": f"scikit-learn not importable: {error}"}))
        sys.exit(0)
