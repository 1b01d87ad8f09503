/**
 * The explorer's Web Worker: loads the data and runs the computations (ablation table, figure
 * data) off the page's thread, so the page stays responsive. Import maps do not apply in
 * workers, so it is told (message 'init') the page's import map and imports the package's public
 * entries (`gaussdiff`, `gaussdiff/figures`) and the loader by the URLs it gives; it passes the
 * loader (and, in a cross-origin isolated page, the threaded eigensolver) through the public
 * `configureHost`.
 *
 * Messages in:  { type: 'init', id, imports, base }
 *               { type: 'load', id, source: { kind: 'spectrum'|'cov'|'texture', name, bytes } | { kind: 'example', name } }
 *               { type: 'compute', id, settings }  (settings.compare.score: null | { kind: 'scale', c } |
 *                 { kind: 'file' | 'cov', name, bytes }; 'cov' needs data loaded with kind 'cov')
 * Messages out: { type: 'ready', texture, linalgThreads } | { type: 'loaded', id, label, summary }
 *               | { type: 'progress', id, stage, done, total } | { type: 'result', id, … } | { type: 'error', id, message }
 */
let api;
let figuresApi; // gaussdiff/figures (the figures' numbers and the spectrum summary)
let spectrum;
let dataCov; // the data's covariance matrix when they were loaded as one (the Σ̂ score needs it), else undefined
let dataName; // the file the data came from (named in the Σ̂ score's errors)
let label;
let ready;

/** Resolve a bare specifier with the page's import map (exact entries, then "prefix/" entries). */
function resolver(imports, base) {
  return (specifier) => {
    if (imports[specifier]) return new URL(imports[specifier], base).href;
    const prefix = Object.keys(imports)
      .filter((k) => k.endsWith('/') && specifier.startsWith(k))
      .sort((a, b) => b.length - a.length)[0];
    if (prefix) return new URL(imports[prefix] + specifier.slice(prefix.length), base).href;
    throw new TypeError(`worker: ${specifier} is not in the page's import map`);
  };
}

async function setup({ imports, base }) {
  const resolve = resolver(imports, base);
  // Only the package's public entries (test/architecture.test.ts): `gaussdiff` (its browser entry:
  // the .wasm files fetched next to the package, the ablation grid in its own Web Workers) and
  // `gaussdiff/figures`, by the URLs the page's import map gives them.
  const [loader, gaussdiff, figures] = await Promise.all([
    import(resolve('@assemblyscript/loader')),
    import(resolve('gaussdiff')),
    import(resolve('gaussdiff/figures')),
  ]);
  // A module worker cannot resolve the entry's bare import of the loader: pass it. In a
  // cross-origin isolated page (`npm run web` sends COOP/COEP) SharedArrayBuffer exists and the
  // threaded eigensolver (gaussdiff/linalg-mt.mjs: a second thread for the large products,
  // bit-identical results) can run; its own pthread worker is found next to it.
  const threadedLinalg = {
    glue: async () => (await import(resolve('gaussdiff/linalg-mt.mjs'))).default,
    wasm: async () => {
      const url = resolve('gaussdiff/linalg-mt.wasm');
      const response = await fetch(url);
      if (!response.ok) throw new Error(`could not fetch ${url} (${response.status})`);
      return new Uint8Array(await response.arrayBuffer());
    },
  };
  gaussdiff.configureHost({ loader, ...(self.crossOriginIsolated ? { threadedLinalg } : {}) });
  api = gaussdiff;
  figuresApi = figures;
  await api.init();
  return { texture: typeof api.adsnSpectrum === 'function', linalgThreads: api.linalgThreads() };
}

/** An image file as interleaved RGB in [0, 1] (the browser decodes it: PNG, JPEG, …; 8 bits per channel). */
async function decodeImage(bytes, name) {
  let bitmap;
  try {
    bitmap = await createImageBitmap(new Blob([bytes]), { colorSpaceConversion: 'none', premultiplyAlpha: 'none' });
  } catch {
    throw new TypeError(`${name}: not an image this browser can decode`);
  }
  const { width, height } = bitmap;
  const canvas = new OffscreenCanvas(width, height);
  const ctx = canvas.getContext('2d');
  ctx.drawImage(bitmap, 0, 0);
  const rgba = ctx.getImageData(0, 0, width, height).data;
  const data = new Float64Array(width * height * 3);
  for (let i = 0, j = 0; i < rgba.length; i += 4, j += 3) {
    data[j] = rgba[i] / 255;
    data[j + 1] = rgba[i + 1] / 255;
    data[j + 2] = rgba[i + 2] / 255;
  }
  return { width, height, data };
}

