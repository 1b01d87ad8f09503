/**
 * The results of sweeps on disk (docs/sweeps.md "Files"): JSON lines, one finished cell a line.
 *
 * Safety: every file has ONE writer for its whole life. A sweep process creates its own file
 * (`shard-<i>-of-<n>.jsonl`, or `shard-<i>-of-<n>.<k>.jsonl` when that name exists: created with
 * O_CREAT|O_EXCL, which no two processes can both win, also on NFS v3+) and never appends to a
 * file another process made. Each line goes out in one write() of the whole line followed by
 * fdatasync, so a process killed at any moment leaves whole lines plus at most one incomplete
 * last line. Readers use only newline-terminated lines: an incomplete last line (a killed writer,
 * or one still writing) is ignored and reported, and the cell runs again on the next run. No
 * process ever truncates or rewrites a file, so several shards (or two runs of one shard) can
 * share a folder on a cluster's shared file system without locks.
 */
import { closeSync, fdatasyncSync, openSync, writeSync } from 'node:fs';
import { readFile, readdir, stat } from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from './common.js';
import type { Json, Shard } from './sweep-plan.js';

/** One finished cell (one line). */
export interface SweepRecord {
  key: string;
  gaussdiff: string;
  input: { name: string; kind: string; sha256: string };
  options: Record<string, Json>;
  trajectory: boolean;
  /** What the run returned: its numbers (w2, nfe, steps, …), the grid, the trajectory if asked. */
  result: Record<string, Json>;
}

/** A record and where it was read. */
export interface StoredRecord {
  record: SweepRecord;
  file: string;
  line: number;
}

export interface ReadResult {
  records: StoredRecord[];
  /** Files whose last line is incomplete (ignored). */
  partial: string[];
  files: string[];
}

/** The .jsonl files of the folders (and files) given, in name order. */
async function jsonlFiles(locations: string[]): Promise<string[]> {
  const files: string[] = [];
  for (const loc of locations) {
    const info = await stat(loc).catch(() => undefined);
    if (info === undefined) continue;
    if (info.isDirectory()) {
      const names = (await readdir(loc)).filter((n) => n.endsWith('.jsonl')).sort();
      files.push(...names.map((n) => path.join(loc, n)));
    } else files.push(loc);
  }
  return files;
}

function isRecord(x: unknown): x is SweepRecord {
  const r = x as SweepRecord;
  return typeof r === 'object' && r !== null && typeof r.key === 'string' && /^[0-9a-f]{64}$/.test(r.key)
    && typeof r.result === 'object' && r.result !== null && typeof r.options === 'object' && r.options !== null
    && typeof r.input === 'object' && r.input !== null && typeof r.input.name === 'string';
}

/**
 * Read every complete line of the .jsonl files in `locations` (folders or files; a folder that
 * does not exist holds nothing). A complete line that is not a sweep record is an error naming
 * the file and line (exit 1): that file was not written by gaussdiff sweep.
 */
export async function readRecords(locations: string[]): Promise<ReadResult> {
  const files = await jsonlFiles(locations);
  const records: StoredRecord[] = [];
  const partial: string[] = [];
  for (const file of files) {
    const text = await readFile(file, 'utf8');
    const lines = text.split('\n');
    // The piece after the last newline: '' when the file ends in one, else an incomplete line.
    const tail = lines.pop() as string;
    if (tail !== '') partial.push(file);
    lines.forEach((line, i) => {
      if (line === '') return;
      let x: unknown;
      try {
        x = JSON.parse(line);
      } catch {
        x = undefined;
      }
      if (!isRecord(x)) throw new Error(`${file}:${i + 1} is not a gaussdiff sweep record (got ${JSON.stringify(line.slice(0, 80))})`);
      records.push({ record: x, file, line: i + 1 });
    });
  }
  return { records, partial, files };
}

/** Appends records to a file of its own, created on the first record (see the file comment). */
export class ShardWriter {
  private fd: number | undefined;
  file: string | undefined;

  constructor(readonly dir: string, readonly shard: Shard) {}

  private open(): number {
    const base = `shard-${this.shard.index}-of-${this.shard.count}`;
    for (let k = 1; ; k++) {
      const file = path.join(this.dir, k === 1 ? `${base}.jsonl` : `${base}.${k}.jsonl`);
      try {
        // 'ax': O_APPEND | O_CREAT | O_EXCL — this process is the file's only writer.
        this.fd = openSync(file, 'ax');
        this.file = file;
        return this.fd;
      } catch (e) {
        if ((e as NodeJS.ErrnoException).code !== 'EEXIST') throw new UsageError(`--out cannot be written (got ${JSON.stringify(file)}: ${(e as NodeJS.ErrnoException).code ?? (e as Error).message})`);
      }
    }
  }

  /** Write one record as one line and flush it to the disk before returning. */
  append(record: SweepRecord): void {
    const fd = this.fd ?? this.open();
    const bytes = Buffer.from(JSON.stringify(record) + '\n', 'utf8');
    let at = 0;
    while (at < bytes.length) at += writeSync(fd, bytes, at, bytes.length - at);
    fdatasyncSync(fd);
  }

  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }
}
