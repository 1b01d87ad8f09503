/** Node entry point: reads the .wasm files from the package folder, then the shared API. */
import { readFile } from 'node:fs/promises';
import { assetUrl, setAssetReader } from './assets.js';

setAssetReader(async (name) => new Uint8Array(await readFile(assetUrl(name))));

export * from './api.js';
