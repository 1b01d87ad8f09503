/**
 * `gaussdiff/figures` in Node: the same module as in browsers, with a DOM document for rendering
 * made by linkedom (an optional peer: `npm i @observablehq/plot linkedom`).
 */
import { setDocumentFactory } from './figures/render.js';

// linkedom is imported by a name that bundlers and TypeScript leave alone: its type declarations
// clash with lib.dom's under `skipLibCheck: false`.
const LINKEDOM = 'linkedom';
setDocumentFactory(async () => {
  const { parseHTML } = (await import(/* @vite-ignore */ /* webpackIgnore: true */ LINKEDOM)) as {
    parseHTML(html: string): { document: unknown };
  };
  return parseHTML('<!doctype html><html><head></head><body></body></html>').document as Document;
});

export * from './figures.js';
