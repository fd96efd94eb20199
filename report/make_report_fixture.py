"""scikit-learn 1.2.1's side of the k-means chapter report (report/chapter.mjs draws it beside ours).

Run with Debian's python3-sklearn:  /usr/bin/python3 report/make_report_fixture.py
Writes report/sklearn-chapter.json next to this script: every number and label the report's scikit-learn
figures show, and the seconds each step took here (one thread, each step run once before it is timed, so that
imports and first-call set-up are not counted; recorded once, on the machine that ran this script).
"""
import base64
import io
import json
import os
import time

# One thread, as the report's own steps run: set before numpy and scikit-learn start their thread pools.
os.environ["OMP_NUM_THREADS"] = "1"
os.environ["OPENBLAS_NUM_THREADS"] = "1"

import numpy as np
import sklearn
from PIL import Image
from scipy.stats import mode
from sklearn.cluster import KMeans, MiniBatchKMeans, SpectralClustering
from sklearn.datasets import load_digits, load_sample_image, make_blobs, make_moons
from sklearn.manifold import TSNE
from sklearn.metrics import accuracy_score, adjusted_rand_score, confusion_matrix, pairwise_distances_argmin, silhouette_score

HERE = os.path.dirname(os.path.abspath(__file__))
assert sklearn.__version__ == "1.2.1", sklearn.__version__

out = {"sklearn": sklearn.__version__, "numpy": np.__version__, "seconds": {}}


def timed(name, fn):
    fn()
    start = time.perf_counter()
    result = fn()
    out["seconds"][name] = round(time.perf_counter() - start, 4)
    return result


def rounded(a, digits=6):
    return np.round(np.asarray(a, dtype=float), digits).tolist()


def find_clusters(X, n_clusters, rseed=2):
    """The chapter's own k-means, verbatim but for the history of centers it keeps for the step figure."""
    rng = np.random.RandomState(rseed)
    i = rng.permutation(X.shape[0])[:n_clusters]
    centers = X[i]
    while True:
        labels = pairwise_distances_argmin(X, centers)
        new_centers = np.array([X[labels == i].mean(0) for i in range(n_clusters)])
        if np.all(centers == new_centers):
            break
        centers = new_centers
    return centers, labels


X, y_true = make_blobs(n_samples=300, centers=4, cluster_std=0.60, random_state=0)

# 1. KMeans(4) on the blobs.
km = timed("blobs", lambda: KMeans(n_clusters=4, n_init=10, random_state=0).fit(X))
out["blobs"] = {"labels": km.labels_.tolist(), "centers": rounded(km.cluster_centers_), "inertia": km.inertia_}

# 2. Expectation-maximization from the book's figure's start: centers [0, 4] + RandomState(1).randn(4, 2).
start = np.array([0, 4]) + np.random.RandomState(1).randn(4, 2)


def em_steps():
    centers, steps = start, []
    for _ in range(3):
        labels = pairwise_distances_argmin(X, centers)  # E-step
        new_centers = np.array([X[labels == i].mean(0) for i in range(4)])  # M-step
        steps.append({"centers": rounded(centers), "labels": labels.tolist(), "newCenters": rounded(new_centers)})
        centers = new_centers
    return steps


out["em"] = {"start": rounded(start, 12), "steps": timed("em", em_steps)}

# 3. The chapter's find_clusters: rseed 2 finds the blobs, rseed 0 a poor local optimum; restarts fix it.
for rseed in (2, 0):
    centers, labels = timed(f"findClusters{rseed}", lambda: find_clusters(X, 4, rseed))
    inertia = float(((X - centers[labels]) ** 2).sum())
    out[f"findClusters{rseed}"] = {"labels": labels.tolist(), "centers": rounded(centers), "inertia": inertia}
restarts = timed("restarts", lambda: KMeans(4, init="random", n_init=10, random_state=0).fit(X))
out["restarts"] = {"labels": restarts.labels_.tolist(), "centers": rounded(restarts.cluster_centers_), "inertia": restarts.inertia_}

