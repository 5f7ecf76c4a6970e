"""The reference `edge-arena rank` is measured against: a Bradley-Terry point
fit in scipy that reads the same FastChat JSONL with Python's json module, one
json.loads per line, counts each pair's outcomes (ties as half a win each way)
and maximises the likelihood with L-BFGS-B. No intervals, no Elo: the least a
Python ranking of this file has to do. Prints the number of models."""
import json
import sys

import numpy as np
from scipy.optimize import minimize

index = {}
pairs = {}
with open(sys.argv[1], encoding="utf-8") as f:
    for line in f:
        if not line.strip():
            continue
        r = json.loads(line)
        a = index.setdefault(r["model_a"], len(index))
        b = index.setdefault(r["model_b"], len(index))
        c = pairs.setdefault((a, b), [0.0, 0.0])
        w = r["winner"]
        if w == "model_a":
            c[0] += 1
        elif w == "model_b":
            c[1] += 1
        else:
            c[0] += 0.5
            c[1] += 0.5

keys = np.array(list(pairs.keys()))
counts = np.array(list(pairs.values()))
i, j = keys[:, 0], keys[:, 1]
wins_i, wins_j = counts[:, 0], counts[:, 1]
n = len(index)


def negative_log_likelihood(beta):
    d = beta[i] - beta[j]
    ll = -(wins_i * np.logaddexp(0, -d) + wins_j * np.logaddexp(0, d))
    p = 1 / (1 + np.exp(-d))
    g = wins_i * (1 - p) - wins_j * p
    gradient = np.bincount(i, g, n) - np.bincount(j, g, n)
    return -ll.sum(), -gradient


minimize(negative_log_likelihood, np.zeros(n), jac=True, method="L-BFGS-B")
print(n)
