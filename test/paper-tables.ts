/**
 * The published values of the paper's ablation tables, transcribed as printed (strings keep the
 * printed digits, which the tests need to know the rounding):
 *
 *   Pierret & Galerne, "Diffusion models for Gaussian distributions: exact solutions and
 *   Wasserstein errors", ICML 2025 (arXiv:2405.14250), Appendix G, Table 5 (Gaussian CIFAR-10)
 *   and Appendix H, Table 6 (ADSN texture model).
 *
 * Source text: the paper (arXiv:2405.14250, Appendix tables; a text extraction, lines 369–430; it lost the
 * row labels; each scheme block has 4 rows, for ε = 0, 1e-5, 1e-4, 1e-3 in that order).
 * Columns: Continuous (the exact continuous process, printed only in the EM block — the backward
 * SDE — and in the Euler block — the probability-flow ODE), then NFE = 50, 250, 500, 1000; every
 * column has two values, start p_T then start N(0, I). '-' = undefined (a division by a zero
 * eigenvalue at ε = 0), '0' = exactly zero. The published "NFE = n" column uses K = n − 1 steps for
 * every scheme but RK4 and K = n/4 − 1 for RK4 (docs/MATH.md §5: `ablation(..., { paper: true })`).
 */

export type PaperScheme = 'em' | 'ei' | 'ddpm' | 'euler' | 'heun' | 'rk4';
/** A value as printed in the paper: '4.78', '6.7E-04', '2.4E+03', '0' or '-'. */
export type Printed = string;
/** [start p_T, start N(0, I)]. */
export type Pair = readonly [Printed, Printed];

export interface PaperRow {
  scheme: PaperScheme;
  eps: number;
  /** The Continuous column (EM block: SDE; Euler block: ODE), null where the paper leaves it empty. */
  continuous: Pair | null;
  /** NFE = 50, 250, 500, 1000. */
  nfe: readonly [Pair, Pair, Pair, Pair];
}

export interface PaperTable {
  name: string;
  /** The spectrum file in test/fixtures/data. */
  data: string;
  rows: readonly PaperRow[];
}

export const PAPER_NFE = [50, 250, 500, 1000] as const;
export const PAPER_EPS = [0, 1e-5, 1e-4, 1e-3] as const;