# 4. KMeans(6), then inertia and silhouette for k = 2..10.
km6 = timed("k6", lambda: KMeans(6, n_init=10, random_state=0).fit(X))
out["k6"] = {"labels": km6.labels_.tolist(), "centers": rounded(km6.cluster_centers_), "inertia": km6.inertia_}


def choose_k():
    rows = []
    for k in range(2, 11):
        model = KMeans(k, n_init=10, random_state=0).fit(X)
        rows.append({"k": k, "inertia": model.inertia_, "silhouette": silhouette_score(X, model.labels_)})
    return rows


out["chooseK"] = timed("chooseK", choose_k)

# 5. Moons: k-means cuts them straight; spectral clustering on a nearest-neighbour graph follows them.
Xm, ym = make_moons(200, noise=0.05, random_state=0)
moons_km = timed("moonsKMeans", lambda: KMeans(2, n_init=10, random_state=0).fit_predict(Xm))
moons_sc = timed(
    "moonsSpectral",
    lambda: SpectralClustering(2, affinity="nearest_neighbors", assign_labels="kmeans", random_state=0).fit_predict(Xm),
)
out["moons"] = {
    "kmeans": moons_km.tolist(),
    "spectral": moons_sc.tolist(),
    "kmeansARI": adjusted_rand_score(ym, moons_km),
    "spectralARI": adjusted_rand_score(ym, moons_sc),
}

# 6. Digits: ten centers as 8x8 images, the chapter's mode-matched labels, accuracy and confusion matrix.
digits = load_digits()
dkm = timed("digits", lambda: KMeans(10, n_init=10, random_state=0).fit(digits.data))


def mode_match(clusters):
    labels = np.zeros_like(clusters)
    for i in range(10):
        mask = clusters == i
        labels[mask] = mode(digits.target[mask], keepdims=False)[0]
    return labels


matched = mode_match(dkm.labels_)
out["digits"] = {
    "centers": rounded(dkm.cluster_centers_, 4),
    "accuracy": accuracy_score(digits.target, matched),
    "confusion": confusion_matrix(digits.target, matched).tolist(),
}

# 7. t-SNE, then k-means on the embedding.
embedding = timed("tsne", lambda: TSNE(n_components=2, init="random", random_state=0).fit_transform(digits.data))
tkm = timed("tsneKMeans", lambda: KMeans(10, n_init=10, random_state=0).fit_predict(embedding))
out["tsne"] = {
    "embedding": rounded(embedding, 3),
    "labels": tkm.tolist(),
    "accuracy": accuracy_score(digits.target, mode_match(tkm)),
}

# 8. Colour compression: a 10 000-pixel sample as the book draws it, and MiniBatchKMeans(16).
china = load_sample_image("china.jpg")
data = (china / 255.0).reshape(-1, 3)
sample = np.random.RandomState(0).permutation(data.shape[0])[:10000]
mbk = timed("china", lambda: MiniBatchKMeans(16, n_init=3, random_state=0).fit(data))
indices = mbk.predict(data)
palette = np.clip(np.round(mbk.cluster_centers_ * 255), 0, 255).astype(np.uint8)
recoloured = Image.fromarray(palette[indices].reshape(china.shape))
png = io.BytesIO()
recoloured.save(png, format="PNG", optimize=True)
out["china"] = {
    "width": china.shape[1],
    "height": china.shape[0],
    "sample": base64.b64encode(china.reshape(-1, 3)[sample].tobytes()).decode(),
    "palette": palette.tolist(),
    "inertia": mbk.inertia_,
    "png": base64.b64encode(png.getvalue()).decode(),
}

with open(os.path.join(HERE, "sklearn-chapter.json"), "w") as f:
    json.dump(out, f, separators=(",", ":"))
    f.write("\n")
print("seconds:", out["seconds"])
