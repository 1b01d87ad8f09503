// Blocked tridiagonalisation, after LAPACK 3.x dsytrd + dlatrd (uplo = 'L'); see tridiag.h.
// Reference: Dongarra, Hammarling, Sorensen, "Block reduction of matrices to condensed forms for
// eigenvalue computations", J. Comput. Appl. Math. 27 (1989); LAPACK Working Note 2.
#include "tridiag.h"

#include "parallel.h"

#include <wasm_simd128.h>

#include <algorithm>
#include <cmath>

namespace gd {

using Eigen::Index;
using Eigen::MatrixXd;
using Eigen::VectorXd;

namespace {

// Orders below which a product stays on one thread (parallel.h's second thread takes a task in a
// few µs; a symv of order 384 takes ≈ 30 µs, a rank-64 update of order 192 ≈ 0.2 ms). With the
// second thread started per product (≈ 0.1 ms each) the symv threshold had to be 1024; with the
// kept thread, 384: eigvalsh(1024) 166 → 128 ms (159 ms on one thread).
constexpr Index kSymvThreadMin = 384;
constexpr Index kGemmThreadMin = 192;

// The first `cols` columns' share of y = A x, for the symmetric m×m matrix whose lower triangle is
// at `a` (column-major, leading dimension lda; the strict upper triangle is not read): y (m) is
// overwritten with Σ_{j<cols} (A(:,j) x_j restricted to rows ≥ j, plus e_j A(j+1:m, j)ᵀ x).
// With cols = m this is the whole product. Four columns per pass: each element of A is loaded
// once and used twice (y_i += a_ij x_j and t_j += a_ij x_i), and y is loaded and stored once per
// four columns. Eigen's selfAdjointView product takes two columns per pass; this kernel is
// 1.4–1.5× faster at n = 3072 (the products then run at the WASM SIMD multiply throughput).
// Kept a function of its own (not inlined into tridiagonalize_blocked): WebAssembly has no
// on-stack replacement, so code inlined into that one long call would run in V8's baseline tier
// (Liftoff) for the whole first call of a fresh module; called once per column, this kernel is
// tiered up to TurboFan after its first calls. Inlining or not changes no result.
__attribute__((noinline)) void symv_columns(Index cols, Index m, const double* a, Index lda, const double* x, double* y) {
  std::fill(y, y + m, 0.0);
  Index j = 0;
  for (; j + 4 <= cols; j += 4) {
    const double* c[4] = {a + j * lda, a + (j + 1) * lda, a + (j + 2) * lda, a + (j + 3) * lda};
    for (int r = 0; r < 4; ++r) {  // the 4×4 diagonal block
      for (int q = 0; q < r; ++q) {
        y[j + r] += c[q][j + r] * x[j + q];
        y[j + q] += c[q][j + r] * x[j + r];
      }
      y[j + r] += c[r][j + r] * x[j + r];
    }
    const v128_t x0 = wasm_f64x2_splat(x[j]), x1 = wasm_f64x2_splat(x[j + 1]);
    const v128_t x2 = wasm_f64x2_splat(x[j + 2]), x3 = wasm_f64x2_splat(x[j + 3]);
    v128_t t0 = wasm_f64x2_splat(0.0), t1 = t0, t2 = t0, t3 = t0;
    Index i = j + 4;
    for (; i + 2 <= m; i += 2) {
      const v128_t xi = wasm_v128_load(x + i);
      const v128_t a0 = wasm_v128_load(c[0] + i), a1 = wasm_v128_load(c[1] + i);
      const v128_t a2 = wasm_v128_load(c[2] + i), a3 = wasm_v128_load(c[3] + i);
      const v128_t s01 = wasm_f64x2_add(wasm_f64x2_mul(a0, x0), wasm_f64x2_mul(a1, x1));
      const v128_t s23 = wasm_f64x2_add(wasm_f64x2_mul(a2, x2), wasm_f64x2_mul(a3, x3));
      wasm_v128_store(y + i, wasm_f64x2_add(wasm_v128_load(y + i), wasm_f64x2_add(s01, s23)));
      t0 = wasm_f64x2_add(t0, wasm_f64x2_mul(a0, xi));
      t1 = wasm_f64x2_add(t1, wasm_f64x2_mul(a1, xi));
      t2 = wasm_f64x2_add(t2, wasm_f64x2_mul(a2, xi));
      t3 = wasm_f64x2_add(t3, wasm_f64x2_mul(a3, xi));
    }
    const v128_t t[4] = {t0, t1, t2, t3};
    double s[4];
    for (int q = 0; q < 4; ++q) s[q] = wasm_f64x2_extract_lane(t[q], 0) + wasm_f64x2_extract_lane(t[q], 1);
    for (; i < m; ++i) {  // odd row left over
      y[i] += c[0][i] * x[j] + c[1][i] * x[j + 1] + c[2][i] * x[j + 2] + c[3][i] * x[j + 3];
      for (int q = 0; q < 4; ++q) s[q] += c[q][i] * x[i];
    }
    for (int q = 0; q < 4; ++q) y[j + q] += s[q];
  }
  for (; j < cols; ++j) {  // the last cols mod 4 columns
    const double* cj = a + j * lda;
    double s = cj[j] * x[j];
    for (Index i = j + 1; i < m; ++i) {
      y[i] += cj[i] * x[j];
      s += cj[i] * x[i];
    }
    y[j] += s;
  }
}

// y = A x (A symmetric, lower triangle at a) in the two parts of triangle_split: the first c
// columns into y, the trailing triangle into `scratch`, added to y's rows c… afterwards.
void symv_lower(Index m, const double* a, Index lda, const double* x, double* y, VectorXd& scratch) {
  const Index c = triangle_split(m);
  if (scratch.size() < m - c) scratch.resize(m - c);
  double* y1 = scratch.data();
  run_two(
      [&](int part) {
        if (part == 0) symv_columns(c, m, a, lda, x, y);
        else symv_columns(m - c, m - c, a + c * lda + c, lda, x + c, y1);
      },
      m >= kSymvThreadMin);
  for (Index i = c; i < m; ++i) y[i] += y1[i - c];
}

}  // namespace

void tridiagonalize_blocked(MatrixXd& a, VectorXd& d, VectorXd& e, VectorXd& tau, Index nb) {
  const Index n = a.rows();
  d.resize(n);
  e.resize(std::max<Index>(n - 1, 0));
  tau.resize(std::max<Index>(n - 1, 0));
  MatrixXd w(n, nb);
  VectorXd tmp(nb), scratch(n);
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
      symv_lower(m, &A(j + 1, j + 1), a.outerStride(), v.data(), wc.data(), scratch);
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
      // Two parts of equal area (parallel.h): the first c columns, and the trailing triangle.
      auto A22 = A.bottomRightCorner(m, m);
      const Index c = triangle_split(m);
      run_two(
          [&](int part) {
            if (part == 0) {
              A22.topLeftCorner(c, c).template triangularView<Eigen::Lower>() -= vw.topRows(c) * wv.topRows(c).transpose();
              A22.bottomLeftCorner(m - c, c).noalias() -= vw.bottomRows(m - c) * wv.topRows(c).transpose();
            } else {
              A22.bottomRightCorner(m - c, m - c).template triangularView<Eigen::Lower>() -=
                  vw.bottomRows(m - c) * wv.bottomRows(m - c).transpose();
            }
          },
          m >= kGemmThreadMin);
    }
    for (Index j = 0; j < b; ++j) {
      d[i0 + j] = A(j, j);
      if (j < N - 1) A(j + 1, j) = e[i0 + j];
    }
  }
}

