/**
 * Built-in example spectra, generated (not stored), so the package needs no data files.
 */

/**
 * A synthetic power-law spectrum λ_i = scale · i^(−exponent), i = 1..d — the decay typical of
 * natural-image covariances (CIFAR-10's spectrum falls off roughly as i^(−1.5…−2.2)).
 * Defaults d = 3072 (32×32×3), scale 200, exponent 1.5. Labelled "synthetic" wherever shown.
 * @example syntheticSpectrum().length // → 3072
 */
export function syntheticSpectrum(d = 3072, scale = 200, exponent = 1.5): Float64Array {
  const lam = new Float64Array(d);
  for (let i = 0; i < d; i++) lam[i] = scale * Math.pow(i + 1, -exponent);
  return lam;
}

export const SYNTHETIC_LABEL = 'synthetic power law λ_i = 200·i^-1.5, d = 3072';
