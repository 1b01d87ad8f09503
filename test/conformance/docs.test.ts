/** docs/samplers.md has one row per registry entry (samplers, processes, grid builders). */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { ALL_SAMPLERS, PROCESSES, SCHEDULERS } from '../../dist/bindings/index.node.js';

const doc = readFileSync(new URL('../../docs/samplers.md', import.meta.url), 'utf8');
const rows = doc.split('\n').filter((l) => l.startsWith('|'));

describe('docs/samplers.md lists every registry entry', () => {
  it.each(ALL_SAMPLERS.map((s) => [s.group, s.id]))('%s %s', (group, id) => {
    expect(rows.some((r) => r.startsWith(`| ${group} | \`${id}\` |`))).toBe(true);
  });
  it.each([...Object.keys(PROCESSES), ...Object.keys(SCHEDULERS)])('%s', (id) => {
    expect(rows.some((r) => r.startsWith(`| \`${id}\` |`))).toBe(true);
  });
});
