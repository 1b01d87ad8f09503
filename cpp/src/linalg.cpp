// gaussdiff linear-algebra core: symmetric eigensolvers, sample covariance, the Bures
// (Wasserstein-2) distance between Gaussians and the exact continuous-time output covariances of
// the VP SDE / probability-flow ODE started from a covariance C that need not commute with Σ.
//
// Conventions at the boundary (see bindings/linalg.ts):
// - matrices are row-major n×n float64 arrays; symmetric inputs are symmetrised ((A+Aᵀ)/2) here,
//   the bindings have already rejected asymmetry beyond round-off;
// - every exported function returns an int status (GD_OK = 0) and never aborts on bad input;
//   details of the last failure (e.g. the offending eigenvalue) are read with gd_error_value().
#include <Eigen/Dense>
#include <cmath>
#ifdef GD_PROFILE
#include <emscripten.h>
#include <cstdio>
#define GD_TIC(name) const double name = emscripten_get_now()
#define GD_TOC(label, name) std::printf("%s %.3f s\n", label, (emscripten_get_now() - name) / 1000)
#else
#define GD_TIC(name)
#define GD_TOC(label, name)
#endif
#include <algorithm>
#include <cstdlib>
#include <utility>
#include <limits>

#include "dc.h"
#include "linalg.h"
#include "parallel.h"
#include "tridiag.h"

using Eigen::Index;
using Eigen::Map;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

namespace {

constexpr double kUnitRoundoff = 1.1102230246251565e-16 * 2;  // 2^-52, as numpy's eps

double g_error_value = 0.0;
int g_error_index = -1;

int fail(int status, double value = 0.0, int index = -1) {
  g_error_value = value;
  g_error_index = index;
  return status;
}

// Eigen aborts (no exceptions in this build) when an allocation fails. Probing with malloc first
// turns "out of memory" into a status code for the sizes we are about to allocate. The factors
// below are the peak working sets in units of n² doubles (eigh: the matrix, z, and the top
// divide-and-conquer merge's Q·U product with its gathered operands, ≈ 8 n²; W2 and the
// continuous forms add two factors and the SVD's U, V and workspace). WASM memory never shrinks,
// so a probe leaves the memory at its high-water mark, as the computation itself would.
bool can_allocate(double doubles) {
  const double bytes = doubles * sizeof(double);
  if (bytes > 2147483647.0) return false;
  void* p = std::malloc(static_cast<size_t>(bytes));
  if (!p) return false;
  std::free(p);
  return true;
}

// s(i, j) = 0.5 (a(i, j) + a(j, i)) for the column-major n×n `a`, columns [j0, j1) of s: the
// arithmetic of Eigen's 0.5 * (m + mᵀ), element by element. A function of its own, called per
// block of columns, so that V8 tiers it up after its first calls (WebAssembly has no on-stack
// replacement: one long call would run in the baseline tier on a fresh module).
__attribute__((noinline)) void average_transposes(Index n, const double* a, double* s, Index j0, Index j1) {
  for (Index j = j0; j < j1; ++j) {
    for (Index i = 0; i < n; ++i) s[i + j * n] = 0.5 * (a[i + j * n] + a[j + i * n]);
  }
}

MatrixXd load_symmetric(int n, const double* a) {
  // Row-major and column-major readings of a symmetric matrix agree; average them to remove the
  // round-off asymmetry the bindings let through.
  MatrixXd s(n, n);
  for (Index j0 = 0; j0 < n; j0 += 16) average_transposes(n, a, s.data(), j0, std::min<Index>(j0 + 16, n));
  return s;
}

}  // namespace

