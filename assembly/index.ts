// The AssemblyScript core's exports. The bindings (bindings/runtime/core.ts) copy arrays in and out.
// No module-level state: every call carries its forward process (pp: its parameters) and its grid.
export { gridTimes, marginals, betaAt } from './schedule';
export { continuousW2sq, continuousVariances } from './continuous';
export { evolve, evolvePaperGroup, evolveOne, PAPER_GROUP } from './discrete';
export { ddpmMaxB, MAX_STEPS } from './schemes';

/** Type id of Float64Array, for the loader's __newArray. */
export const FLOAT64ARRAY_ID = idof<Float64Array>();
export { fft2, fftForget } from './fft';
export { adsnSpectrum, adsnSamples, textureSamplerStart, textureSamplerSteps, textureSamplerEnd, textureSamplerFinish, textureEmpiricalW2sq, textureBasis, textureBasisApply, periodicComponent } from './texture';
export { normals } from './texture_random';
// The general engine (assembly/kernels/general.ts): every call carries its process and grid.
export { generalRun, generalSteps, processMarginals, paperDdpmMaxB, samplerStateSize, generalStages, STAGE_RECORD, processLevels } from './kernels/general';
export { processAlphas } from './kernels/general';
export { generalGradient } from './kernels/gradient';
// Wrong scores (docs/MATH-samplers.md §7): λ̂ for the coefficients, λ for the targets; the transfer (M, w, μ).
export { generalRunScore, generalTransfer } from './kernels/general';
