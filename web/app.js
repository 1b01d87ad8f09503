/**
 * The explorer page: settings, file input (picker and drag-and-drop), the worker that computes
 * (web/worker.js), and the results — the ablation table (the CLI's rendering, bin/format.ts) and
 * the figures (the package's renderFigure, drawn with this page's document, at a width that fits
 * the column so that their text keeps its size) — with downloads. While the worker loads or
 * computes, the status line counts the seconds.
 * The library samplers' pickers (model, samplers, grid builders, each sampler's parameters) are
 * generated from the registries (SAMPLER_REGISTRY, SCHEDULERS, PROCESSES): a new registry entry
 * appears here by itself. Their comparison (`compare`) is shown as a table and a W2-against-NFE
 * figure; its metric (W2, KL or both), a wrong score (λ̂ = c·λ, or λ̂ from a file) and a mean (the
 * same value in every eigen-direction, and the score's offset from it) are `compare`'s `metric`,
 * `scoreSpectrum`, `mean` and `scoreMean` (docs/metrics.md, docs/score-errors.md). With data
 * loaded as a covariance matrix, the score can be a covariance Σ̂ from a file: `compare(null,
 * { cov, scoreCov, … })`, the means then the same value in every data coordinate.
 * `window.__explorer` exposes the state for the end-to-end test (test/web.test.ts).
 */
import { SCHEMES, PAPER_SCHEMES, DEFAULTS, SAMPLER_REGISTRY, SCHEDULERS, PROCESSES, ownGridStepsParam } from 'gaussdiff';
import { renderFigure, markdownTableToHtml, figureCsv, renderAblation, renderCompare, nfeFigureOf, SCHEME_LABELS } from 'gaussdiff/figures';

const $ = (id) => document.getElementById(id);
const FIGURE_NAMES = { time: 'Figure 1a', eps: 'Figure 1b', eigen: 'Figure 2' };

const state = {
  status: 'starting',
  texture: false,
  source: undefined, // the last load request (replayed after Cancel)
  label: undefined,
  summary: undefined,
  result: undefined,
  svgs: {},
  error: undefined,
  computeMs: undefined,
  linalgThreads: undefined, // threads of the eigensolver in the worker (2 when cross-origin isolated)
  file: undefined, // the file chosen or dropped, read again when Kind changes (undefined after an example)
  scoreFile: undefined, // { name, bytes } of the score's eigenvalues λ̂ (score "from a file")
  scoreCovFile: undefined, // { name, bytes } of the score's covariance Σ̂ (score "covariance from a file")
};
window.__explorer = state;

let worker;
let nextId = 1;
const pending = new Map();

function importMap() {
  return JSON.parse(document.querySelector('script[type="importmap"]').textContent).imports;
}

function startWorker() {
  worker = new Worker(new URL('./worker.js', import.meta.url), { type: 'module' });
  worker.addEventListener('message', (e) => onMessage(e.data));
  worker.addEventListener('error', (e) => fail(`the worker failed: ${e.message || 'module resolution or CSP'}`));
  return request({ type: 'init', imports: importMap(), base: document.baseURI }, 'ready');
}

/** Send a message; resolves with the reply of the given type for this id (or rejects on 'error'). */
function request(message, replyType, onProgress) {
  const id = nextId++;
  return new Promise((resolve, reject) => {
    pending.set(id, { replyType, resolve, reject, onProgress });
    worker.postMessage({ ...message, id });
  });
}

function onMessage(m) {
  const p = pending.get(m.id);
  if (!p) return;
  if (m.type === 'progress') return p.onProgress?.(m);
  pending.delete(m.id);
  if (m.type === 'error') p.reject(new Error(m.message));
  else p.resolve(m);
}

function setStatus(text, { error = false, progress } = {}) {
  const el = $('status');
  el.textContent = text;
  el.classList.toggle('error', error);
  if (progress !== undefined) $('progress').value = progress;
}

/**
 * The status line while the worker is busy: "<text>… 3.2 s", the seconds counted on this
 * thread (the worker may post nothing for a long while). One clock at a time.
 */
