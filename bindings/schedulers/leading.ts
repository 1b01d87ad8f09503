/** diffusers timestep_spacing="leading" (the three spacings share bindings/schedulers/diffusers.ts). */
export { leading as spec } from './diffusers.js';
