/**
 * The explorer page: settings, file input (picker and drag-and-drop), the worker that computes
 * (web/worker.js), and the results — the ablation table (the CLI's rendering, bin/format.ts) and
 * the figures (the package's renderFigure, drawn with this page's document, at a width that fits
 * the column so that their text keeps its size) — with downloads. While the worker loads or
 * computes, the status line counts the seconds.
 * `window.__explorer` exposes the state for the end-to-end test (test/web.test.ts).
 */
import { SCHEMES, PAPER_SCHEMES, DEFAULTS } from 'gaussdiff';
import { renderFigure, markdownTableToHtml, figureCsv, renderAblation, SCHEME_LABELS } from 'gaussdiff/figures';

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

function settings() {
  const schemes = SCHEMES.filter((s) => $(`scheme-${s}`).checked);
  if (!schemes.length) throw new RangeError('choose at least one scheme');
  return {
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

const STAGE_TEXT = { ablation: 'ablation table', time: 'Figure 1a', eps: 'Figure 1b', eigen: 'Figure 2' };

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
  const stages = ['ablation', ...s.figures];
  $('progress').value = 0;
  const c = startClock(`Computing the ${STAGE_TEXT.ablation}`);
  try {
    const reply = await request({ type: 'compute', settings: s }, 'result', (p) => {
      const at = stages.indexOf(p.stage);
      const fraction = (at + (p.total ? p.done / p.total : 0)) / stages.length;
      c.set(`Computing the ${STAGE_TEXT[p.stage]}${p.stage === 'ablation' && p.total > 1 ? ` (${p.done}/${p.total} cells)` : ''}`, fraction);
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
  const json = JSON.stringify({ ...meta, settings: s, summary: reply.summary, ablation: reply.ablation, figures: reply.figures }, null, 2);
  state.result = { ablation: reply.ablation, figures: reply.figures, meta, csv, json };
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
  $('download-csv').disabled = false;
  $('download-json').disabled = false;
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

function wire() {
  buildSchemes();
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
