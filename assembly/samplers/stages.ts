// A sampler's step as a program on vectors (docs/MATH-samplers.md §1.1): what the data-space
// samplers (bindings/sampling/sampling.ts) run with any score function s(t, y), e.g. a network.
// A family writes it from the same per-step table as its coefficients (samplerPrepare), so a
// sample drawn in data space takes exactly the step of the exact law (the two agree to round-off
// for the exact linear score; test/sampling.test.ts).
//
// Step k, from the sample x (state size 1):
//   stage j = 0 .. S−1:  y_j = x + Σ_{i<j} c_{j,i} g_i        (terms with c = 0 are skipped)
//                        s_j = score(τ_j, y_j)
//                        g_j = μ_j (ρ_j y_j + s_j)            (ρ_j = 0: g_j = μ_j s_j)
//   x' = a x + w Σ_j d_j g_j + √R z,  z ~ N(0, I) fresh (drawn by stochastic samplers only).
// Each stage also carries α²(τ_j) and σ²(τ_j) of the forward process (the exact affine score at
// the stage, for the samples' mean). Layout of one step's record (f64 slots):
//   [S, a, w, R, then per stage j at 4 + 10 j: τ, α², σ², ρ, μ, d, c_0, c_1, c_2, c_3].

export const MAX_STAGES: i32 = 4;
const HEAD: i32 = 4;
const STAGE: i32 = 10;
/** f64 slots per step record. */
export const STAGE_RECORD: i32 = HEAD + MAX_STAGES * STAGE;

/** The step's head: S stages, x' = a x + w Σ d_j g_j + √R z. */
// @ts-ignore: decorator
@inline export function setStep(out: usize, stages: i32, a: f64, w: f64, R: f64): void {
  store<f64>(out, <f64>stages);
  store<f64>(out, a, 8);
  store<f64>(out, w, 16);
  store<f64>(out, R, 24);
}

/** Stage j: the score at τ (α², σ² of the process there), g_j = μ (ρ y_j + s_j), weight d in the output. */
// @ts-ignore: decorator
@inline export function setStage(out: usize, j: i32, tau: f64, signal: f64, noise: f64, rho: f64, mu: f64, d: f64): void {
  const at = out + (<usize>(HEAD + STAGE * j) << 3);
  store<f64>(at, tau);
  store<f64>(at, signal, 8);
  store<f64>(at, noise, 16);
  store<f64>(at, rho, 24);
  store<f64>(at, mu, 32);
  store<f64>(at, d, 40);
}

/** Stage j's point: y_j = x + … + c g_i + … */
// @ts-ignore: decorator
@inline export function setPoint(out: usize, j: i32, i: i32, c: f64): void {
  store<f64>(out + (<usize>(HEAD + STAGE * j + 6 + i) << 3), c);
}
