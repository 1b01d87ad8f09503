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
 * `householder_q(a, tau)` applies Q with Eigen's blocked (GEMM) Householder code.
 *
 * Panels of `nb` columns are reduced with the trailing matrix left untouched except for one
 * symmetric matrix-vector product per column (dlatrd), then the trailing matrix receives the
 * panel's rank-2·nb update A22 −= V Wᵀ + W Vᵀ as one GEMM-based triangular product (dsyr2k).
 * This halves the passes over the trailing matrix of the unblocked (level-2) reduction Eigen uses.
 */
void tridiagonalize_blocked(Eigen::MatrixXd& a, Eigen::VectorXd& d, Eigen::VectorXd& e, Eigen::VectorXd& tau,
                            Eigen::Index nb = GD_TRIDIAG_NB);

/** Q of `tridiagonalize_blocked` as an Eigen Householder sequence (apply with `q * M`, `q.evalTo`). */
inline Eigen::HouseholderSequence<Eigen::MatrixXd, Eigen::VectorXd> householder_q(const Eigen::MatrixXd& a,
                                                                                const Eigen::VectorXd& tau) {
  return Eigen::HouseholderSequence<Eigen::MatrixXd, Eigen::VectorXd>(a, tau)
      .setLength(a.rows() - 1)
      .setShift(1);
}

}  // namespace gd