let clock;
function startClock(text) {
  clock?.stop();
  const t0 = performance.now();
  let current = text;
  let progress;
  const show = () => setStatus(`${current}… ${((performance.now() - t0) / 1000).toFixed(1)} s`, { progress });
  const timer = setInterval(show, 100);
  const c = {
    set(t, fraction) {
      current = t;
      progress = fraction;
      show();
    },
    ms: () => performance.now() - t0,
    stop() {
      clearInterval(timer);
      if (clock === c) clock = undefined;
    },
  };
  clock = c;
  show();
  return c;
}

function fail(message) {
  clock?.stop();
  state.error = message;
  state.status = 'error';
  setStatus(message, { error: true });
  $('compute').disabled = state.summary === undefined;
  $('cancel').disabled = true;
}

function numberList(id) {
  const text = $(id).value.trim();
  const items = text.split(',').map((s) => s.trim());
  const values = items.map(Number);
  if (!text || items.some((s) => s === '') || values.some((x) => Number.isNaN(x))) {
    throw new RangeError(`${id} must be a comma-separated list of numbers (got "${text}")`);
  }
  return values;
}

function numberField(id) {
  const x = Number($(id).value);
  if ($(id).value.trim() === '' || Number.isNaN(x)) throw new RangeError(`${id} must be a number (got "${$(id).value}")`);
  return x;
}

/** The samplers' comparison as `compare`'s options (null when it is switched off). */
function compareSettings() {
  if (!$('compare-on').checked) return null;
  const model = $('model').value;
  const samplers = samplersOf(model).filter((s) => $(`sampler-${s.id}`).checked).map((s) => s.id);
  if (!samplers.length) throw new RangeError('choose at least one library sampler (or switch the comparison off)');
  const schedulers = schedulersOf(model).filter((g) => $(`grid-${g.id}`).checked).map((g) => g.id);
  const needsGrid = samplers.some((id) => ownGridStepsParam(id) === null);
  if (needsGrid && !schedulers.length) throw new RangeError('choose at least one grid builder');
  const steps = numberList('compare-steps');
  // Parameters the user changed from their defaults, as `sampler.key` (compare's per-sampler form).
  const params = {};
  for (const el of $('sampler-params').querySelectorAll('[data-param]')) {
    const { sampler, param } = el.dataset;
    if (!samplers.includes(sampler)) continue;
    const spec = SAMPLER_REGISTRY[sampler].params.find((p) => p.name === param);
    let value;
    if (spec.type === 'boolean') value = el.checked;
    else if (spec.type === 'choice') value = el.value;
    else {
      const text = el.value.trim();
      value = /^[+-]?inf(inity)?$/i.test(text) ? (text.startsWith('-') ? -Infinity : Infinity) : Number(text);
      if (text === '' || Number.isNaN(value)) throw new RangeError(`parameter ${sampler}.${param} must be a number (got "${el.value}")`);
    }
    if (value !== spec.default) params[`${sampler}.${param}`] = value;
  }
  return {
    model, samplers, schedulers: schedulers.length ? schedulers : undefined, steps, start: $('compare-start').value, params,
    metric: $('compare-metric').value, ...scoreSettings(),
  };
}

/**
 * The wrong score and the means of the comparison, turned into `compare`'s options by the worker
 * (which has the eigenvalues, and the matrix of covariance data): score null (exact),
 * { kind: 'scale', c } (λ̂ = c·λ), { kind: 'file', name, bytes } (λ̂ in the file, one per
 * eigenvalue in the data's order) or { kind: 'cov', name, bytes } (a covariance Σ̂: only with data
 * loaded as a covariance matrix); dataMean the data's mean mᵢ and scoreMeanOffset δ (m̂ᵢ = mᵢ + δ)
 * in every eigen-direction (with Σ̂: in every data coordinate).
 */