async function load(source) {
  if (source.kind === 'example') {
    if (source.name === 'synthetic') return { values: api.syntheticSpectrum(), label: api.SYNTHETIC_LABEL };
    if (source.name === 'mnist') {
      // The fit ships with the package (no mnist download in the page).
      const fit = api.datasetSpectrum('mnist');
      return { values: fit.spectrum, label: fit.description };
    }
    throw new RangeError(`unknown example ${source.name}`);
  }
  const bytes = new Uint8Array(source.bytes);
  if (source.kind === 'texture') {
    if (typeof api.adsnSpectrum !== 'function') throw new Error('texture images need adsnSpectrum, which this build of gaussdiff does not have');
    const image = await decodeImage(bytes, source.name);
    const model = await api.adsnSpectrum(image, source.name);
    return { values: model.values, label: `ADSN of ${source.name} (${image.width}×${image.height}, d = ${model.values.length})` };
  }
  if (source.kind === 'cov') {
    const m = api.matrixFromFile(bytes, source.name);
    if (m.rows !== m.cols) throw new RangeError(`a covariance must be square, got ${m.rows}×${m.cols}`);
    const values = api.spectrumFromCovariance(m.data, m.rows);
    // The matrix is kept for a score covariance Σ̂ (`compare`'s `cov`), as the CLI's --cov reads it
    // (bin/score.ts: float32 files as a Float32Array, for the float32 symmetry tolerance).
    return { values, label: `eigenvalues of ${source.name} (d = ${values.length})`, cov: m.dtype === '<f4' ? Float32Array.from(m.data) : m.data };
  }
  const arr = api.parseNumericFile(bytes, source.name);
  if (arr.shape.filter((s) => s !== 1).length > 1) {
    throw new TypeError(`${source.name}: expected a 1-D array of eigenvalues, got shape [${arr.shape.join(', ')}] (a covariance? choose that kind)`);
  }
  return { values: arr.data, label: `${source.name} (d = ${arr.data.length})` };
}

/** The λ grid of Figure 2 over the spectrum's positive eigenvalues (at most 12 decades). */
function eigenRange(s) {
  const positive = Array.from(s.values.subarray(0, s.distinct)).filter((x) => x > 0);
  if (!positive.length) return {};
  const max = positive[positive.length - 1];
  const min = Math.max(positive[0], max * 1e-12);
  return min < max ? { lambdaMin: min, lambdaMax: max } : { lambdaMin: max / 100, lambdaMax: max };
}

/**
 * The page's comparison settings as `compare`'s options: the wrong score as `scoreSpectrum` (λ̂ =
 * c·λ in the data's input order, or the file's values) or as `scoreCov` + `cov` (a covariance Σ̂
 * from a file, with the data's kept matrix: docs/score-errors.md), the means as `mean` and
 * `scoreMean` (the same value in every eigen-direction, or with `scoreCov` in every data
 * coordinate; absent when zero), the metric as `metric`.
 */