void apply_q(const MatrixXd& a, const VectorXd& tau, MatrixXd& z, Index nb) {
  const Index n = a.rows();
  const Index reflectors = n - 1;
  MatrixXd v, t, w0, w1;
  VectorXd u(nb);
  for (Index k0 = reflectors > 0 ? ((reflectors - 1) / nb) * nb : -1; k0 >= 0; k0 -= nb) {
    const Index b = std::min(nb, reflectors - k0);
    const Index m = n - k0 - 1;  // the block acts on rows k0+1 … n−1
    v.setZero(m, b);             // explicit V: unit diagonal, zeros above, so both products are GEMMs
    for (Index c = 0; c < b; ++c) {
      v(c, c) = 1.0;
      v.col(c).tail(m - c - 1) = a.col(k0 + c).tail(m - c - 1);
    }
    // T upper triangular with H_k0 ⋯ H_{k0+b−1} = I − V T Vᵀ (dlarft, forward, columnwise).
    t.setZero(b, b);
    for (Index i = 0; i < b; ++i) {
      const double ti = tau[k0 + i];
      t(i, i) = ti;
      if (i > 0 && ti != 0) {
        u.head(i).noalias() = -ti * (v.block(i, 0, m - i, i).transpose() * v.col(i).tail(m - i));
        t.col(i).head(i).noalias() = t.topLeftCorner(i, i).template triangularView<Eigen::Upper>() * u.head(i);
      }
    }
    // The columns of z in two fixed halves (parallel.h), each with its own W.
    run_two(
        [&](int part) {
          const Span cols = column_half(z.cols(), part);
          auto zb = z.block(n - m, cols.start, m, cols.count);
          MatrixXd& wp = part == 0 ? w0 : w1;
          wp.noalias() = v.transpose() * zb;
          wp = t.template triangularView<Eigen::Upper>() * wp;
          zb.noalias() -= v * wp;
        },
        m >= kGemmThreadMin);
  }
}

}  // namespace gd
