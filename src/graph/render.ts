/**
 * DOT → SVG by Graphviz compiled to WebAssembly, SVG → PNG by resvg, in a worker thread: the
 * layout of a large lab and the rasterising are synchronous and can take seconds, which must not
 * stall the bot's event loop (Slack's Socket Mode pings, other users' requests). The worker loads
 * both modules from node_modules; nothing else in clab-bot imports them, so every other verb starts
 * without them.
 */
import { createRequire } from 'node:module';
import { pathToFileURL } from 'node:url';
import { Worker } from 'node:worker_threads';
import { ClabBotError } from '../errors.js';

/** A PNG is kept under this many pixels on its longer side (Slack previews scale anything bigger down anyway). */
export const MAX_PNG_SIDE = 8000;
/** Pixels per SVG point for an ordinary lab: sharp on high-density screens. */
const PNG_ZOOM = 2;
/** A layout that takes longer is abandoned (the worker is terminated): a picture is never worth a stuck bot. */
export const RENDER_TIMEOUT_MS = 120_000;

export class GraphRenderError extends ClabBotError {
  constructor(what: string, detail: string) {
    super('internal', `could not ${what}: ${detail}`, { hint: 'try --output dot or --output mermaid, which need no renderer' });
  }
}

/** Runs in the worker (CommonJS eval): lays out, then rasterises when asked; replies once. */
const WORKER = `
const { parentPort, workerData: w } = require('node:worker_threads');
(async () => {
  const { Graphviz } = await import(w.graphvizUrl);
  const svg = (await Graphviz.load()).dot(w.dot, 'svg');
  if (w.format === 'svg') return parentPort.postMessage({ ok: true, bytes: Buffer.from(svg, 'utf8') });
  const { Resvg } = require(w.resvgPath);
  const probe = new Resvg(svg, { font: { loadSystemFonts: false } });
  const zoom = Math.min(w.zoom, w.maxSide / Math.max(probe.width, probe.height, 1));
  const png = new Resvg(svg, {
    fitTo: { mode: 'zoom', value: zoom },
    background: '#ffffff',
    font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
  }).render().asPng();
  parentPort.postMessage({ ok: true, bytes: png });
})().catch((err) => parentPort.postMessage({ ok: false, message: err && err.message ? err.message : String(err) }));
`;

/** The picture of a DOT graph as SVG text bytes or a PNG. */
export function renderDot(dot: string, format: 'svg' | 'png'): Promise<Buffer> {
  const require = createRequire(import.meta.url);
  let workerData: Record<string, unknown>;
  try {
    workerData = {
      dot,
      format,
      graphvizUrl: pathToFileURL(require.resolve('@hpcc-js/wasm-graphviz')).href,
      resvgPath: require.resolve('@resvg/resvg-js'),
      zoom: PNG_ZOOM,
      maxSide: MAX_PNG_SIDE,
    };
  } catch (err) {
    return Promise.reject(new GraphRenderError('find the renderer', `${(err as Error).message} (run npm ci)`));
  }
  const what = format === 'svg' ? 'lay out the graph' : 'draw the PNG';
  return new Promise((resolve, reject) => {
    // No --import loaders: the worker runs plain JavaScript.
    const worker = new Worker(WORKER, { eval: true, workerData, execArgv: [] });
    const timer = setTimeout(() => {
      void worker.terminate();
      reject(new GraphRenderError(what, `it took longer than ${RENDER_TIMEOUT_MS / 1000} s; draw fewer nodes (a selector such as --lab or --group)`));
    }, RENDER_TIMEOUT_MS);
    worker.once('message', (m: { ok: true; bytes: Uint8Array } | { ok: false; message: string }) => {
      clearTimeout(timer);
      void worker.terminate();
      if (m.ok) resolve(Buffer.from(m.bytes.buffer, m.bytes.byteOffset, m.bytes.byteLength));
      else reject(new GraphRenderError(what, m.message));
    });
    worker.once('error', (err) => {
      clearTimeout(timer);
      reject(new GraphRenderError(what, err.message));
    });
    worker.once('exit', (code) => {
      clearTimeout(timer);
      reject(new GraphRenderError(what, `the renderer stopped (exit code ${code})`));
    });
  });
}
