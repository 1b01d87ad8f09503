// Blocked tridiagonalisation, after LAPACK 3.x dsytrd + dlatrd (uplo = 'L'); see tridiag.h.
// Reference: Dongarra, Hammarling, Sorensen, "Block reduction of matrices to condensed forms for
// eigenvalue computations", J. Comput. Appl. Math. 27 (1989); LAPACK Working Note 2.
#include "tridiag.h"

#include <algorithm>
#include <cmath>

namespace gd {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

void tridiagonalize_blocked(MatrixXd& a, VectorXd& d, VectorXd& e, VectorXd& tau, Index nb) {
  const Index n = a.rows();
  d.resize(n);
  e.resize(std::max<Index>(n - 1, 0));
  tau.resize(std::max<Index>(n - 1, 0));
  MatrixXd w(n, nb);
  VectorXd tmp(nb);
  for (Index i0 = 0; i0 < n; i0 += nb) {
    const Index N = n - i0;
    const Index b = std::min(nb, N);
    auto A = a.bottomRightCorner(N, N);
    auto W = w.topLeftCorner(N, b);
    for (Index j = 0; j < b; ++j) {
      // Bring column j up to date with the panel's earlier reflectors (dlatrd: two GEMVs).
      if (j > 0) {
        A.col(j).tail(N - j).noalias() -= A.block(j, 0, N - j, j) * W.row(j).head(j).transpose();
        A.col(j).tail(N - j).noalias() -= W.block(j, 0, N - j, j) * A.row(j).head(j).transpose();
      }
      if (j == N - 1) break;
      // Householder reflector annihilating A(j+2:N, j) (dlarfg; the matrix is pre-scaled by the
      // caller, so no under/overflow rescaling loop is needed).
      const Index m = N - j - 1;
      const double alpha = A(j + 1, j);
      const double xnorm = m > 1 ? A.col(j).tail(m - 1).norm() : 0.0;
      double t = 0, beta = alpha;
      if (xnorm != 0) {
        beta = -std::copysign(std::hypot(alpha, xnorm), alpha);
        t = (beta - alpha) / beta;
        A.col(j).tail(m - 1) *= 1.0 / (alpha - beta);
      }
      e[i0 + j] = beta;
      tau[i0 + j] = t;
      A(j + 1, j) = 1.0;  // v's leading 1, kept until the trailing update is done
      auto v = A.col(j).tail(m);
      auto wc = W.col(j).tail(m);
      // w = τ (A22 − V Wᵀ − W Vᵀ) v without forming the updated A22: one SYMV on the stale
      // trailing matrix, corrected with the panel's V and W.
      wc.noalias() = A.bottomRightCorner(m, m).template selfadjointView<Eigen::Lower>() * v;
      if (j > 0) {
        auto t1 = tmp.head(j);
        t1.noalias() = W.block(j + 1, 0, m, j).transpose() * v;
        wc.noalias() -= A.block(j + 1, 0, m, j) * t1;
        t1.noalias() = A.block(j + 1, 0, m, j).transpose() * v;
        wc.noalias() -= W.block(j + 1, 0, m, j) * t1;
      }
      wc *= t;
      wc += (-0.5 * t * wc.dot(v)) * v;
    }
    if (b < N) {
      // A22 −= V Wᵀ + W Vᵀ (lower triangle) as one product with inner dimension 2b.
      const Index m = N - b;
      MatrixXd vw(m, 2 * b), wv(m, 2 * b);
      vw << A.block(b, 0, m, b), W.block(b, 0, m, b);
      wv << W.block(b, 0, m, b), A.block(b, 0, m, b);
      A.bottomRightCorner(m, m).template triangularView<Eigen::Lower>() -= vw * wv.transpose();
    }
    for (Index j = 0; j < b; ++j) {
      d[i0 + j] = A(j, j);
      if (j < N - 1) A(j + 1, j) = e[i0 + j];
    }
  }
}

}  // namespace gd
