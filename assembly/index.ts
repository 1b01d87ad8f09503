// The AssemblyScript core's exports. The bindings (bindings/core.ts) copy arrays in and out.
export { setSchedule, gridTimes } from './schedule';
export { continuousW2sq } from './continuous';
export { evolve } from './discrete';
export { ddpmMaxB } from './schemes';

/** Type id of Float64Array, for the loader's __newArray. */
export const FLOAT64ARRAY_ID = idof<Float64Array>();
