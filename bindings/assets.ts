/**
 * Where the WebAssembly bytes come from. The Node and browser entry points (chosen by the
 * package.json `exports` conditions) each install one reader; nothing else checks the platform.
 * A host that cannot read files (a bundler, an extension, a test) may pass bytes or a compiled
 * `WebAssembly.Module` to `init()` instead.
 */

/** The assets, by name, relative to the package root. */
export const ASSETS = {
  core: 'build/core.wasm',
  linalg: 'cpp/dist/linalg.wasm',
  linalgThreaded: 'cpp/dist/linalg-mt.wasm',
} as const;

export type AssetName = keyof typeof ASSETS;
export type AssetReader = (name: AssetName) => Promise<Uint8Array>;

let reader: AssetReader | undefined;

/** Installed once by `index.node.ts` or `index.browser.ts`. */
export function setAssetReader(r: AssetReader): void {
  reader = r;
}

export function readAsset(name: AssetName): Promise<Uint8Array> {
  if (!reader) throw new Error('gaussdiff: no asset reader installed (import the package entry point, not bindings/api)');
  return reader(name);
}

/**
 * URL of an asset in the installed package folder, for hosts that serve that folder as it is (a
 * page without a bundler). The entry points do not use it: each names its files with one literal
 * `new URL('…', import.meta.url)` per file, the form bundlers follow. Written so that bundlers do
 * NOT follow it (a template there makes Vite and webpack copy the whole package).
 */
export function assetUrl(name: AssetName): URL {
  const here = import.meta.url;
  return new URL('../../' + ASSETS[name], here);
}

/** Reads a file of an installed dependency by module specifier (e.g. 'mnist/src/digits/0.json'). */
export type DependencyReader = (specifier: string) => Promise<Uint8Array>;

let dependencyReader: DependencyReader | undefined;

export function setDependencyReader(r: DependencyReader): void {
  dependencyReader = r;
}

export function readDependency(specifier: string): Promise<Uint8Array> {
  if (!dependencyReader) throw new Error('gaussdiff: no dependency reader installed (import the package entry point)');
  return dependencyReader(specifier);
}
