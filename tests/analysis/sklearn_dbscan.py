#!/usr/bin/python3
"""Reference DBSCAN labels from scikit-learn for the C++ tests.

Usage: sklearn_dbscan.py POINTS.csv EPS MIN_POINTS OUT.csv
POINTS.csv: x,y per line (no header). OUT.csv: label,core per input point
(label -1 = noise), in input order. Exit code 3 if scikit-learn is missing.
"""
import sys

try:
    import numpy as np
    from sklearn.cluster import DBSCAN
except ImportError:
    sys.exit(3)

points_path, eps, min_points, out_path = sys.argv[1], float(sys.argv[2]), int(sys.argv[3]), sys.argv[4]
X = np.loadtxt(points_path, delimiter=",", ndmin=2)
model = DBSCAN(eps=eps, min_samples=min_points, algorithm="kd_tree").fit(X)
core = np.zeros(len(X), dtype=int)
core[model.core_sample_indices_] = 1
with open(out_path, "w") as out:
    for label, c in zip(model.labels_, core):
        out.write(f"{label},{c}\n")