function scoreSettings() {
  const kind = $('score-kind').value;
  let score = null;
  if (kind === 'scale') {
    const c = numberField('score-scale');
    if (!(c >= 0 && Number.isFinite(c))) throw new RangeError(`score-scale c must be a finite number ≥ 0 (got "${$('score-scale').value}")`);
    score = { kind, c };
  } else if (kind === 'file') {
    if (!state.scoreFile) throw new RangeError('choose a file of the score\'s eigenvalues λ̂ (or another score)');
    score = { kind, ...state.scoreFile };
  } else if (kind === 'cov') {
    if (state.source?.kind !== 'cov') throw new RangeError('A score covariance Σ̂ needs the data loaded as a covariance matrix (Data → Kind: covariance matrix); choose another score for these data.');
    if (!state.scoreCovFile) throw new RangeError('choose a file of the score\'s covariance Σ̂ (or another score)');
    score = { kind, ...state.scoreCovFile };
  }
  const dataMean = numberField('data-mean');
  const scoreMeanOffset = numberField('score-mean-offset');
  for (const [id, x] of [['data-mean', dataMean], ['score-mean-offset', scoreMeanOffset]]) {
    if (!Number.isFinite(x)) throw new RangeError(`${id} must be a finite number (got "${$(id).value}")`);
  }
  return { score, dataMean, scoreMeanOffset };
}

/** The wrong score and means of a comparison in words (the table's caption), or undefined. */
function scoreLabel(c) {
  const parts = [];
  if (c.score?.kind === 'scale') parts.push(`score λ̂ = ${c.score.c}·λ`);
  if (c.score?.kind === 'file') parts.push(`score eigenvalues ${c.score.name}`);
  if (c.score?.kind === 'cov') parts.push(`score covariance ${c.score.name}`);
  const per = c.score?.kind === 'cov' ? 'data coordinate' : 'eigen-direction';
  if (c.dataMean !== 0 || c.scoreMeanOffset !== 0) parts.push(`data mean ${c.dataMean} per ${per}, score mean ${c.dataMean + c.scoreMeanOffset}`);
  return parts.length ? parts.join(', ') : undefined;
}

function settings() {
  const schemes = SCHEMES.filter((s) => $(`scheme-${s}`).checked);
  if (!schemes.length) throw new RangeError('choose at least one scheme');
  return {
    compare: compareSettings(),
    schemes,
    nfe: numberList('nfe'),
    eps: numberList('eps'),
    paper: $('paper').checked,
    figureNfe: numberField('figure-nfe'),
    init: $('init').value,
    betaMin: numberField('beta-min'),
    betaMax: numberField('beta-max'),
    T: numberField('T'),
    figures: ['time', 'eps', 'eigen'].filter((k) => $(`fig-${k}`).checked),
  };
}

function showSummary() {
  const s = state.summary;
  const rows = [
    ['d', s.dim], ['distinct', s.distinct], ['zeros', s.zeros], ['min λ', s.min.toPrecision(6)],
    ['max λ', s.max.toPrecision(6)], ['trace', s.trace.toPrecision(8)],
  ];
  $('summary').innerHTML = `<p><strong></strong></p><table>${rows.map(([k, v]) => `<tr><th>${k}</th><td>${v}</td></tr>`).join('')}</table>`;
  $('summary').querySelector('strong').textContent = state.label;
}

/** Load data in the worker (the bytes are copied there; the page keeps them for Cancel). */
async function load(source) {
  state.status = 'loading';
  state.result = undefined;
  $('compute').disabled = true;
  $('progress').value = 0;
  const c = startClock(`Loading ${source.name}`);
  try {
    const reply = await request({ type: 'load', source }, 'loaded');
    c.stop();
    state.source = source;
    state.label = reply.label;
    state.summary = reply.summary;
    state.status = 'loaded';
    showSummary();
    setStatus(`Loaded ${reply.label}${reply.clamped ? ` (${reply.clamped} round-off negatives set to 0)` : ''}.`, { progress: 0 });
    $('compute').disabled = false;
  } catch (e) {
    fail(`Could not load ${source.name}: ${e.message}`);
  }
}