/** Table 5: Gaussian CIFAR-10 (3072 eigenvalues). */
export const TABLE5: PaperTable = {
  name: 'Table 5 (Gaussian CIFAR-10)',
  data: 'cifar10.npy',
  rows: [
    { scheme: 'em', eps: 0, continuous: ['0', '6.7E-04'], nfe: [['4.78', '4.78'], ['0.65', '0.66'], ['0.32', '0.32'], ['0.16', '0.16']] },
    { scheme: 'em', eps: 1e-5, continuous: ['4.1E-03', '4.2E-03'], nfe: [['4.77', '4.77'], ['0.66', '0.66'], ['0.32', '0.32'], ['0.16', '0.16']] },
    { scheme: 'em', eps: 1e-4, continuous: ['0.03', '0.03'], nfe: [['4.76', '4.76'], ['0.66', '0.66'], ['0.32', '0.32'], ['0.17', '0.17']] },
    { scheme: 'em', eps: 1e-3, continuous: ['0.18', '0.18'], nfe: [['4.68', '4.68'], ['0.70', '0.70'], ['0.40', '0.40'], ['0.27', '0.27']] },
    { scheme: 'ei', eps: 0, continuous: null, nfe: [['2.81', '2.81'], ['0.57', '0.57'], ['0.30', '0.30'], ['0.16', '0.16']] },
    { scheme: 'ei', eps: 1e-5, continuous: null, nfe: [['2.81', '2.81'], ['0.57', '0.57'], ['0.30', '0.30'], ['0.16', '0.16']] },
    { scheme: 'ei', eps: 1e-4, continuous: null, nfe: [['2.82', '2.82'], ['0.58', '0.58'], ['0.31', '0.31'], ['0.17', '0.17']] },
    { scheme: 'ei', eps: 1e-3, continuous: null, nfe: [['2.91', '2.91'], ['0.67', '0.67'], ['0.41', '0.41'], ['0.29', '0.29']] },
    { scheme: 'ddpm', eps: 0, continuous: null, nfe: [['6.82', '6.82'], ['0.97', '0.97'], ['0.47', '0.47'], ['0.23', '0.23']] },
    { scheme: 'ddpm', eps: 1e-5, continuous: null, nfe: [['6.82', '6.82'], ['0.97', '0.97'], ['0.47', '0.47'], ['0.24', '0.23']] },
    { scheme: 'ddpm', eps: 1e-4, continuous: null, nfe: [['6.81', '6.81'], ['0.98', '0.98'], ['0.47', '0.47'], ['0.24', '0.24']] },
    { scheme: 'ddpm', eps: 1e-3, continuous: null, nfe: [['6.74', '6.74'], ['1.00', '1.00'], ['0.53', '0.53'], ['0.32', '0.32']] },
    { scheme: 'euler', eps: 0, continuous: ['0', '0.07'], nfe: [['1.72', '1.78'], ['0.38', '0.44'], ['0.20', '0.26'], ['0.10', '0.17']] },
    { scheme: 'euler', eps: 1e-5, continuous: ['4.1E-03', '0.07'], nfe: [['1.72', '1.78'], ['0.38', '0.44'], ['0.20', '0.26'], ['0.10', '0.17']] },
    { scheme: 'euler', eps: 1e-4, continuous: ['0.03', '0.08'], nfe: [['1.72', '1.78'], ['0.38', '0.44'], ['0.20', '0.26'], ['0.11', '0.17']] },
    { scheme: 'euler', eps: 1e-3, continuous: ['0.18', '0.19'], nfe: [['1.73', '1.79'], ['0.42', '0.48'], ['0.27', '0.32'], ['0.21', '0.25']] },
    { scheme: 'heun', eps: 0, continuous: null, nfe: [['-', '-'], ['-', '-'], ['-', '-'], ['-', '-']] },
    { scheme: 'heun', eps: 1e-5, continuous: null, nfe: [['23.42', '23.42'], ['2.86', '2.87'], ['1.05', '1.06'], ['0.37', '0.38']] },
    { scheme: 'heun', eps: 1e-4, continuous: null, nfe: [['4.68', '4.68'], ['0.43', '0.44'], ['0.12', '0.14'], ['0.03', '0.08']] },
    { scheme: 'heun', eps: 1e-3, continuous: null, nfe: [['0.58', '0.59'], ['0.13', '0.15'], ['0.16', '0.18'], ['0.17', '0.19']] },
    { scheme: 'rk4', eps: 0, continuous: null, nfe: [['-', '-'], ['-', '-'], ['-', '-'], ['-', '-']] },
    { scheme: 'rk4', eps: 1e-5, continuous: null, nfe: [['67.32', '67.32'], ['5.49', '5.49'], ['2.11', '2.11'], ['0.77', '0.77']] },
    { scheme: 'rk4', eps: 1e-4, continuous: null, nfe: [['14.35', '14.35'], ['0.93', '0.93'], ['0.29', '0.29'], ['0.07', '0.10']] },
    { scheme: 'rk4', eps: 1e-3, continuous: null, nfe: [['2.60', '2.60'], ['0.09', '0.12'], ['0.15', '0.17'], ['0.17', '0.19']] },
  ],
};

