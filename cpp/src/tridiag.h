// Blocked Householder tridiagonalisation of a symmetric matrix (LAPACK dsytrd/dlatrd, lower).
#pragma once
#include <Eigen/Dense>

#ifndef GD_TRIDIAG_NB
#define GD_TRIDIAG_NB 32  // panel width (experiments: EXTRA_CFLAGS=-DGD_TRIDIAG_NB=…)
#endif

namespace gd {

/**
 * Reduce the symmetric matrix in the lower triangle of `a` (n×n, column-major; the strict upper
 * triangle is not read) to tridiagonal form T = Qᵀ A Q. On return d (n) and e (n−1) hold T's
 * diagonal and subdiagonal; Q = H_0 H_1 ⋯ H_{n−2}, H_j = I − tau_j v_j v_jᵀ, with v_j = 1 at row
 * j+1 and its essential part in a(j+2:n, j) — the storage of Eigen's Tridiagonalization, so
 * `apply_q(a, tau, z)` applies Q by blocks of reflectors (GEMMs).
 *
 * Panels of `nb` columns are reduced with the trailing matrix left untouched except for one
 * symmetric matrix-vector product per column (dlatrd), then the trailing matrix receives the
 * panel's rank-2·nb update A22 −= V Wᵀ + W Vᵀ as one GEMM-based triangular product (dsyr2k).
 * This halves the passes over the trailing matrix of the unblocked (level-2) reduction Eigen uses.
 */
void tridiagonalize_blocked(Eigen::MatrixXd& a, Eigen::VectorXd& d, Eigen::VectorXd& e, Eigen::VectorXd& tau,
                            Eigen::Index nb = GD_TRIDIAG_NB);

#ifndef GD_APPLY_Q_NB
#define GD_APPLY_Q_NB 64  // reflectors per block in apply_q
#endif

/**
 * z ← Q z for the Q of `tridiagonalize_blocked` (a, tau as it left them; z has a.rows() rows), as
 * LAPACK dormtr/dlarfb: blocks of nb reflectors, last block first, each applied as
 * I − V T Vᵀ with two GEMMs. 2·n²·cols flops; at n = 3072 with Eigen's Householder-sequence
 * product (blocks of 48, triangular products) this took 1.1–1.2× longer.
 */
void apply_q(const Eigen::MatrixXd& a, const Eigen::VectorXd& tau, Eigen::MatrixXd& z, Eigen::Index nb = GD_APPLY_Q_NB);

}  // namespace gd