async function loadFile(file) {
  state.file = file;
  state.status = 'loading';
  const bytes = await file.arrayBuffer();
  // Images are textures; other files are eigenvalues or a covariance, as the Kind menu says.
  const image = /\.(png|jpe?g|gif|webp|bmp)$/i.test(file.name) || file.type.startsWith('image/');
  let kind = $('input-kind').value;
  if (image) kind = 'texture';
  else if (kind === 'texture') kind = 'spectrum';
  if (kind === 'texture' && !state.texture) return fail('Texture images need adsnSpectrum, which this build of gaussdiff does not have.');
  $('input-kind').value = kind;
  await load({ kind, name: file.name, bytes });
}

const STAGE_TEXT = { ablation: 'ablation table', time: 'Figure 1a', eps: 'Figure 1b', eigen: 'Figure 2', compare: 'samplers\' comparison' };

async function compute() {
  let s;
  try {
    s = settings();
  } catch (e) {
    return fail(e.message);
  }
  state.status = 'computing';
  state.error = undefined;
  $('compute').disabled = true;
  $('cancel').disabled = false;
  const stages = ['ablation', ...s.figures, ...(s.compare ? ['compare'] : [])];
  $('progress').value = 0;
  const c = startClock(`Computing the ${STAGE_TEXT.ablation}`);
  try {
    const reply = await request({ type: 'compute', settings: s }, 'result', (p) => {
      const at = stages.indexOf(p.stage);
      const fraction = (at + (p.total ? p.done / p.total : 0)) / stages.length;
      c.set(`Computing the ${STAGE_TEXT[p.stage]}${(p.stage === 'ablation' || p.stage === 'compare') && p.total > 1 ? ` (${p.done}/${p.total} cells)` : ''}`, fraction);
    });
    state.computeMs = c.ms();
    c.set('Drawing the table and figures');
    state.status = 'rendering';
    await show(reply, s);
    state.status = 'done';
    setStatus(`Done in ${(state.computeMs / 1000).toFixed(1)} s (${reply.ablation.threads} thread${reply.ablation.threads > 1 ? 's' : ''} for the table).`, { progress: 1 });
  } catch (e) {
    if (state.status !== 'cancelled') fail(`Computation failed: ${e.message}`);
  } finally {
    c.stop();
    $('compute').disabled = state.summary === undefined;
    $('cancel').disabled = true;
  }
}

function download(name, text, type) {
  const url = URL.createObjectURL(new Blob([text], { type }));
  const a = document.createElement('a');
  a.href = url;
  a.download = name;
  document.body.append(a);
  a.click();
  a.remove();
  setTimeout(() => URL.revokeObjectURL(url), 1000);
}

const PANEL_WIDTH = 640; // renderFigure's default width of one panel
const MIN_PANEL_WIDTH = 320;

/**
 * A figure drawn at its natural size (never scaled down: its text stays at Plot's 10–12 px): the
 * default panel width when it fits in `available` px, else panels narrowed to fit (at least
 * MIN_PANEL_WIDTH; below that the figure scrolls sideways). The legend keeps its width.
 */
async function fittedFigure(data, available) {
  const svg = await renderFigure(data, { document });
  const natural = Number(/^<svg[^>]*\swidth="([\d.]+)"/.exec(svg)?.[1]);
  if (!(natural > available)) return svg;
  const panels = data.panels.length;
  const legend = natural - panels * PANEL_WIDTH;
  const width = Math.max(MIN_PANEL_WIDTH, Math.floor((available - legend) / panels));
  return width < PANEL_WIDTH ? renderFigure(data, { document, width }) : svg;
}

