/** The shape of a forward-process registry entry (one file per entry in bindings/processes/). */
import type { ParamSpec, ParamValues } from '../samplers/params.js';

export interface ProcessSpec {
  /** The name users type (`--model`). */
  readonly id: string;
  /** Its id in the core (assembly/processes/dispatch.ts). */
  readonly coreId: number;
  readonly label: string;
  readonly source: string;
  /** α_t, σ_t in words (docs/MATH-samplers.md §2). */
  readonly definition: string;
  /** Parameters in the order the core reads them. */
  readonly params: readonly ParamSpec[];
  /** Whether grid times are noise levels σ (EDM: σ_t = t) or diffusion times t. */
  readonly gridUnit: 't' | 'sigma';
  /** Constraints between parameters (after each was validated): throw naming `${owner}.<name>`. */
  check?(values: ParamValues, owner: string): void;
}
