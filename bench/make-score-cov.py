"""Inputs of bench/score-cov.sh: CIFAR-10's covariance from its eigenvalues and a seeded random
rotation, and a model covariance fitted on 20000 draws. Usage: /usr/bin/python3 bench/make-score-cov.py DIR"""
import os
import sys

import numpy as np

out = sys.argv[1]
here = os.path.dirname(os.path.abspath(__file__))
lam = np.maximum(np.load(os.path.join(here, '..', 'test', 'fixtures', 'data', 'cifar10.npy')).astype(np.float64), 0)
rng = np.random.default_rng(12)
d = lam.size
Q, _ = np.linalg.qr(rng.standard_normal((d, d)))
S = (Q * lam) @ Q.T
np.save(os.path.join(out, 'cov.npy'), (S + S.T) / 2)
X = (rng.standard_normal((20000, d)) * np.sqrt(lam)) @ Q.T
Sh = X.T @ X / 20000
np.save(os.path.join(out, 'score.npy'), (Sh + Sh.T) / 2)