async function show(reply, s) {
  const meta = {
    spectrum: reply.label, dim: reply.summary.dim, paper: reply.ablation.paper,
    betaMin: s.betaMin, betaMax: s.betaMax, T: s.T,
  };
  const md = renderAblation(reply.ablation, 'md', meta);
  const [caption, ...rest] = md.split('\n');
  $('caption').textContent = caption;
  $('table').innerHTML = markdownTableToHtml(rest.join('\n'));
  // The second sticky column (ε) starts where the first (scheme) ends.
  const first = $('table').querySelector('table th');
  if (first) $('table').firstElementChild.style.setProperty('--label-width', `${first.getBoundingClientRect().width}px`);
  const csv = renderAblation(reply.ablation, 'csv', meta);
  // (the settings as JSON: a score file by its name, without its bytes)
  const shownSettings = s.compare?.score?.bytes ? { ...s, compare: { ...s.compare, score: { kind: s.compare.score.kind, name: s.compare.score.name } } } : s;
  const json = JSON.stringify({ ...meta, settings: shownSettings, summary: reply.summary, ablation: reply.ablation, figures: reply.figures, compare: reply.compare }, null, 2);
  state.result = { ablation: reply.ablation, figures: reply.figures, compare: reply.compare, meta, csv, json };
  state.svgs = {};
  const figures = $('figures');
  figures.replaceChildren();
  for (const kind of s.figures) {
    const data = reply.figures[kind];
    const svg = await fittedFigure(data, figures.clientWidth);
    state.svgs[kind] = svg;
    const fig = document.createElement('figure');
    fig.dataset.kind = kind;
    const cap = document.createElement('figcaption');
    cap.textContent = `${FIGURE_NAMES[kind]}. ${data.title}`;
    for (const [label, text, type, ext] of [['SVG', svg, 'image/svg+xml', 'svg'], ['CSV', figureCsv(data), 'text/csv', 'csv']]) {
      const b = document.createElement('button');
      b.type = 'button';
      b.textContent = label;
      b.addEventListener('click', () => download(`gaussdiff-${kind}.${ext}`, text, type));
      cap.append(b);
    }
    fig.append(cap);
    fig.insertAdjacentHTML('beforeend', svg);
    figures.append(fig);
  }
  await showCompare(reply.compare, reply.label, s.compare && scoreLabel(s.compare));
  $('download-csv').disabled = false;
  $('download-json').disabled = false;
}

/**
 * The comparison's best cells: the lowest W2 and (metric kl or both) the lowest KL(sampler ‖ data),
 * each with the other numbers of its cell (KL(data ‖ sampler), the mean error).
 */
function compareSummary(result) {
  const fmt = (x) => (x === null ? '∞ or undefined' : x.toPrecision(4));
  const name = (c) => `${c.sampler} on ${c.scheduler}, N = ${c.steps} (NFE ${c.nfe})`;
  const numbers = (c) => [
    ...(result.metric !== 'kl' ? [`W2 ${fmt(c.w2)}`] : []),
    ...(c.kl ? [`KL(sampler ‖ data) ${fmt(c.kl.forward)}`, `KL(data ‖ sampler) ${fmt(c.kl.reverse)}`] : []),
    ...(c.meanError !== undefined ? [`mean error ${fmt(c.meanError)}`] : []),
  ].join(', ');
  const lowest = (get) => result.cells.filter((c) => get(c) !== null).reduce((a, c) => (a === undefined || get(c) < get(a) ? c : a), undefined);
  const lines = [];
  if (result.metric !== 'kl') {
    const c = lowest((x) => x.w2);
    lines.push(c ? `Lowest W2: ${name(c)}: ${numbers(c)}.` : 'No finite W2.');
  }
  if (result.metric !== 'w2') {
    const c = lowest((x) => x.kl.forward);
    lines.push(c ? `Lowest KL(sampler ‖ data): ${name(c)}: ${numbers(c)}.` : 'No finite KL(sampler ‖ data).');
  }
  return lines.join(' ');
}