function compareOptions({ score, dataMean, scoreMeanOffset, metric, ...options }) {
  if (metric !== 'w2') options.metric = metric;
  if (score?.kind === 'scale') options.scoreSpectrum = spectrum.eigenvalues.map((x) => score.c * x);
  else if (score?.kind === 'file') {
    const arr = api.parseNumericFile(new Uint8Array(score.bytes), score.name);
    if (arr.shape.filter((s) => s !== 1).length > 1) throw new TypeError(`${score.name}: expected a 1-D array of the score's eigenvalues, got shape [${arr.shape.join(', ')}]`);
    options.scoreSpectrum = arr.data;
  } else if (score?.kind === 'cov') {
    if (!dataCov) throw new RangeError(`a score covariance Σ̂ (${score.name}) needs the data loaded as a covariance matrix (Data → Kind: covariance matrix)`);
    const m = api.matrixFromFile(new Uint8Array(score.bytes), score.name);
    if (m.rows !== m.cols) throw new RangeError(`${score.name}: a score covariance must be square, got ${m.rows}×${m.cols}`);
    options.scoreCov = m.dtype === '<f4' ? Float32Array.from(m.data) : m.data;
    options.cov = dataCov;
  }
  if (dataMean !== 0 || scoreMeanOffset !== 0) {
    options.mean = new Float64Array(spectrum.dim).fill(dataMean);
    if (scoreMeanOffset !== 0) options.scoreMean = new Float64Array(spectrum.dim).fill(dataMean + scoreMeanOffset);
  }
  return options;
}

/**
 * `compare` with a score covariance: the spectrum argument is null (the data are `cov`), and an
 * error of the API (Σ̂ of another size, not symmetric, not PSD; the data's matrix not PSD) names
 * the file it is about, keeping its class.
 */
async function compareScoreCov(options, scoreName) {
  try {
    return await api.compare(null, options);
  } catch (err) {
    if (!(err instanceof Error)) throw err;
    const file = /^scoreCov\b/.test(err.message) ? scoreName : /^cov\b/.test(err.message) ? dataName : undefined;
    if (file === undefined) throw err;
    throw new err.constructor(`${file}: ${err.message}`);
  }
}

async function compute(id, settings) {
  const post = (stage, done, total) => postMessage({ type: 'progress', id, stage, done, total });
  const schedule = { betaMin: settings.betaMin, betaMax: settings.betaMax, T: settings.T };
  const stages = ['ablation', ...settings.figures];
  // The comparison's options first: a bad score file fails before the long computations.
  const compareOpts = settings.compare ? compareOptions(settings.compare) : undefined;
  post('ablation', 0, 1);
  const ablation = await api.ablation(spectrum, {
    ...schedule, schemes: settings.schemes, nfe: settings.nfe, eps: settings.eps, paper: settings.paper,
    onProgress: (done, total) => post('ablation', done, total),
  });
  const figures = {};
  const common = { ...schedule, schemes: settings.schemes, nfe: settings.figureNfe, init: settings.init };
  for (const kind of settings.figures) {
    post(kind, 0, 1);
    if (kind === 'time') figures.time = await figuresApi.figureTimeData(spectrum, common);
    else if (kind === 'eps') figures.eps = await figuresApi.figureEpsData(spectrum, common);
    else figures.eigen = await figuresApi.figureEigenData({ ...common, ...eigenRange(spectrum) });
    post(kind, 1, 1);
  }
  // The library samplers' comparison (registry samplers × grid builders × steps).
  let compare;
  if (settings.compare) {
    post('compare', 0, 1);
    const options = { ...compareOpts, onProgress: (done, total) => post('compare', done, total) };
    compare = options.scoreCov !== undefined ? await compareScoreCov(options, settings.compare.score.name) : await api.compare(spectrum, options);
  }
  return { ablation, figures, compare, stages, label, summary: figuresApi.spectrumSummary(spectrum) };
}

self.addEventListener('message', async (e) => {
  const m = e.data;
  try {
    if (m.type === 'init') {
      ready = setup(m);
      postMessage({ type: 'ready', id: m.id, ...(await ready) });
      return;
    }
    await ready;
    if (m.type === 'load') {
      const loaded = await load(m.source);
      spectrum = api.prepareSpectrum(loaded.values, 'spectrum');
      dataCov = loaded.cov;
      dataName = m.source.name;
      label = loaded.label;
      postMessage({ type: 'loaded', id: m.id, label, summary: figuresApi.spectrumSummary(spectrum), clamped: spectrum.clamped });
    } else if (m.type === 'compute') {
      if (!spectrum) throw new Error('no data loaded');
      postMessage({ type: 'result', id: m.id, ...(await compute(m.id, m.settings)) });
    }
  } catch (err) {
    postMessage({ type: 'error', id: m.id, message: err instanceof Error ? `${err.name === 'Error' ? '' : `${err.name}: `}${err.message}` : String(err) });
  }
});
