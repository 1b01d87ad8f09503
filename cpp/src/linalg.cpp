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
#include <cstdlib>
#include <limits>

#include "linalg.h"

using Eigen::Index;
using Eigen::Map;
using Eigen::MatrixXd;
using Eigen::VectorXd;
using RowMatrix = Eigen::Matrix<double, Eigen::Dynamic, Eigen::Dynamic, Eigen::RowMajor>;

namespace {

double g_error_value = 0.0;
int g_error_index = -1;

int fail(int status, double value = 0.0, int index = -1) {
  g_error_value = value;
  g_error_index = index;
  return status;
}

// Eigen aborts (no exceptions in this build) when an allocation fails. Probing with malloc first
// turns "out of memory" into a status code for the sizes we are about to allocate.
bool can_allocate(double doubles) {
  const double bytes = doubles * sizeof(double);
  if (bytes > 2147483647.0) return false;
  void* p = std::malloc(static_cast<size_t>(bytes));
  if (!p) return false;
  std::free(p);
  return true;
}

MatrixXd load_symmetric(int n, const double* a) {
  // Row-major and column-major readings of a symmetric matrix agree; average them to remove the
  // round-off asymmetry the bindings let through.
  Map<const MatrixXd> m(a, n, n);
  MatrixXd s = 0.5 * (m + m.transpose());
  return s;
}

}  // namespace