/** The samplers' comparison: compare's table (the CLI's Markdown rendering) and W2 against NFE. */
async function showCompare(result, label, score) {
  const figure = $('compare-figure');
  figure.replaceChildren();
  $('compare-table').replaceChildren();
  $('compare-summary').textContent = '';
  delete state.svgs.nfe;
  if (!result) {
    $('compare-caption').textContent = 'The samplers\' comparison is switched off.';
    return;
  }
  const start = result.start === 'exact' ? 'exact' : 'conventional';
  const [caption, ...rest] = renderCompare({ ...result, start }, 'md', { spectrum: label, ...(score ? { score } : {}) }).split('\n');
  $('compare-caption').textContent = caption;
  $('compare-table').innerHTML = markdownTableToHtml(rest.join('\n'));
  $('compare-summary').textContent = compareSummary(result);
  const data = nfeFigureOf(result);
  const svg = await fittedFigure(data, figure.clientWidth || PANEL_WIDTH);
  state.svgs.nfe = svg;
  const fig = document.createElement('figure');
  fig.dataset.kind = 'nfe';
  const cap = document.createElement('figcaption');
  cap.textContent = data.title;
  for (const [text, body, type, ext] of [['SVG', svg, 'image/svg+xml', 'svg'], ['CSV', renderCompare({ ...result, start }, 'csv', {}), 'text/csv', 'csv']]) {
    const b = document.createElement('button');
    b.type = 'button';
    b.textContent = text;
    b.addEventListener('click', () => download(`gaussdiff-samplers.${ext}`, body, type));
    cap.append(b);
  }
  fig.append(cap);
  fig.insertAdjacentHTML('beforeend', svg);
  figure.append(fig);
}

function cancel() {
  state.status = 'cancelled';
  clock?.stop();
  for (const [, p] of pending) p.reject(new Error('cancelled'));
  pending.clear();
  worker.terminate();
  setStatus('Cancelled.', { progress: 0 });
  $('cancel').disabled = true;
  const source = state.source;
  startWorker().then(() => source && load(source));
}

function buildSchemes() {
  $('schemes').innerHTML = SCHEMES.map((s) =>
    `<label class="check"><input type="checkbox" id="scheme-${s}"${PAPER_SCHEMES.includes(s) ? ' checked' : ''}> ${SCHEME_LABELS[s]}</label>`).join('');
}

/** Library samplers that run on a model, in registry order. */
function samplersOf(model) {
  return Object.values(SAMPLER_REGISTRY).filter((s) => s.processes.includes(model));
}

/** Grid builders for a model, in registry order. */
function schedulersOf(model) {
  return Object.values(SCHEDULERS).filter((g) => g.processes.includes(model));
}

const escapeText = (t) => String(t).replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/"/g, '&quot;');

/** The model picker: every forward process some library sampler runs on (default: the first sampler's). */
function buildModels() {
  const models = Object.values(PROCESSES).filter((p) => samplersOf(p.id).length > 0);
  $('model').innerHTML = models.map((p) => `<option value="${p.id}">${escapeText(p.id)} — ${escapeText(p.label)}</option>`).join('');
  const first = Object.values(SAMPLER_REGISTRY)[0];
  if (first) $('model').value = first.processes[0];
  buildSamplerPickers();
}

/** Sampler and grid-builder checkboxes for the chosen model: every sampler checked, the first one's default grid. */
function buildSamplerPickers() {
  const model = $('model').value;
  const samplers = samplersOf(model);
  $('sampler-list').innerHTML = samplers.map((s) =>
    `<label class="check" title="${escapeText(s.label)}"><input type="checkbox" id="sampler-${s.id}" checked> ${escapeText(s.id)}</label>`).join('');
  const grids = schedulersOf(model);
  const defaultGrid = samplers.find((s) => grids.some((g) => g.id === s.defaultScheduler))?.defaultScheduler ?? grids[0]?.id;
  $('scheduler-list').innerHTML = grids.map((g) =>
    `<label class="check" title="${escapeText(g.label)}"><input type="checkbox" id="grid-${g.id}"${g.id === defaultGrid ? ' checked' : ''}> ${escapeText(g.id)}</label>`).join('');
  for (const s of samplers) $(`sampler-${s.id}`).addEventListener('change', buildParams);
  buildParams();
}

