#!/usr/bin/env node
// The CLI entry point: the compiled TypeScript lives in dist/ (built by `npm ci` / `npm run build`).
import { main } from '../dist/bin/cli.js';

process.exitCode = await main(process.argv.slice(2));
