/** diffusers timestep_spacing="trailing" (the three spacings share bindings/schedulers/diffusers.ts). */
export { trailing as spec } from './diffusers.js';
