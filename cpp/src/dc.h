// Divide and conquer for the symmetric tridiagonal eigenproblem (the role of LAPACK dstedc).
#pragma once
#include <Eigen/Dense>

namespace gd {

/**
 * Eigen-decomposition T = Z diag(d) Zᵀ of the symmetric tridiagonal T with diagonal d (n) and
 * subdiagonal e (n−1). On return d holds the eigenvalues ascending and z (resized to n×n) the
 * orthonormal eigenvectors as columns; e is not modified. Returns GD_OK or GD_ERR_NOCONV (a leaf
 * QR failed to converge).
 *
 * Cuppen's method: T = diag(T1, T2) + ρ w wᵀ, solve both halves recursively (Eigen's QR below
 * 32×32), then the rank-one update D + ρ z zᵀ: deflation as in LAPACK dlaed2, secular equation per
 * root, Gu–Eisenstat recomputed z for orthogonality, and one matrix product per half (GEMM) for
 * the new vectors — O(n³) in products instead of the O(n³) rotations of QR applied column by
 * column, and much less when many eigenvalues deflate.
 */
int tridiagonal_eigh_dc(Eigen::VectorXd& d, Eigen::VectorXd& e, Eigen::MatrixXd& z);

}  // namespace gd