/**
 * An input per parameter of each chosen sampler (its spec's params, its defaults; the size
 * parameter of samplers with their own grid is the steps list). Values typed before are kept.
 */
function buildParams() {
  const previous = new Map([...$('sampler-params').querySelectorAll('[data-param]')].map((el) => [el.id, el.type === 'checkbox' ? el.checked : el.value]));
  const box = $('sampler-params');
  box.replaceChildren();
  for (const s of samplersOf($('model').value)) {
    if (!$(`sampler-${s.id}`).checked) continue;
    const size = ownGridStepsParam(s.id);
    for (const p of s.params) {
      if (p.name === size) continue;
      const id = `param-${s.id}-${p.name}`;
      const label = document.createElement('label');
      label.title = p.doc;
      label.append(`${s.id}.${p.name} `);
      let input;
      if (p.type === 'choice') {
        input = document.createElement('select');
        for (const c of p.choices) input.append(new Option(c, c));
        input.value = previous.get(id) ?? p.default;
      } else if (p.type === 'boolean') {
        input = document.createElement('input');
        input.type = 'checkbox';
        input.checked = previous.get(id) ?? p.default;
      } else {
        input = document.createElement('input');
        input.type = 'text';
        input.value = previous.get(id) ?? String(p.default);
      }
      input.id = id;
      input.dataset.param = p.name;
      input.dataset.sampler = s.id;
      label.append(input);
      box.append(label);
    }
  }
  if (!box.childElementCount) box.textContent = 'No parameters.';
}

function wire() {
  buildSchemes();
  buildModels();
  $('model').addEventListener('change', buildSamplerPickers);
  $('file').addEventListener('change', () => {
    const f = $('file').files?.[0];
    if (f) loadFile(f);
  });
  // The file is read as the Kind says: a new Kind reads the chosen (or dropped) file again.
  $('input-kind').addEventListener('change', () => {
    if (state.file && state.status !== 'starting') loadFile(state.file);
  });
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => {
    e.preventDefault();
    drop.classList.add('over');
  });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => {
    e.preventDefault();
    drop.classList.remove('over');
    const f = e.dataTransfer?.files?.[0];
    if (f) loadFile(f);
  });
  // An example replaces the chosen file: Kind no longer applies to anything.
  for (const name of ['synthetic', 'mnist']) {
    $(`example-${name}`).addEventListener('click', () => {
      state.file = undefined;
      load({ kind: 'example', name });
    });
  }
  $('score-file').addEventListener('change', async () => {
    const f = $('score-file').files?.[0];
    state.scoreFile = f ? { name: f.name, bytes: await f.arrayBuffer() } : undefined;
    if (f) $('score-kind').value = 'file';
  });
  $('score-cov-file').addEventListener('change', async () => {
    const f = $('score-cov-file').files?.[0];
    state.scoreCovFile = f ? { name: f.name, bytes: await f.arrayBuffer() } : undefined;
    if (f) $('score-kind').value = 'cov';
  });
  $('compute').addEventListener('click', compute);
  $('cancel').addEventListener('click', cancel);
  $('download-csv').addEventListener('click', () => download('gaussdiff-ablation.csv', state.result.csv, 'text/csv'));
  $('download-json').addEventListener('click', () => download('gaussdiff-results.json', state.result.json, 'application/json'));
  $('beta-min').value = DEFAULTS.betaMin;
  $('beta-max').value = DEFAULTS.betaMax;
  $('T').value = DEFAULTS.T;
}

wire();
startWorker().then(
  (m) => {
    state.texture = m.texture;
    state.linalgThreads = m.linalgThreads;
    if (!m.texture) $('input-kind').querySelector('option[value="texture"]').disabled = true;
    state.status = 'ready';
    const threads = m.linalgThreads === 2 ? '2 threads' : `1 thread${crossOriginIsolated ? '' : ' (2 need a cross-origin isolated page)'}`;
    setStatus(`Ready: load data or pick an example. Eigensolver: ${threads}.`);
  },
  (e) => fail(`Could not start: ${e.message}`),
);
