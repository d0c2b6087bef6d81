/**
 * DOT → SVG by Graphviz compiled to WebAssembly, SVG → PNG by resvg. Both modules are large (the
 * wasm build alone is megabytes), so they are imported here, on first use, by the graph verb only:
 * every other one-shot verb starts without them.
 */
import { ClabBotError } from '../errors.js';

/** A PNG is kept under this many pixels on its longer side (Slack previews scale anything bigger down anyway). */
export const MAX_PNG_SIDE = 8000;
/** Pixels per SVG point for an ordinary lab: sharp on high-density screens. */
const PNG_ZOOM = 2;

export class GraphRenderError extends ClabBotError {
  constructor(what: string, cause: unknown) {
    super('internal', `could not ${what}: ${cause instanceof Error ? cause.message : String(cause)}`, {
      hint: 'try --output dot or --output mermaid, which need no renderer',
      cause,
    });
  }
}

let graphviz: Promise<{ dot(src: string, format?: 'svg'): string }> | undefined;

export async function dotToSvg(dot: string): Promise<string> {
  try {
    graphviz ??= import('@hpcc-js/wasm-graphviz').then((m) => m.Graphviz.load());
    return (await graphviz).dot(dot, 'svg');
  } catch (err) {
    graphviz = undefined;
    throw new GraphRenderError('lay out the graph', err);
  }
}

export async function svgToPng(svg: string): Promise<Buffer> {
  try {
    const { Resvg } = await import('@resvg/resvg-js');
    const probe = new Resvg(svg, { font: { loadSystemFonts: false } });
    const side = Math.max(probe.width, probe.height, 1);
    const zoom = Math.min(PNG_ZOOM, MAX_PNG_SIDE / side);
    const png = new Resvg(svg, {
      fitTo: { mode: 'zoom', value: zoom },
      background: '#ffffff',
      font: { loadSystemFonts: true, defaultFontFamily: 'DejaVu Sans', sansSerifFamily: 'DejaVu Sans' },
    });
    return png.render().asPng();
  } catch (err) {
    throw new GraphRenderError('render the PNG', err);
  }
}
