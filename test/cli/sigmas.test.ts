/** `gaussdiff sigmas` (docs/samplers.md): the contract `{"sigmas": […]}` / `{"times": […]}`, exit 2 naming bad keys and values. */
import { describe, expect, it } from 'vitest';
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { sigmas } from '../../dist/bindings/index.node.js';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../..');
const bin = path.join(root, 'bin/gaussdiff.js');

function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  return new Promise((resolve) => {
    execFile(process.execPath, [bin, ...args], (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : 1) : 0, stdout, stderr });
    });
  });
}

describe('gaussdiff sigmas', () => {
  it('σ grid: the API\'s numbers, the model\'s σ range by default', async () => {
    const r = await cli('sigmas', '--scheduler', 'karras', '--steps', '10', '--model', 'sd', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['sigmas']);
    expect(out.sigmas).toEqual(sigmas({ scheduler: 'karras', steps: 10, model: 'sd' }).sigmas);
    expect(out.sigmas).toHaveLength(11);
    expect(out.sigmas[10]).toBe(0);
  });
  it('--sigma-min, --sigma-max, --rho are the builder\'s sigma_min, sigma_max, rho', async () => {
    const r = await cli('sigmas', '--scheduler', 'karras', '--steps', '3', '--sigma-min', '0.1', '--sigma-max', '10', '--rho', '3');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).sigmas).toEqual(sigmas({ scheduler: 'karras', steps: 3, params: { sigma_min: 0.1, sigma_max: 10, rho: 3 } }).sigmas);
  });
  it('time grid (DPM-Solver) with --param t_end', async () => {
    const r = await cli('sigmas', '--scheduler', 'logSNR', '--steps', '5', '--model', 'vp', '--param', 't_end=0.001', '--format', 'json');
    expect(r.code).toBe(0);
    const out = JSON.parse(r.stdout);
    expect(Object.keys(out)).toEqual(['times']);
    expect(out.times[0]).toBe(1);
    expect(out.times[5]).toBe(0.001);
  });
  it('--param repeats (one key each); a key given twice and other repeated flags exit 2', async () => {
    const r = await cli('sigmas', '--scheduler', 'time_quadratic', '--steps', '4', '--param', 't_end=0.01', '--param', 't_start=0.5');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).times).toEqual(sigmas({ scheduler: 'time_quadratic', steps: 4, params: { t_end: 0.01, t_start: 0.5 } }).times);
    const twice = await cli('sigmas', '--scheduler', 'time_quadratic', '--steps', '4', '--param', 't_end=0.01', '--param', 't_end=0.02');
    expect(twice.code).toBe(2);
    expect(twice.stderr).toMatch(/--param t_end is given twice/);
    const steps = await cli('sigmas', '--scheduler', 'karras', '--steps', '4', '--steps', '5');
    expect(steps.code).toBe(2);
    expect(steps.stderr).toMatch(/--steps is given 2 times/);
  });
  it('--model-param reaches the model (rf shift)', async () => {
    const r = await cli('sigmas', '--scheduler', 'simple', '--steps', '4', '--model', 'rf', '--model-param', 'shift=3');
    expect(r.code).toBe(0);
    expect(JSON.parse(r.stdout).sigmas).toEqual(sigmas({ scheduler: 'simple', steps: 4, model: 'rf', modelParams: { shift: 3 } }).sigmas);
  });
  it('--out writes the JSON file', async () => {
    const out = path.join(mkdtempSync(path.join(tmpdir(), 'gaussdiff-sigmas-')), 'g.json');
    const r = await cli('sigmas', '--scheduler', 'exponential', '--steps', '2', '--out', out);
    expect(r.code).toBe(0);
    expect(JSON.parse(readFileSync(out, 'utf8')).sigmas).toHaveLength(3);
  });
  it.each([
    [['--scheduler', 'karras', '--steps', '3', '--param', 'nope=1'], /--param nope/],
    [['--scheduler', 'karras', '--steps', '3', '--param', 'rho=abc'], /--param rho/],
    [['--scheduler', 'karras', '--steps', '3', '--param', 'rho'], /--param/],
    [['--scheduler', 'karras', '--steps', '3', '--rho', '-1'], /--rho/],
    [['--scheduler', 'exponential', '--steps', '3', '--rho', '2'], /--rho/],
    [['--scheduler', 'nope', '--steps', '3'], /--scheduler/],
    [['--scheduler', 'karras', '--steps', '0'], /--steps/],
    [['--scheduler', 'karras'], /--steps/],
    [['--steps', '3'], /--scheduler/],
    [['--scheduler', 'karras', '--steps', '3', '--model', 'nope'], /--model/],
    [['--scheduler', 'normal', '--steps', '3', '--model', 'edm'], /--model/],
    [['--scheduler', 'time_uniform', '--steps', '3', '--param', 't_end=2'], /--param t_end/],
    [['--scheduler', 'simple', '--steps', '3', '--model', 'rf', '--model-param', 'shift=-1'], /--model-param shift/],
    [['--scheduler', 'karras', '--steps', '3', '--format', 'csv'], /--format/],
  ])('exit 2 naming it: %j', async (args, re) => {
    const r = await cli('sigmas', ...args);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(re);
    expect(r.stderr.trim().split('\n')).toHaveLength(1);
  });
  it('--help', async () => {
    const r = await cli('sigmas', '--help');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/--scheduler S/);
  });
});
