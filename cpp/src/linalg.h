// Status codes shared by every exported function of the linalg module (mirrored in
// bindings/linalg.ts). 0 = success; nothing here ever aborts on bad input.
#pragma once

enum GdStatus {
  GD_OK = 0,
  GD_ERR_ARG = 1,        // invalid size or parameter; gd_error_value() holds it
  GD_ERR_NOMEM = 2,      // allocation would fail; gd_error_value() holds the bytes wanted
  GD_ERR_NOCONV = 3,     // an eigensolver did not converge
  GD_ERR_NOT_PSD_1 = 4,  // first matrix argument has an eigenvalue < -tol (value, index)
  GD_ERR_NOT_PSD_2 = 5,  // second matrix argument likewise
  GD_ERR_INTERNAL = 6,   // an internal invariant failed (a bug)
};

// Symmetric eigensolver variants (gd_eig_sym_method).
enum EigMethod {
  GD_EIG_EIGEN = 0,  // Eigen's SelfAdjointEigenSolver (unblocked tridiagonalisation + QR)
  GD_EIG_QR = 1,     // blocked tridiagonalisation + Eigen's tridiagonal QR
  GD_EIG_DC = 2,     // blocked tridiagonalisation + divide and conquer (vectors only; values as QR)
};
