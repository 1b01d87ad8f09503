/** diffusers timestep_spacing="linspace" (the three spacings share bindings/schedulers/diffusers.ts). */
export { linspace as spec } from './diffusers.js';
