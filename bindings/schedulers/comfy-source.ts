/**
 * Where the ComfyUI grid builders come from. ComfyUI is too large to fetch whole; its files were read
 * through the search tool's stored copies: comfy/samplers.py (a recent version, stored copy id
 * 55847235891, with SCHEDULER_HANDLERS: simple, sgm_uniform, karras, exponential, ddim_uniform, beta,
 * normal, linear_quadratic, kl_optimal) and comfy_extras/nodes_align_your_steps.py (commit
 * 341667c4d59a67d3b677c6f547f13892b36662cd). Their numbers are pinned in test/schedulers.test.ts by
 * hand from those files (ComfyUI computes its σ table in float64 and stores it as float32).
 */
export const COMFY_SAMPLERS = 'comfyanonymous/ComfyUI comfy/samplers.py';