/** Table 6: ADSN model of the paper's texture (196608 eigenvalues, 131072 of them 0). */
export const TABLE6: PaperTable = {
  name: 'Table 6 (ADSN)',
  data: 'ADSN.npy',
  rows: [
    { scheme: 'em', eps: 0, continuous: ['0', '5.2E-06'], nfe: [['53.37', '53.37'], ['10.58', '10.58'], ['6.27', '6.27'], ['4.02', '4.02']] },
    { scheme: 'em', eps: 1e-5, continuous: ['0.36', '0.36'], nfe: [['53.35', '53.35'], ['10.57', '10.57'], ['6.26', '6.26'], ['4.02', '4.02']] },
    { scheme: 'em', eps: 1e-4, continuous: ['1.15', '1.15'], nfe: [['53.21', '53.21'], ['10.53', '10.53'], ['6.25', '6.25'], ['4.03', '4.03']] },
    { scheme: 'em', eps: 1e-3, continuous: ['3.84', '3.84'], nfe: [['51.92', '51.92'], ['10.55', '10.55'], ['6.80', '6.80'], ['5.16', '5.16']] },
    { scheme: 'ei', eps: 0, continuous: null, nfe: [['30.91', '30.91'], ['8.85', '8.85'], ['5.71', '5.71'], ['3.84', '3.84']] },
    { scheme: 'ei', eps: 1e-5, continuous: null, nfe: [['30.92', '30.92'], ['8.85', '8.85'], ['5.72', '5.72'], ['3.84', '3.84']] },
    { scheme: 'ei', eps: 1e-4, continuous: null, nfe: [['31.01', '31.01'], ['8.92', '8.92'], ['5.78', '5.78'], ['3.90', '3.90']] },
    { scheme: 'ei', eps: 1e-3, continuous: null, nfe: [['31.94', '31.94'], ['9.74', '9.74'], ['6.76', '6.76'], ['5.24', '5.24']] },
    { scheme: 'ddpm', eps: 0, continuous: null, nfe: [['53.66', '53.66'], ['10.58', '10.58'], ['6.27', '6.27'], ['4.02', '4.02']] },
    { scheme: 'ddpm', eps: 1e-5, continuous: null, nfe: [['53.64', '53.64'], ['10.58', '10.58'], ['6.26', '6.26'], ['4.02', '4.02']] },
    { scheme: 'ddpm', eps: 1e-4, continuous: null, nfe: [['53.50', '53.50'], ['10.54', '10.54'], ['6.25', '6.25'], ['4.03', '4.03']] },
    { scheme: 'ddpm', eps: 1e-3, continuous: null, nfe: [['52.19', '52.19'], ['10.56', '10.56'], ['6.80', '6.80'], ['5.16', '5.16']] },
    { scheme: 'euler', eps: 0, continuous: ['0', '6.4E-03'], nfe: [['5.69', '5.70'], ['3.27', '3.27'], ['2.50', '2.51'], ['1.87', '1.87']] },
    { scheme: 'euler', eps: 1e-5, continuous: ['0.36', '0.36'], nfe: [['5.70', '5.71'], ['3.28', '3.28'], ['2.53', '2.53'], ['1.90', '1.90']] },
    { scheme: 'euler', eps: 1e-4, continuous: ['1.15', '1.15'], nfe: [['5.80', '5.80'], ['3.43', '3.43'], ['2.72', '2.72'], ['2.15', '2.15']] },
    { scheme: 'euler', eps: 1e-3, continuous: ['3.84', '3.84'], nfe: [['6.79', '6.79'], ['4.85', '4.85'], ['4.41', '4.41'], ['4.14', '4.14']] },
    { scheme: 'heun', eps: 0, continuous: null, nfe: [['-', '-'], ['-', '-'], ['-', '-'], ['-', '-']] },
    { scheme: 'heun', eps: 1e-5, continuous: null, nfe: [['2.4E+03', '2.4E+03'], ['3.0E+02', '3.0E+02'], ['1.1E+02', '1.1E+02'], ['40.00', '40.00']] },
    { scheme: 'heun', eps: 1e-4, continuous: null, nfe: [['2.3E+02', '2.3E+02'], ['26.34', '26.34'], ['8.54', '8.54'], ['2.01', '2.01']] },
    { scheme: 'heun', eps: 1e-3, continuous: null, nfe: [['15.42', '15.42'], ['2.25', '2.25'], ['3.40', '3.40'], ['3.73', '3.73']] },
    { scheme: 'rk4', eps: 0, continuous: null, nfe: [['-', '-'], ['-', '-'], ['-', '-'], ['-', '-']] },
    { scheme: 'rk4', eps: 1e-5, continuous: null, nfe: [['6.9E+03', '6.9E+03'], ['5.7E+02', '5.7E+02'], ['2.2E+02', '2.2E+02'], ['82.03', '82.03']] },
    { scheme: 'rk4', eps: 1e-4, continuous: null, nfe: [['6.8E+02', '6.8E+02'], ['52.25', '52.25'], ['18.61', '18.61'], ['5.57', '5.57']] },
    { scheme: 'rk4', eps: 1e-3, continuous: null, nfe: [['59.79', '59.79'], ['0.62', '0.62'], ['2.94', '2.94'], ['3.66', '3.66']] },
  ],
};

/** One printed number of a table. */
export interface PaperCell {
  table: string;
  data: string;
  scheme: PaperScheme;
  eps: number;
  /** 'continuous' or the NFE of the column. */
  column: 'continuous' | (typeof PAPER_NFE)[number];
  /** For the continuous column: which exact process ('sde': α = 1, 'ode': α = 0). */
  process?: 'sde' | 'ode';
  init: 'pT' | 'N0';
  printed: Printed;
}

/** Every printed cell of a table, flattened. */
export function paperCells(table: PaperTable): PaperCell[] {
  const cells: PaperCell[] = [];
  const inits = ['pT', 'N0'] as const;
  for (const row of table.rows) {
    const base = { table: table.name, data: table.data, scheme: row.scheme, eps: row.eps };
    if (row.continuous) {
      const process = row.scheme === 'em' ? 'sde' : 'ode';
      inits.forEach((init, j) => cells.push({ ...base, column: 'continuous', process, init, printed: row.continuous![j] }));
    }
    row.nfe.forEach((pair, i) => {
      inits.forEach((init, j) => cells.push({ ...base, column: PAPER_NFE[i], init, printed: pair[j] }));
    });
  }
  return cells;
}