namespace gd {

// Symmetric eigen-decomposition of `s` (column-major, lower triangle read, overwritten):
// eigenvalues ascending into w and, when v is given, orthonormal eigenvectors as its columns.
// Methods (EigMethod in linalg.h): Eigen's SelfAdjointEigenSolver as is, or the blocked
// tridiagonalisation followed by Eigen's tridiagonal QR (values; vectors by rotations) or by
// divide and conquer (vectors), with Q applied by blocks of reflectors (apply_q, tridiag.h).
int eig_sym_core(MatrixXd& s, VectorXd& w, MatrixXd* v, int method) {
  const Index n = s.rows();
  if (method == GD_EIG_EIGEN) {
    Eigen::SelfAdjointEigenSolver<MatrixXd> es(s, v ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
    if (es.info() != Eigen::Success) return fail(GD_ERR_NOCONV);
    w = es.eigenvalues();
    if (v) *v = es.eigenvectors();
    return GD_OK;
  }
  // Scale to max|A| = 1 so that no reflector or rotation can overflow or underflow.
  double scale = 0;  // max|A| over the lower triangle (the upper one may be unset)
  for (Index j = 0; j < n; ++j) scale = std::max(scale, s.col(j).tail(n - j).cwiseAbs().maxCoeff());
  if (scale == 0) {
    w.setZero(n);
    if (v) v->setIdentity(n, n);
    return GD_OK;
  }
  s /= scale;
  VectorXd e, tau;
  GD_TIC(t_tri);
  tridiagonalize_blocked(s, w, e, tau);
  GD_TOC("tridiagonalize", t_tri);
  const Index max_iter = 30 * n;
  if (!v) {
    MatrixXd unused;
    if (Eigen::internal::computeFromTridiagonal_impl(w, e, max_iter, false, unused) != Eigen::Success)
      return fail(GD_ERR_NOCONV);
    w *= scale;
    return GD_OK;
  }
  MatrixXd z;
  GD_TIC(t_tev);
  if (method == GD_EIG_DC) {
    int st = tridiagonal_eigh_dc(w, e, z);
    if (st) return fail(st);
  } else {
    z.setIdentity(n, n);
    if (Eigen::internal::computeFromTridiagonal_impl(w, e, max_iter, true, z) != Eigen::Success)
      return fail(GD_ERR_NOCONV);
  }
  GD_TOC("tridiagonal eigenvectors", t_tev);
  w *= scale;
  GD_TIC(t_back);
  apply_q(s, tau, z);
  *v = std::move(z);
  GD_TOC("back-transform", t_back);
  return GD_OK;
}

// The boundary version: row-major input a, w (n), v row-major n×n (or null for values only).
int eig_sym(int n, const double* a, double* w, double* v_rowmajor, int method) {
  if (n <= 0) return fail(GD_ERR_ARG, n);
  if (method < GD_EIG_EIGEN || method > GD_EIG_DC) return fail(GD_ERR_ARG, method);
  if (!can_allocate((v_rowmajor ? 8.0 : 2.5) * n * n + 16.0 * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  MatrixXd s = load_symmetric(n, a);
  VectorXd values;
  MatrixXd vectors;
  int st = eig_sym_core(s, values, v_rowmajor ? &vectors : nullptr, method);
  if (st) return st;
  Map<VectorXd>(w, n) = values;
  if (v_rowmajor) Map<RowMatrix>(v_rowmajor, n, n) = vectors;
  return GD_OK;
}

// Eigenvalues below -rel_tol·max|λ| are an error (the matrix is not PSD); the other negatives are
// round-off and are clamped to 0. `which` is the status naming the argument in the error report;
// which = GD_OK clamps every negative (for matrices that are PSD by construction).
// Eigenvalues with |λ| ≤ 8·n·u·max|λ| are set to 0 as well: a backward-stable eigensolver cannot
// tell them from 0 (its backward error is that size), and W2 is only Hölder-½ in the spectrum, so
// keeping them would turn the round-off "λ ≈ 1e-16" of an exactly singular input into a √ ≈ 1e-8
// error; zeroing them moves W2 by at most √(8·n²·u·max|λ|), the inherent uncertainty anyway.
int clamp_psd(VectorXd& lambda, double rel_tol, int which) {
  const double scale = lambda.cwiseAbs().maxCoeff();
  const double tol = which == GD_OK ? std::numeric_limits<double>::infinity() : rel_tol * scale;
  const double zero_tol = 8.0 * static_cast<double>(lambda.size()) * kUnitRoundoff * scale;
  for (Index i = 0; i < lambda.size(); ++i) {
    if (lambda[i] < -tol) return fail(which, lambda[i], static_cast<int>(i));
    if (lambda[i] < 0 || lambda[i] <= zero_tol) lambda[i] = 0;
  }
  return GD_OK;
}

// A square-root factor R (R Rᵀ = S) of a PSD matrix: R = U diag(√a) from S = U diag(a) Uᵀ, with
// round-off negative eigenvalues clamped (clamp_psd).
int psd_factor(const MatrixXd& s, double rel_tol, int which, MatrixXd& r) {
  MatrixXd work = s;
  VectorXd a;
  int st = eig_sym_core(work, a, &r, GD_EIG_DC);
  if (st) return st;
  st = clamp_psd(a, rel_tol, which);
  if (st) return st;
  r = r * a.cwiseSqrt().asDiagonal();
  return GD_OK;
}

// Squared Bures distance from square-root factors (R1 R1ᵀ = S1, R2 R2ᵀ = S2), as the orthogonal
// Procrustes problem  W2² = min_Q ‖R1 − R2 Q‖_F²  (Q orthogonal), solved by the polar factor of
// X = R2ᵀ R1 = P Σ Wᵀ: Q = P Wᵀ. Expanding gives docs/MATH.md §3's tr S1 + tr S2 − 2 tr(S1^½ S2 S1^½)^½
// (the nuclear norm ‖X‖_* = tr(S1^½ S2 S1^½)^½), but the residual form has no cancellation:
// equal inputs give W2 ~ u·√tr S instead of √(u·tr S), the matrix analogue of docs/MATH.md §3's
// (a − b)/(√a + √b).
int bures_sq_from_factors(const MatrixXd& r1, const MatrixXd& r2, double* out) {
  MatrixXd x = r2.transpose() * r1;
  Eigen::BDCSVD<MatrixXd> svd(x, Eigen::ComputeFullU | Eigen::ComputeFullV);
  if (svd.info() != Eigen::Success) return fail(GD_ERR_NOCONV);
  MatrixXd q = svd.matrixU() * svd.matrixV().transpose();
  *out = (r1 - r2 * q).squaredNorm();
  return GD_OK;
}

// G = Ûᵀ Σ Û (column-major, both triangles) and tr Σ, for row-major Σ and Û (Û's columns the score's
// eigenvectors): the data's covariance in the score's eigenbasis (docs/MATH-samplers.md §7b).
void project_sigma(int n, const double* sigma, const double* u, MatrixXd& g, double& tr_sigma) {
  MatrixXd s = load_symmetric(n, sigma);
  tr_sigma = s.trace();
  MatrixXd um = Map<const RowMatrix>(u, n, n);
  MatrixXd su(n, n);
  // Σ Û in two fixed column halves, then the lower triangle of Ûᵀ (Σ Û) in the two equal-area
  // parts of triangle_split (parallel.h: the same operations whichever thread runs them).
  gd::run_two([&](int part) {
    const gd::Span c = gd::column_half(n, part);
    su.middleCols(c.start, c.count).noalias() = s * um.middleCols(c.start, c.count);
  }, true);
  s.resize(0, 0);
  const Index c = gd::triangle_split(n);
  gd::run_two([&](int part) {
    if (part == 0) {
      g.topLeftCorner(c, c).triangularView<Eigen::Lower>() = um.leftCols(c).transpose() * su.leftCols(c);
      g.bottomLeftCorner(n - c, c).noalias() = um.rightCols(n - c).transpose() * su.leftCols(c);
    } else {
      g.bottomRightCorner(n - c, n - c).triangularView<Eigen::Lower>() = um.rightCols(n - c).transpose() * su.rightCols(n - c);
    }
  }, true);
  g.triangularView<Eigen::StrictlyUpper>() = g.transpose();
}

// The lower triangle of X = diag(r) G diag(r) (the symmetric G scaled on both sides).
void lower_scaled(const Eigen::Ref<const MatrixXd>& g, const VectorXd& r, MatrixXd& x) {
  const Index n = g.rows();
  for (Index j = 0; j < n; ++j)
    for (Index i = j; i < n; ++i) x(i, j) = r[i] * g(i, j) * r[j];
}

// The lower triangle of X = K Kᵀ (n×n), in the two equal-area parts of triangle_split.
void lower_gram(const MatrixXd& k, MatrixXd& x) {
  const Index n = k.rows(), c = gd::triangle_split(n);
  gd::run_two([&](int part) {
    if (part == 0) {
      x.topLeftCorner(c, c).triangularView<Eigen::Lower>() = k.topRows(c) * k.topRows(c).transpose();
      x.bottomLeftCorner(n - c, c).noalias() = k.bottomRows(n - c) * k.topRows(c).transpose();
    } else {
      x.bottomRightCorner(n - c, n - c).triangularView<Eigen::Lower>() = k.bottomRows(n - c) * k.bottomRows(n - c).transpose();
    }
  }, true);
}

}  // namespace gd

extern "C" {

double gd_error_value(void) { return g_error_value; }
int gd_error_index(void) { return g_error_index; }

int gd_eigvalsh(int n, const double* a, double* w) { return gd::eig_sym(n, a, w, nullptr, GD_EIG_QR); }

int gd_eigh(int n, const double* a, double* w, double* v) {
  if (!v) return fail(GD_ERR_ARG);
  return gd::eig_sym(n, a, w, v, GD_EIG_DC);
}

// Same as gd_eigvalsh (v = 0) / gd_eigh with an explicit method (EigMethod): for benchmarks and
// tests of each piece against Eigen's own solver.
int gd_eig_sym_method(int n, const double* a, double* w, double* v, int method) {
  return gd::eig_sym(n, a, w, v, method);
}

// Test hook: the blocked tridiagonalisation alone. d (n), e (n−1), q (row-major n×n, explicit Q
// with A = Q T Qᵀ).
int gd_tridiagonalize(int n, const double* a, double* d_out, double* e_out, double* q_out) {
  if (n <= 0) return fail(GD_ERR_ARG, n);
  if (!can_allocate(4.0 * n * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  MatrixXd s = load_symmetric(n, a);
  VectorXd d, e, tau;
  gd::tridiagonalize_blocked(s, d, e, tau);
  Map<VectorXd>(d_out, n) = d;
  if (n > 1) Map<VectorXd>(e_out, n - 1) = e;
  MatrixXd q = MatrixXd::Identity(n, n);
  gd::apply_q(s, tau, q);
  Map<RowMatrix>(q_out, n, n) = q;
  return GD_OK;
}

// Test hook: eigen-decomposition of the symmetric tridiagonal (d, e) by Eigen's QR (method 1) or
// divide and conquer (method 2); w ascending, z row-major with eigenvectors as columns.
int gd_tridiagonal_eigh(int n, const double* d_in, const double* e_in, double* w, double* z_out, int method) {
  if (n <= 0 || (method != GD_EIG_QR && method != GD_EIG_DC)) return fail(GD_ERR_ARG, n);
  if (!can_allocate(7.0 * n * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  VectorXd d = Map<const VectorXd>(d_in, n);
  VectorXd e = n > 1 ? VectorXd(Map<const VectorXd>(e_in, n - 1)) : VectorXd();
  MatrixXd z;
  if (method == GD_EIG_DC) {
    int st = gd::tridiagonal_eigh_dc(d, e, z);
    if (st) return fail(st);
  } else {
    z.setIdentity(n, n);
    if (Eigen::internal::computeFromTridiagonal_impl(d, e, 30 * static_cast<Eigen::Index>(n), true, z) != Eigen::Success)
      return fail(GD_ERR_NOCONV);
  }
  Map<VectorXd>(w, n) = d;
  Map<RowMatrix>(z_out, n, n) = z;
  return GD_OK;
}

// Sample mean and covariance of `count` rows of x (row-major count×dim). x is the caller's scratch
// copy and is centred in place (saves a count×dim temporary: 376 MB for MNIST's 60000×784).
int gd_covariance(int count, int dim, double* x, double ddof, double* mean_out, double* cov_out) {
  if (count <= 0 || dim <= 0) return fail(GD_ERR_ARG, count <= 0 ? count : dim);
  const double denom = count - ddof;
  if (!(denom > 0)) return fail(GD_ERR_ARG, ddof);
  if (!can_allocate(2.0 * dim * dim + 2.0 * dim)) return fail(GD_ERR_NOMEM, 8.0 * dim * dim);
  Map<RowMatrix> xs(x, count, dim);
  VectorXd mean = xs.colwise().mean().transpose();
  xs.rowwise() -= mean.transpose();
  MatrixXd cov = MatrixXd::Zero(dim, dim);
  cov.selfadjointView<Eigen::Lower>().rankUpdate(xs.transpose(), 1.0 / denom);
  cov.triangularView<Eigen::StrictlyUpper>() = cov.transpose();
  Map<VectorXd>(mean_out, dim) = mean;
  Map<RowMatrix>(cov_out, dim, dim) = cov;
  return GD_OK;
}

int gd_w2_gaussian(int n, const double* m1, const double* s1, const double* m2, const double* s2,
                   double rel_tol, double* out) {
  if (n <= 0) return fail(GD_ERR_ARG, n);
  if (!can_allocate(14.0 * n * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  MatrixXd r1, r2;
  int st = gd::psd_factor(load_symmetric(n, s1), rel_tol, GD_ERR_NOT_PSD_1, r1);
  if (st) return st;
  st = gd::psd_factor(load_symmetric(n, s2), rel_tol, GD_ERR_NOT_PSD_2, r2);
  if (st) return st;
  double w2sq = 0;
  st = gd::bures_sq_from_factors(r1, r2, &w2sq);
  if (st) return st;
  if (m1 && m2) {
    // aligned copies: a vectorised reduction over an 8-byte-aligned caller buffer may sum in
    // another order (see kl_terms)
    const VectorXd dm = Map<const VectorXd>(m1, n) - Map<const VectorXd>(m2, n);
    w2sq += dm.squaredNorm();
  }
  out[0] = std::sqrt(w2sq);
  out[1] = w2sq;
  return GD_OK;
}

}  // extern "C"

namespace {

// What the KL divergences of a wrong-score run need besides its W2 (gd_score_cov_laws).
struct ScoreCovKl {
  const double* delta;  // output mean − data mean, data coordinates (null: 0)
  double* rho_f;        // eigenvalues of Σ^{-½} C Σ^{-½} (n, ascending)
  double* rho_r;        // eigenvalues of C^{-½} Σ C^{-½} (n, ascending)
  double* out;          // [δᵀΣ⁻¹δ, δᵀC⁻¹δ, 0 | 1 (Σ singular) | 2 (C singular)]
};

// Solve F X = B in place for lower-triangular F, B's columns in two fixed halves.
static void lower_solve_in_place(const MatrixXd& f, MatrixXd& b) {
  gd::run_two([&](int part) {
    const gd::Span c = gd::column_half(b.cols(), part);
    auto cols = b.middleCols(c.start, c.count);
    f.triangularView<Eigen::Lower>().solveInPlace(cols);
  }, true);
}

// The KL terms (docs/score-errors.md "KL"), with G = ÛᵀΣÛ and C̃ = F Fᵀ (F = diag(√γ) when f is
// null, else C̃'s Cholesky factor). Reverse, in the score's basis: rho_r = eig(F⁻¹ G F⁻ᵀ),
// δᵀC⁻¹δ = |F⁻¹ Ûᵀδ|² — whitened by the output's own factor, so that its small eigenvalues keep
// their relative accuracy (they dominate KL(data ‖ output)). Forward, in data coordinates: Σ = L Lᵀ
// (Cholesky; out[2] = 1 when it fails or a pivot L_ii² is ≤ rel_tol·max L_jj²), rho_f = eig(K Kᵀ)
// with K = L⁻¹ Û F, δᵀΣ⁻¹δ = |L⁻¹δ|².
static int kl_terms(int n, const double* sigma, const double* u, const Eigen::Ref<const MatrixXd>& g, const Eigen::Ref<const VectorXd>& gm,
                    const MatrixXd* f, double rel_tol, ScoreCovKl* kl) {
  // Inputs from the caller's heap are copied into Eigen's own (16-byte aligned) storage before any
  // vectorised reduction or product: emscripten's malloc aligns to 8 bytes only, and a packet loop
  // that starts with a scalar peel on an unaligned address sums in another order (a last-bit
  // difference between two calls that differ only in where their buffers landed).
  VectorXd dt;  // Ûᵀδ
  VectorXd d;
  if (kl->delta) {
    d = Map<const VectorXd>(kl->delta, n);
    const MatrixXd um = Map<const RowMatrix>(u, n, n);
    dt = um.transpose() * d;
  }
  const VectorXd rinv = f ? VectorXd() : VectorXd(gm.cwiseSqrt().cwiseInverse());
  {
    MatrixXd y(n, n);
    if (!f) {
      gd::lower_scaled(g, rinv, y);
    } else {
      y = g;  // F⁻¹ G, then F⁻¹ (F⁻¹ G)ᵀ = F⁻¹ G F⁻ᵀ (G symmetric)
      lower_solve_in_place(*f, y);
      y.transposeInPlace();
      lower_solve_in_place(*f, y);
    }
    VectorXd rho;
    int st = gd::eig_sym_core(y, rho, nullptr, GD_EIG_QR);
    if (st) return st;
    Map<VectorXd>(kl->rho_r, n) = rho;
  }
  if (kl->delta) {
    if (f) {
      VectorXd t = dt;
      f->triangularView<Eigen::Lower>().solveInPlace(t);
      kl->out[1] = t.squaredNorm();
    } else {
      kl->out[1] = dt.cwiseProduct(rinv).squaredNorm();
    }
  }
  Eigen::LLT<MatrixXd> ls(load_symmetric(n, sigma));
  if (ls.info() != Eigen::Success) {
    kl->out[2] = 1;
    return GD_OK;
  }
  const VectorXd piv = ls.matrixLLT().diagonal().cwiseAbs2();
  if (!(piv.minCoeff() > rel_tol * piv.maxCoeff())) {
    kl->out[2] = 1;
    return GD_OK;
  }
  MatrixXd k = Map<const RowMatrix>(u, n, n);
  {
    MatrixXd lm = ls.matrixL();
    lower_solve_in_place(lm, k);  // L⁻¹ Û
  }
  if (f) {
    MatrixXd kf(n, n);
    gd::run_two([&](int part) {
      const gd::Span r = gd::column_half(n, part);
      kf.middleRows(r.start, r.count).noalias() = k.middleRows(r.start, r.count) * f->triangularView<Eigen::Lower>();
    }, true);
    k.swap(kf);
  } else {
    for (Index j = 0; j < n; ++j) k.col(j) *= std::sqrt(gm[j]);
  }
  MatrixXd x(n, n);
  gd::lower_gram(k, x);
  k.resize(0, 0);
  VectorXd rho;
  int st = gd::eig_sym_core(x, rho, nullptr, GD_EIG_QR);
  if (st) return st;
  Map<VectorXd>(kl->rho_f, n) = rho;
  if (kl->delta) kl->out[0] = ls.matrixL().solve(d).squaredNorm();
  return GD_OK;
}

// W2 (and with kl the KL terms) of a wrong-score run: see gd_score_cov_laws.
// g: G = ÛᵀΣÛ (n×n, both triangles; gd::project_sigma), tr_sigma = tr Σ. sigma and u are read
// only for the KL terms.
static int score_cov_laws(int n, const Eigen::Ref<const MatrixXd>& g, double tr_sigma, const double* sigma, const double* u,
                          const double* mdiag, const double* gamma, double a, double rel_tol, double* out, ScoreCovKl* kl,
                          double ta2 = 1, double ts2 = 0) {
  if (n <= 0) return fail(GD_ERR_ARG, n);
  if (!(a >= 0)) return fail(GD_ERR_ARG, a);
  if (!can_allocate((kl ? 7.0 : 5.0) * n * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  if (kl) kl->out[0] = kl->out[1] = kl->out[2] = 0;
  // The target N(·, ta2·Σ + ts2·I) (a grid point's exact marginal; the data when 1, 0): in Û's
  // basis ta2·G + ts2·I. The output's start part (a > 0) keeps the data's G.
  const bool shifted = !(ta2 == 1 && ts2 == 0);
  if (shifted && kl) return fail(GD_ERR_ARG, ta2);
  MatrixXd g_shifted;
  if (shifted) {
    g_shifted = ta2 * g;
    g_shifted.diagonal().array() += ts2;
    tr_sigma = ta2 * tr_sigma + static_cast<double>(n) * ts2;
  }
  const Eigen::Ref<const MatrixXd> gt = shifted ? Eigen::Ref<const MatrixXd>(g_shifted) : g;
  // Aligned copies (see kl_terms): γ's sum is part of W2.
  const VectorXd m = Map<const VectorXd>(mdiag, n), gm = Map<const VectorXd>(gamma, n);
  MatrixXd x(n, n);
  double tr_c = 0;
  MatrixXd f;         // C̃'s factor (a > 0)
  bool c_pd = true;   // C̃ positive definite (else the KL divergences are infinite)
  if (a == 0) {
    gd::lower_scaled(gt, gm.cwiseMax(0.0).cwiseSqrt(), x);
    tr_c = gm.sum();
    for (Index i = 0; i < n; ++i) c_pd = c_pd && gm[i] > 0;
  } else {
    MatrixXd c(n, n);
    for (Index j = 0; j < n; ++j)
      for (Index i = 0; i < n; ++i) c(i, j) = a * m[i] * g(i, j) * m[j];
    c.diagonal() += gm;
    tr_c = c.trace();
    Eigen::LLT<MatrixXd> llt(c);
    MatrixXd gf;
    // A Cholesky factor is lower triangular: column j of F is zero above row j, so the products
    // below skip those rows (about half the work of full products).
    const bool lower = llt.info() == Eigen::Success;
    if (lower) {
      f = llt.matrixL();
    } else {
      c_pd = false;
      int st = gd::psd_factor(c, rel_tol, GD_OK, f);
      if (st) return st;
    }
    c.resize(0, 0);
    gf.resize(n, n);
    // G F, columns in two parts of equal work: for a triangular F column j costs n·(n − j).
    const Index half = lower ? gd::triangle_split(n) : n / 2;
    gd::run_two([&](int part) {
      const Index j0 = part == 0 ? 0 : half, cols = part == 0 ? half : n - half;
      for (Index b = j0; b < j0 + cols; b += 128) {
        const Index w = std::min<Index>(128, j0 + cols - b);
        const Index r0 = lower ? b : 0;  // rows of F's columns b… that can be nonzero
        gf.middleCols(b, w).noalias() = gt.rightCols(n - r0) * f.block(r0, b, n - r0, w);
      }
    }, true);
    // X = Fᵀ (G F), lower triangle: X(i, j) = F(:, i)ᵀ GF(:, j), i ≥ j; F(:, i) is zero above row i.
    const Index k = gd::triangle_split(n);
    gd::run_two([&](int part) {
      const Index j0 = part == 0 ? 0 : k, j1 = part == 0 ? k : n;
      for (Index b = j0; b < j1; b += 128) {
        const Index w = std::min<Index>(128, j1 - b);
        // rows i ≥ b of X's columns b…b+w: the diagonal block, then the block below it
        const Index r0 = lower ? b : 0;
        x.block(b, b, w, w).triangularView<Eigen::Lower>() = f.block(r0, b, n - r0, w).transpose() * gf.block(r0, b, n - r0, w);
        if (b + w < n) {
          const Index r1 = lower ? b + w : 0;
          x.block(b + w, b, n - b - w, w).noalias() = f.block(r1, b + w, n - r1, n - b - w).transpose() * gf.block(r1, b, n - r1, w);
        }
      }
    }, true);
  }
  VectorXd ev;
  int st = gd::eig_sym_core(x, ev, nullptr, GD_EIG_QR);
  if (st) return st;
  x.resize(0, 0);
  st = gd::clamp_psd(ev, rel_tol, GD_ERR_NOT_PSD_1);
  if (st) return st;
  const double nuclear = ev.cwiseSqrt().sum();
  const double w2sq = std::max(0.0, tr_sigma + tr_c - 2 * nuclear);
  out[0] = std::sqrt(w2sq);
  out[1] = w2sq;
  out[2] = tr_c;
  if (!kl) return GD_OK;
  if (!c_pd) {
    kl->out[2] = 2;
    return GD_OK;
  }
  return kl_terms(n, sigma, u, g, gm, a > 0 ? &f : nullptr, rel_tol, kl);
}

}  // namespace

extern "C" {

// W2 between the data N(0, Σ) and a sampler's output under a wrong score Σ̂ = Û diag(λ̂) Ûᵀ that
// need not commute with Σ (docs/MATH-samplers.md §7b). The sampler's linear map is
// P = Û diag(M) Ûᵀ; its output covariance, in the score's basis Û, is
//   Ĉ = a · diag(M) G diag(M) + diag(γ),   G = Ûᵀ Σ Û,
// (exact start C₀ = a Σ + b I: γ = b M² + w; an isotropic start c I: a = 0, γ = c M² + w).
// W2 is invariant under the rotation Û, so W2² = tr G + tr Ĉ − 2 tr(F ᵀ G F)^{1/2} with F Fᵀ = Ĉ
// (a = 0: F = diag(√γ); else the Cholesky factor of Ĉ, or its eigen-factor when Ĉ is singular).
// Cost: two matrix products for G (one symmetric), two more for FᵀGF (exact start; F is then a
// full product, the Cholesky factor's zeros are not exploited), one eigvalsh — no
// eigendecomposition of Σ. Products split in two fixed parts (parallel.h, bit-identical builds).
// u: row-major n×n with eigenvectors as columns (gd_eigh's layout).
// out[0] = W2, out[1] = W2², out[2] = tr Ĉ. A negative eigenvalue of FᵀGF below -rel_tol·max
// means Σ is not PSD (GD_ERR_NOT_PSD_1). Called as gd_score_cov_project, then gd_score_cov_laws.

// The data's covariance in the score's eigenbasis, G = ÛᵀΣÛ (g_out: n×n, symmetric, so row- and
// column-major alike) and tr Σ (tr_out[0]): the part of the W2 above that depends on Σ and Û
// only, computed once for many samplers on the same pair (compare's cells).
int gd_score_cov_project(int n, const double* sigma, const double* u, double* g_out, double* tr_out) {
  if (n <= 0) return fail(GD_ERR_ARG, n);
  if (!can_allocate(4.0 * n * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  MatrixXd g(n, n);
  gd::project_sigma(n, sigma, u, g, tr_out[0]);
  Map<MatrixXd>(g_out, n, n) = g;
  return GD_OK;
}

// The W2 above from gd_score_cov_project's G, and the KL divergences between the output N(μ, C) and the data N(m, Σ)
// (docs/score-errors.md "KL"): out = [W2, W2², tr Ĉ]; rho_f (n) = eig(Σ^{-½} C Σ^{-½}) and
// rho_r (n) = eig(C^{-½} Σ C^{-½}), ascending; kl_out = [δᵀΣ⁻¹δ, δᵀC⁻¹δ, flag] for δ = delta
// (output mean − data mean, data coordinates; null: both 0); flag 0, or 1 when Σ is singular (its
// Cholesky factorisation fails or has a pivot ≤ rel_tol·max), or 2 when C is (a γ ≤ 0, or C̃'s
// factorisation fails): then the divergences are infinite and rho_f (and with 2 rho_r) are not
// written. Extra cost over W2: two Cholesky factorisations, two triangular solves of n×n
// matrices, one Gram product and two eigvalsh.
// g, tr_sigma: gd_score_cov_project's output for (sigma, u); with kl_out null only W2 (out), and
// sigma, u, delta, rho_f, rho_r are not read. target_a2, target_s2: W2 against N(·, a2·Σ + s2·I)
// (a grid point's exact marginal, for a trajectory; 1, 0 = the data; KL only with 1, 0).
int gd_score_cov_laws(int n, const double* g, double tr_sigma, const double* sigma, const double* u, const double* mdiag,
                      const double* gamma, double a, const double* delta, double rel_tol, double* out, double* rho_f,
                      double* rho_r, double* kl_out, double target_a2, double target_s2) {
  if (n <= 0) return fail(GD_ERR_ARG, n);
  if (!can_allocate(1.0 * n * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  ScoreCovKl kl{delta, rho_f, rho_r, kl_out};
  const MatrixXd gm = Map<const MatrixXd>(g, n, n);  // aligned copy (see kl_terms)
  return score_cov_laws(n, gm, tr_sigma, sigma, u, mdiag, gamma, a, rel_tol, out, kl_out ? &kl : nullptr, target_a2, target_s2);
}

// Output covariance at t = eps of the α-family reverse process (α = 1: SDE, α = 0: ODE) started
// at t = T from N(0, C), for data N(0, Σ) under the VP schedule (docs/MATH.md §1–2, matrix forms).
// With Σ = U diag(λ) Uᵀ, all of Σ_t, Σ_T are diagonal in U and the process is y_t = M y_T + ξ with
//   M = e^{-α(B_T-B_t)} U diag((λ_t/λ_T)^{(1+α)/2}) Uᵀ,
//   Cov ξ = U diag(λ_t - e^{-2α(B_T-B_t)} λ_t^{1+α} λ_T^{-α}) Uᵀ,
// which reduces to the paper's forms at α = 1 (M = e^{-(B_T-B_t)} Σ_t Σ_T^{-1}) and α = 0
// (M = Σ_t^{1/2} Σ_T^{-1/2}, no noise). Output: cov (row-major), out[0] = W2 to N(0, Σ),
// out[1] = W2².
int gd_continuous_cov(int n, const double* sigma, const double* c, double alpha, double eps,
                      double beta_min, double beta_max, double t_end, double rel_tol,
                      double* cov_out, double* out) {
  if (n <= 0) return fail(GD_ERR_ARG, n);
  if (!can_allocate(16.0 * n * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  MatrixXd s = load_symmetric(n, sigma), cm = load_symmetric(n, c);
  VectorXd lambda;
  MatrixXd u;
  {
    MatrixXd work = s;
    int st = gd::eig_sym_core(work, lambda, &u, GD_EIG_DC);
    if (st) return st;
  }
  int st = gd::clamp_psd(lambda, rel_tol, GD_ERR_NOT_PSD_1);
  if (st) return st;
  {
    MatrixXd work = cm;
    VectorXd cl;
    st = gd::eig_sym_core(work, cl, nullptr, GD_EIG_QR);
    if (st) return st;
    st = gd::clamp_psd(cl, rel_tol, GD_ERR_NOT_PSD_2);
    if (st) return st;
  }
  auto B = [&](double t) { return beta_min * t + (beta_max - beta_min) * t * t / (2 * t_end); };
  const double dB = B(t_end) - B(eps);
  const double decay_t = std::exp(-2 * B(eps)), decay_T = std::exp(-2 * B(t_end));
  VectorXd mdiag(n), noise(n);
  for (int i = 0; i < n; ++i) {
    const double lt = decay_t * lambda[i] + (1 - decay_t);
    const double lT = decay_T * lambda[i] + (1 - decay_T);  // ≥ 1 - e^{-2B_T} > 0
    const double r = lt / lT;
    mdiag[i] = std::exp(-alpha * dB) * std::pow(r, 0.5 * (1 + alpha));
    // λ_t - e^{-2αΔB} λ_t^{1+α} λ_T^{-α} = λ_t (1 - e^{-2αΔB} r^α), written so α = 0 gives 0.
    noise[i] = alpha == 0 ? 0.0 : lt * -std::expm1(-2 * alpha * dB + alpha * std::log(r));
    if (noise[i] < 0) noise[i] = 0;  // r ≤ e^{2ΔB} in exact arithmetic
  }
  // Work in the eigenbasis: Ĉ = Uᵀ C U, Cov = U (D Ĉ D + diag(noise)) Uᵀ.
  MatrixXd ch = u.transpose() * cm * u;
  ch = mdiag.asDiagonal() * ch * mdiag.asDiagonal();
  ch.diagonal() += noise;
  ch = 0.5 * (ch + ch.transpose()).eval();
  MatrixXd cov = u * ch * u.transpose();
  cov = 0.5 * (cov + cov.transpose()).eval();
  Map<RowMatrix>(cov_out, n, n) = cov;
  // W2 against the data N(0, Σ), in the eigenbasis of Σ (W2 is invariant under a common rotation):
  // there Σ = diag(λ) has the exact factor diag(√λ) and the output covariance is ch.
  MatrixXd r_out;
  st = gd::psd_factor(ch, rel_tol, GD_OK, r_out);  // PSD by construction
  if (st) return st;
  double w2sq = 0;
  st = gd::bures_sq_from_factors(MatrixXd(lambda.cwiseSqrt().asDiagonal()), r_out, &w2sq);
  if (st) return st;
  out[0] = std::sqrt(w2sq);
  out[1] = w2sq;
  return GD_OK;
}

}  // extern "C"
