// The AssemblyScript core's exports. The bindings (bindings/runtime/core.ts) copy arrays in and out.
export { setSchedule, gridTimes, marginals, betaAt } from './schedule';
export { continuousW2sq } from './continuous';
export { evolve, evolvePaperGroup, evolveOne, PAPER_GROUP } from './discrete';
export { ddpmMaxB, stepTable, TABLE_STRIDE, MAX_STEPS, COL_SIGNAL, COL_NOISE, COL_BETA, COL_MID_SIGNAL, COL_MID_NOISE, COL_MID_BETA, COL_SDE } from './schemes';

/** Type id of Float64Array, for the loader's __newArray. */
export const FLOAT64ARRAY_ID = idof<Float64Array>();
export { fft2, fftForget } from './fft';
export { adsnSpectrum, adsnSamples, textureSamplerStart, textureSamplerSteps, textureSamplerFinish, textureEmpiricalW2sq, textureBasis, textureBasisApply, periodicComponent } from './texture';
export { normals } from './texture_random';
// The general engine (assembly/kernels/general.ts): every call carries its process and grid.
export { generalRun, generalSteps, processMarginals, paperDdpmMaxB, samplerStateSize } from './kernels/general';
// Wrong scores (docs/MATH-samplers.md §7): λ̂ for the coefficients, λ for the targets; the transfer (M, w, μ).
export { generalRunScore, generalTransfer } from './kernels/general';
