// Divide and conquer for the symmetric tridiagonal eigenproblem (Cuppen 1981), with the deflation
// of LAPACK dlaed2, a safeguarded secular-equation solver, and Gu & Eisenstat's recomputation of
// the rank-one vector (SIAM J. Matrix Anal. Appl. 16 (1995) 172–191) so that the eigenvectors are
// orthogonal to working precision without extra precision. See dc.h.
#include "dc.h"

#include <algorithm>
#include <cmath>
#include <numeric>
#include <vector>

#include "linalg.h"
#include "parallel.h"

namespace gd {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

constexpr double kEps = 1.1102230246251565e-16;  // 2^-53, LAPACK's dlamch('E')
constexpr Index kLeaf = 32;               // below this size: Eigen's tridiagonal QR
constexpr double kThreadMinFlops = 1e6;  // multiply-adds below which a merge product stays on one thread

/**
 * Root i of the secular equation 1 + ρ Σ_j z_j² / (dd_j − λ) = 0 (dd ascending, ρ > 0, z_j ≠ 0):
 * λ_i ∈ (dd_i, dd_{i+1}) (or (dd_{k−1}, dd_{k−1} + ρ‖z‖²) for the last one). Writes
 * delta_j = dd_j − λ_i for all j, computed from the nearer pole as (dd_j − dd_o) − τ so that the
 * small differences keep full relative accuracy (they divide z in the eigenvectors).
 *
 * Iteration: Newton on F(τ) = g(τ)·δ_a·δ_b, g the secular function and a, b the two poles that
 * bound the root (only a for the last root): the poles cancel, F is smooth on the bracket and
 * Newton converges quadratically; steps leaving the bracket (kept from the sign of g) bisect.
 */
double secular_root(Index i, const VectorXd& dd, const VectorXd& z2rho, double rho_znorm2, double* delta) {
  const Index k = dd.size();
  const bool last = i == k - 1;
  Index o;  // origin: the pole the root is measured from
  double lo, hi;
  if (last) {
    o = k - 1;
    lo = 0;
    hi = rho_znorm2;
  } else {
    const double gap = dd[i + 1] - dd[i];
    // g at the midpoint, measured from dd_i, decides which half holds the root.
    double g = 1;
    const double mid = gap / 2;
    for (Index j = 0; j < k; ++j) g += z2rho[j] / ((dd[j] - dd[i]) - mid);
    if (g >= 0) {
      o = i;
      lo = 0;
      hi = mid;
    } else {
      o = i + 1;
      lo = -mid;
      hi = 0;
    }
  }
  const Index a = last ? k - 1 : i, b = last ? -1 : i + 1;
  std::vector<double> diff(k);
  for (Index j = 0; j < k; ++j) diff[j] = dd[j] - dd[o];
  double tau = (lo + hi) / 2;
  for (int iter = 0; iter < 200; ++iter) {
    double r = 1, dr = 0, g = 1;  // r, dr: the sum over the other poles (and its derivative)
    for (Index j = 0; j < k; ++j) {
      const double dj = diff[j] - tau;
      const double t = z2rho[j] / dj;
      g += t;
      if (j == a || j == b) continue;
      r += t;
      dr += t / dj;
    }
    if (g < 0) lo = tau; else hi = tau;
    if (g == 0) break;
    const double da = diff[a] - tau;
    double f, df;
    if (b < 0) {
      f = da * r + z2rho[a];
      df = -r + da * dr;
    } else {
      const double db = diff[b] - tau;
      f = da * db * r + z2rho[a] * db + z2rho[b] * da;
      df = -(da + db) * r + da * db * dr - z2rho[a] - z2rho[b];
    }
    double next = df != 0 ? tau - f / df : (lo + hi) / 2;
    if (!(next > lo && next < hi)) next = (lo + hi) / 2;
    const double step = std::abs(next - tau);
    tau = next;
    if (step <= 2 * kEps * std::abs(tau) || hi - lo <= 2 * kEps * std::max(std::abs(lo), std::abs(hi))) break;
  }
  for (Index j = 0; j < k; ++j) delta[j] = diff[j] - tau;
  return dd[o] + tau;
}

struct Merger {
  VectorXd& d;
  const VectorXd& e;
  MatrixXd& q;