namespace gd {

int eig_sym(int n, const double* a, double* w, double* v_rowmajor) {
  if (n <= 0) return fail(GD_ERR_ARG, n);
  if (!can_allocate(4.0 * n * n + 8.0 * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  MatrixXd s = load_symmetric(n, a);
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(
      s, v_rowmajor ? Eigen::ComputeEigenvectors : Eigen::EigenvaluesOnly);
  if (es.info() != Eigen::Success) return fail(GD_ERR_NOCONV);
  Map<VectorXd>(w, n) = es.eigenvalues();
  if (v_rowmajor) Map<RowMatrix>(v_rowmajor, n, n) = es.eigenvectors();
  return GD_OK;
}

// Eigenvalues below -rel_tol·max|λ| are an error (the matrix is not PSD); those above are
// round-off and are clamped to 0. `which` names the argument in the error report.
int clamp_psd(VectorXd& lambda, double rel_tol, int which) {
  const double scale = lambda.cwiseAbs().maxCoeff();
  const double tol = rel_tol * scale;
  for (Index i = 0; i < lambda.size(); ++i) {
    if (lambda[i] < 0) {
      if (lambda[i] < -tol) return fail(which, lambda[i], static_cast<int>(i));
      lambda[i] = 0;
    }
  }
  return GD_OK;
}

// tr (S1^{1/2} S2 S1^{1/2})^{1/2}, from the eigen-decomposition S1 = U diag(a) Uᵀ:
// S1^{1/2} S2 S1^{1/2} = U diag(√a) (Uᵀ S2 U) diag(√a) Uᵀ has the eigenvalues of
// diag(√a) (Uᵀ S2 U) diag(√a), so only one more symmetric eigenvalue problem is needed.
int bures_cross_trace(const MatrixXd& s1, const MatrixXd& s2, double rel_tol, double* out,
                      double* trace1) {
  const Index n = s1.rows();
  Eigen::SelfAdjointEigenSolver<MatrixXd> es1(s1);
  if (es1.info() != Eigen::Success) return fail(GD_ERR_NOCONV);
  VectorXd a = es1.eigenvalues();
  int st = clamp_psd(a, rel_tol, GD_ERR_NOT_PSD_1);
  if (st) return st;
  const MatrixXd& u = es1.eigenvectors();
  VectorXd ra = a.cwiseSqrt();
  MatrixXd m = u.transpose() * s2.selfadjointView<Eigen::Lower>() * u;
  m = ra.asDiagonal() * m * ra.asDiagonal();
  m = 0.5 * (m + m.transpose()).eval();
  Eigen::SelfAdjointEigenSolver<MatrixXd> es2(m, Eigen::EigenvaluesOnly);
  if (es2.info() != Eigen::Success) return fail(GD_ERR_NOCONV);
  // m is PSD in exact arithmetic: any negative eigenvalue is round-off.
  double tr = 0;
  for (Index i = 0; i < n; ++i) tr += std::sqrt(std::max(0.0, es2.eigenvalues()[i]));
  *out = tr;
  *trace1 = a.sum();
  return GD_OK;
}

int w2_squared(const VectorXd* m1, const MatrixXd& s1, const VectorXd* m2, const MatrixXd& s2,
               double rel_tol, double* out) {
  // Check S2 is PSD too (the cross term alone would not notice a negative S2 eigenvalue).
  Eigen::SelfAdjointEigenSolver<MatrixXd> es2(s2, Eigen::EigenvaluesOnly);
  if (es2.info() != Eigen::Success) return fail(GD_ERR_NOCONV);
  VectorXd b = es2.eigenvalues();
  int st = clamp_psd(b, rel_tol, GD_ERR_NOT_PSD_2);
  if (st) return st;
  double cross = 0, trace1 = 0;
  st = bures_cross_trace(s1, s2, rel_tol, &cross, &trace1);
  if (st) return st;
  double mean_term = 0;
  if (m1 && m2) mean_term = (*m1 - *m2).squaredNorm();
  // Traces from the clamped spectra so that equal inputs cancel exactly in exact arithmetic.
  const double w2sq = mean_term + trace1 + b.sum() - 2 * cross;
  *out = std::max(0.0, w2sq);
  return GD_OK;
}

}  // namespace gd

extern "C" {

double gd_error_value(void) { return g_error_value; }
int gd_error_index(void) { return g_error_index; }

int gd_eigvalsh(int n, const double* a, double* w) { return gd::eig_sym(n, a, w, nullptr); }

int gd_eigh(int n, const double* a, double* w, double* v) {
  if (!v) return fail(GD_ERR_ARG);
  return gd::eig_sym(n, a, w, v);
}

int gd_covariance(int count, int dim, const double* x, double ddof, double* mean_out,
                  double* cov_out) {
  if (count <= 0 || dim <= 0) return fail(GD_ERR_ARG, count <= 0 ? count : dim);
  const double denom = count - ddof;
  if (!(denom > 0)) return fail(GD_ERR_ARG, ddof);
  if (!can_allocate(static_cast<double>(count) * dim + 2.0 * dim * dim))
    return fail(GD_ERR_NOMEM, 8.0 * count * dim);
  Map<const RowMatrix> xs(x, count, dim);
  VectorXd mean = xs.colwise().mean().transpose();
  MatrixXd xc = xs.rowwise() - mean.transpose();
  MatrixXd cov = MatrixXd::Zero(dim, dim);
  cov.selfadjointView<Eigen::Lower>().rankUpdate(xc.transpose(), 1.0 / denom);
  cov.triangularView<Eigen::StrictlyUpper>() = cov.transpose();
  Map<VectorXd>(mean_out, dim) = mean;
  Map<RowMatrix>(cov_out, dim, dim) = cov;
  return GD_OK;
}

int gd_w2_gaussian(int n, const double* m1, const double* s1, const double* m2, const double* s2,
                   double rel_tol, double* out) {
  if (n <= 0) return fail(GD_ERR_ARG, n);
  if (!can_allocate(10.0 * n * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  MatrixXd a = load_symmetric(n, s1), b = load_symmetric(n, s2);
  VectorXd ma, mb;
  if (m1 && m2) {
    ma = Map<const VectorXd>(m1, n);
    mb = Map<const VectorXd>(m2, n);
  }
  double w2sq = 0;
  int st = gd::w2_squared(m1 && m2 ? &ma : nullptr, a, m1 && m2 ? &mb : nullptr, b, rel_tol, &w2sq);
  if (st) return st;
  out[0] = std::sqrt(w2sq);
  out[1] = w2sq;
  return GD_OK;
}

// Output covariance at t = eps of the α-family reverse process (α = 1: SDE, α = 0: ODE) started
// at t = T from N(0, C), for data N(0, Σ) under the VP schedule (MATH.md §1–2, matrix forms).
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
  if (!can_allocate(12.0 * n * n)) return fail(GD_ERR_NOMEM, 8.0 * n * n);
  MatrixXd s = load_symmetric(n, sigma), cm = load_symmetric(n, c);
  Eigen::SelfAdjointEigenSolver<MatrixXd> es(s);
  if (es.info() != Eigen::Success) return fail(GD_ERR_NOCONV);
  VectorXd lambda = es.eigenvalues();
  int st = gd::clamp_psd(lambda, rel_tol, GD_ERR_NOT_PSD_1);
  if (st) return st;
  {
    Eigen::SelfAdjointEigenSolver<MatrixXd> ec(cm, Eigen::EigenvaluesOnly);
    if (ec.info() != Eigen::Success) return fail(GD_ERR_NOCONV);
    VectorXd cl = ec.eigenvalues();
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
  const MatrixXd& u = es.eigenvectors();
  // Work in the eigenbasis: Ĉ = Uᵀ C U, Cov = U (D Ĉ D + diag(noise)) Uᵀ.
  MatrixXd ch = u.transpose() * cm * u;
  ch = mdiag.asDiagonal() * ch * mdiag.asDiagonal();
  ch.diagonal() += noise;
  MatrixXd cov = u * ch * u.transpose();
  cov = 0.5 * (cov + cov.transpose()).eval();
  Map<RowMatrix>(cov_out, n, n) = cov;
  // W2 against the data N(0, Σ): S1 = Σ reuses the clamped decomposition in bures_cross_trace.
  MatrixXd sig = u * lambda.asDiagonal() * u.transpose();
  double w2sq = 0;
  st = gd::w2_squared(nullptr, sig, nullptr, cov, rel_tol, &w2sq);
  if (st) return st == GD_ERR_NOT_PSD_2 ? fail(GD_ERR_INTERNAL, g_error_value) : st;
  out[0] = std::sqrt(w2sq);
  out[1] = w2sq;
  return GD_OK;
}

}  // extern "C"
