/** Browser entry point: fetches the .wasm files next to the package, then the shared API. */
import { assetUrl, setAssetReader } from './assets.js';

setAssetReader(async (name) => {
  const response = await fetch(assetUrl(name));
  if (!response.ok) throw new Error(`gaussdiff: could not fetch ${assetUrl(name)} (${response.status})`);
  return new Uint8Array(await response.arrayBuffer());
});

export * from './api.js';