  int solve(Index lo, Index n) {
    if (n <= kLeaf) return leaf(lo, n);
    const Index m = n / 2;
    const double beta = e[lo + m - 1];
    const double rho = std::abs(beta);
    // T = diag(T1', T2') + ρ w wᵀ, w = e_m + sign(β) e_{m+1}, T1', T2' with ρ taken off the ends.
    d[lo + m - 1] -= rho;
    d[lo + m] -= rho;
    int st = solve(lo, m);
    if (st) return st;
    st = solve(lo + m, n - m);
    if (st) return st;
    return merge(lo, n, m, rho, beta < 0 ? -1.0 : 1.0);
  }

  int leaf(Index lo, Index n) {
    VectorXd dd = d.segment(lo, n);
    VectorXd ee = n > 1 ? VectorXd(e.segment(lo, n - 1)) : VectorXd(0);
    MatrixXd z = MatrixXd::Identity(n, n);
    if (n > 1 && Eigen::internal::computeFromTridiagonal_impl(dd, ee, 30 * n, true, z) != Eigen::Success)
      return GD_ERR_NOCONV;
    d.segment(lo, n) = dd;
    q.block(lo, lo, n, n) = z;
    return GD_OK;
  }

  int merge(Index lo, Index n, Index m, double rho, double sign) {
    auto Q = q.block(lo, lo, n, n);  // block diagonal [Q1 0; 0 Q2] on entry
    VectorXd D = d.segment(lo, n);
    VectorXd z(n);
    z.head(m) = Q.block(m - 1, 0, 1, m).transpose();
    z.tail(n - m) = sign * Q.block(m, m, 1, n - m).transpose();
    const double zn = z.norm();
    z /= zn;
    rho *= zn * zn;
    // Column kinds for the structured products: 1 = rows 0..m only, 2 = rows m..n only, 3 = both.
    std::vector<int> kind(n);
    for (Index j = 0; j < n; ++j) kind[j] = j < m ? 1 : 2;

    std::vector<Index> order(n);
    std::iota(order.begin(), order.end(), 0);
    std::stable_sort(order.begin(), order.end(), [&](Index x, Index y) { return D[x] < D[y]; });
    const double tol = 8 * kEps * std::max(D.cwiseAbs().maxCoeff(), z.cwiseAbs().maxCoeff());

    std::vector<Index> keep;      // non-deflated columns, in ascending D
    std::vector<Index> deflated;  // columns whose eigenpair is (D[j], Q col j)
    if (rho * z.cwiseAbs().maxCoeff() <= tol) {
      deflated = order;
    } else {
      Index pj = -1;
      for (Index j : order) {
        if (rho * std::abs(z[j]) <= tol) {
          deflated.push_back(j);
          continue;
        }
        if (pj >= 0) {
          // Two close poles: a rotation zeroes z[pj] and leaves (D[pj], col pj) an eigenpair.
          double s = z[pj], c = z[j];
          const double tau = std::hypot(c, s);
          const double t = D[j] - D[pj];
          c /= tau;
          s = -s / tau;
          if (std::abs(t * c * s) <= tol) {
            z[j] = tau;
            z[pj] = 0;
            auto x = Q.col(pj), y = Q.col(j);
            for (Index r = 0; r < n; ++r) {
              const double xr = x[r], yr = y[r];
              x[r] = c * xr + s * yr;
              y[r] = c * yr - s * xr;
            }
            if (kind[pj] != kind[j]) kind[pj] = kind[j] = 3;
            const double dpj = D[pj] * c * c + D[j] * s * s;
            D[j] = D[pj] * s * s + D[j] * c * c;
            D[pj] = dpj;
            deflated.push_back(pj);
            pj = j;
            continue;
          }
          keep.push_back(pj);
        }
        pj = j;
      }
      if (pj >= 0) keep.push_back(pj);
      // The rotations may have perturbed the order of the kept poles slightly.
      std::stable_sort(keep.begin(), keep.end(), [&](Index x, Index y) { return D[x] < D[y]; });
    }

    const Index k = static_cast<Index>(keep.size());
    VectorXd lambda(k);
    MatrixXd u(k, k);
    if (k > 0) {
      VectorXd dd(k), zz(k), z2rho(k);
      for (Index i = 0; i < k; ++i) {
        dd[i] = D[keep[i]];
        zz[i] = z[keep[i]];
        z2rho[i] = rho * zz[i] * zz[i];
      }
      const double rho_znorm2 = z2rho.sum();
      MatrixXd delta(k, k);  // delta(j, i) = dd_j − λ_i
      for (Index i = 0; i < k; ++i) lambda[i] = secular_root(i, dd, z2rho, rho_znorm2, &delta(0, i));
      // Gu–Eisenstat: the z for which the computed λ are exact eigenvalues (up to a common
      // factor), ẑ_j² = −δ_jj Π_{i≠j} δ_ji / (dd_j − dd_i), then u_i = ẑ / δ_{·i}, normalised.
      VectorXd zh(k);
      for (Index j = 0; j < k; ++j) {
        double w = -delta(j, j);
        for (Index i = 0; i < k; ++i)
          if (i != j) w *= delta(j, i) / (dd[j] - dd[i]);
        zh[j] = std::copysign(std::sqrt(std::max(w, 0.0)), zz[j]);
      }
      for (Index i = 0; i < k; ++i) {
        for (Index j = 0; j < k; ++j) u(j, i) = zh[j] / delta(j, i);
        u.col(i).normalize();
      }
    }

    // New eigenvectors: Q(:, keep) · U, skipping the zero blocks of columns from one half only.
    MatrixXd qk(n, k);
    if (k > 0) {
      std::vector<Index> top, bottom;  // positions in keep with nonzero rows 0..m / m..n
      for (Index i = 0; i < k; ++i) {
        if (kind[keep[i]] != 2) top.push_back(i);
        if (kind[keep[i]] != 1) bottom.push_back(i);
      }
      auto product = [&](const std::vector<Index>& sel, Index r0, Index rows) {
        const Index c = static_cast<Index>(sel.size());
        if (c == 0) {
          qk.middleRows(r0, rows).setZero();
          return;
        }
        MatrixXd qs(rows, c), us(c, k);
        for (Index t = 0; t < c; ++t) {
          qs.col(t) = Q.col(keep[sel[t]]).segment(r0, rows);
          us.row(t) = u.row(sel[t]);
        }
        run_two(
            [&](int part) {
              const Span cols = column_half(k, part);
              qk.block(r0, cols.start, rows, cols.count).noalias() = qs * us.middleCols(cols.start, cols.count);
            },
            static_cast<double>(rows) * c * k >= kThreadMinFlops);
      };
      product(top, 0, m);
      product(bottom, m, n - m);
    }

    // Write back all n eigenpairs sorted ascending.
    struct Pair {
      double value;
      Index index;  // < k: column of qk; otherwise deflated[index − k]
    };
    std::vector<Pair> pairs;
    pairs.reserve(n);
    for (Index i = 0; i < k; ++i) pairs.push_back({lambda[i], i});
    for (size_t t = 0; t < deflated.size(); ++t) pairs.push_back({D[deflated[t]], k + static_cast<Index>(t)});
    std::stable_sort(pairs.begin(), pairs.end(), [](const Pair& x, const Pair& y) { return x.value < y.value; });
    MatrixXd out(n, n);
    for (Index c = 0; c < n; ++c) {
      const Pair& p = pairs[c];
      if (p.index < k) out.col(c) = qk.col(p.index);
      else out.col(c) = Q.col(deflated[p.index - k]);
      d[lo + c] = p.value;
    }
    Q = out;
    return GD_OK;
  }
};

}  // namespace

int tridiagonal_eigh_dc(VectorXd& d, VectorXd& e, MatrixXd& z) {
  const Index n = d.size();
  z.resize(n, n);
  if (n == 0) return GD_OK;
  double scale = d.cwiseAbs().maxCoeff();
  if (n > 1) scale = std::max(scale, e.cwiseAbs().maxCoeff());
  if (scale == 0) {
    z.setIdentity();
    return GD_OK;
  }
  d /= scale;
  VectorXd es = n > 1 ? VectorXd(e / scale) : VectorXd(0);
  z.setZero();
  Merger mg{d, es, z};
  const int st = mg.solve(0, n);
  d *= scale;
  return st;
}

}  // namespace gd
