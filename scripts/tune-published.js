#!/usr/bin/env node
/**
 * Tuned grids against the published ones (docs/tuning.md §6, issue 13 item 2): the README's
 * table and docs/figures/tune-nfe-sd.svg, tune-nfe-edm.svg (+ .csv), W2 against NFE.
 *
 * Model proxies: a grid of σ's is run by k-diffusion's samplers in VE form (its CompVis/EDM
 * wrappers), which on Gaussian data with the exact denoiser is the edm model on that σ grid,
 * start σ_0·z ("SD" rows: the exact start, see below). "SD" = the range of Stable Diffusion 1.x/XL's σ table, [0.0291671582,
 * 14.6146412293] (the sd model), where Align Your Steps published its SD1.5 and SDXL levels;
 * "EDM" = [0.002, 80]. Data: the CIFAR-10 spectrum (test/fixtures/data/cifar10.npy) on both.
 * Named grids: karras ρ = 7, exponential, kl_optimal on the same range; Align Your Steps SD1.5 and
 * SDXL (align_your_steps on sd, log-linearly interpolated to N as ComfyUI does).
 * Tuned: tuneSync with the same range, steps 5, 10, 20, 50 (each also started from the previous
 * one interpolated). Needs the built package and @observablehq/plot + linkedom (dev dependencies).
 * Usage: node scripts/tune-published.js [--out-dir docs/figures]   (prints the Markdown table)
 */
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { init, parseNpy, prepareSpectrum, tuneSync, runSamplerSync, sigmas } from '../dist/bindings/index.node.js';
import { renderFigure, figureCsv } from '../dist/bindings/figures.node.js';

const args = Object.fromEntries(process.argv.slice(2).map((a, i, all) => (a.startsWith('--') ? [a.slice(2), all[i + 1]] : null)).filter(Boolean));
const OUT = args['out-dir'] ?? fileURLToPath(new URL('../docs/figures/', import.meta.url));
const STEPS = [5, 10, 20, 50];
const SAMPLERS = ['euler', 'heun', 'dpmpp_2m'];
const SD = [0.0291671582, 14.6146412293];
/** Okabe–Ito. */
const COLOURS = { karras: '#E69F00', exponential: '#56B4E9', kl_optimal: '#009E73', ays_sd15: '#CC79A7', ays_sdxl: '#D55E00', tuned: '#000000' };
const LABELS = { karras: 'Karras ρ = 7', exponential: 'exponential', kl_optimal: 'KL-optimal', ays_sd15: 'AYS SD1.5', ays_sdxl: 'AYS SDXL', tuned: 'tuned (gaussdiff tune)' };

await init();
const cifar = prepareSpectrum(Float64Array.from(parseNpy(readFileSync(fileURLToPath(new URL('../test/fixtures/data/cifar10.npy', import.meta.url)))).data));

function named(id, N, [lo, hi]) {
  const params = id === 'ays_sd15' || id === 'ays_sdxl' ? { sdxl: id === 'ays_sdxl' ? 1 : 0 } : { sigma_min: lo, sigma_max: hi };
  const scheduler = id.startsWith('ays') ? 'align_your_steps' : id;
  return sigmas({ scheduler, steps: N, model: id.startsWith('ays') ? 'sd' : 'edm', params }).sigmas;
}

const rows = [];
const startLabel = { exact: 'exact', prior: 'σ₀·z' };
const panels = [];
// SD: start 'exact' (the forward marginal at σ_0): CIFAR-10's top eigenvalue 221 exceeds
// 14.6² = 213, so the conventional 14.6·z start alone would put a floor of ≈ 4.36 under every grid.
for (const [proxy, range, ids, start] of [['SD', SD, ['karras', 'exponential', 'kl_optimal', 'ays_sd15', 'ays_sdxl'], 'exact'], ['EDM', [0.002, 80], ['karras', 'exponential', 'kl_optimal'], 'prior']]) {
  for (const sampler of SAMPLERS) {
    const tuned = tuneSync(cifar, { sampler, steps: STEPS, sigmaMin: range[0], sigmaMax: range[1], start }).tuned;
    const series = Object.fromEntries([...ids, 'tuned'].map((id) => [id, []]));
    for (const [i, N] of STEPS.entries()) {
      const row = { proxy: `${proxy} (start ${startLabel[start]})`, sampler, N, nfe: tuned[i].nfe };
      for (const id of ids) {
        const r = runSamplerSync(cifar, { sampler, times: named(id, N, range), start });
        row[id] = r.w2;
        series[id].push({ x: r.nfe, y: r.w2 });
      }
      row.tuned = tuned[i].value;
      series.tuned.push({ x: tuned[i].nfe, y: tuned[i].value });
      rows.push(row);
      process.stderr.write(`${proxy} ${sampler} ${N}: tuned ${tuned[i].value}\n`);
    }
    panels.push({
      title: `${sampler}, ${proxy} σ [${range[0].toPrecision(3)}, ${range[1].toPrecision(3)}], ${start === 'exact' ? 'exact start' : 'start σ₀·z'}`,
      series: Object.entries(series).map(([id, points]) => ({ key: id, label: LABELS[id], kind: id === 'tuned' ? 'ode' : 'sde', continuous: id === 'tuned', points, colour: COLOURS[id] })),
    });
  }
}

const fmt = (x) => (x === null || x === undefined ? '' : x.toPrecision(3));
const cols = ['karras', 'exponential', 'kl_optimal', 'ays_sd15', 'ays_sdxl', 'tuned'];
console.log(`| proxy | sampler | steps | NFE | ${cols.map((c) => LABELS[c]).join(' | ')} |`);
console.log(`|---|---|---|---|${cols.map(() => '---|').join('')}`);
for (const r of rows) console.log(`| ${r.proxy} | \`${r.sampler}\` | ${r.N} | ${r.nfe} | ${cols.map((c) => (c === 'tuned' ? `**${fmt(r[c])}**` : fmt(r[c]))).join(' | ')} |`);

mkdirSync(OUT, { recursive: true });
for (const [name, proxy] of [['sd', 'SD'], ['edm', 'EDM']]) {
  const fig = {
    kind: 'nfe', title: `W2 to the CIFAR-10 Gaussian against NFE on the ${proxy} σ range: tuned grids vs named ones`,
    x: { label: 'NFE', type: 'log' }, y: { label: 'W2 to the data', type: 'log' },
    panels: panels.filter((p) => p.title.includes(`, ${proxy} σ`)),
    settings: { data: 'cifar10.npy', steps: STEPS, samplers: SAMPLERS, start: proxy === 'SD' ? 'exact' : 'conventional (σ_0·z)' },
  };
  writeFileSync(`${OUT}tune-nfe-${name}.svg`, await renderFigure(fig, { width: 420, height: 320 }));
  writeFileSync(`${OUT}tune-nfe-${name}.csv`, figureCsv(fig));
}
