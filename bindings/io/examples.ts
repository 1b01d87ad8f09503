/**
 * Built-in example spectra, generated (not stored), so the package needs no data files.
 */
import * as dm from '../runtime/detmath.js';

/**
 * A synthetic power-law spectrum λ_i = scale · i^(−exponent), i = 1..d — the decay typical of
 * natural-image covariances (CIFAR-10's spectrum falls off roughly as i^(−1.5…−2.2)).
 * Defaults d = 3072 (32×32×3), scale 200, exponent 1.5. Labelled "synthetic" wherever shown.
 * @example syntheticSpectrum().length // → 3072
 */
export function syntheticSpectrum(d = 3072, scale = 200, exponent = 1.5): Float64Array {
  const lam = new Float64Array(d);
  const halves = 2 * exponent;
  // Math.pow is not correctly rounded and engines differ in its last bit (Node 20 and Chromium 156
  // give 200·2^-1.5 = …474 and …476). For exponents that are multiples of ½ (the default) the
  // power is built from one sqrt and products (IEEE operations, correctly rounded everywhere), so every runtime gets
  // the same bits; other exponents use detmath's pow (the same bits everywhere too, docs/ARCHITECTURE.md).
  const exact = Number.isInteger(halves) && Math.abs(halves) <= 64;
  for (let i = 0; i < d; i++) {
    const x = i + 1;
    if (!exact) {
      lam[i] = scale * dm.pow(x, -exponent);
      continue;
    }
    const n = Math.abs(halves);
    let p = n % 2 === 1 ? Math.sqrt(x) : 1;
    for (let k = 0; k < n >> 1; k++) p *= x;
    lam[i] = halves >= 0 ? scale / p : scale * p;
  }
  return lam;
}

export const SYNTHETIC_LABEL = 'synthetic power law λ_i = 200·i^-1.5, d = 3072';
