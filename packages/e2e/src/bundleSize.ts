import { explore } from 'source-map-explorer';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';

export interface BundleFigures {
  jsBytes: number;
  jsGzipBytes: number;
  cssBytes: number;
  /** Bytes of the app's JavaScript that come from plugins/devlake/src. */
  pluginOwnBytes: number;
  /** Bytes from the chart library and its own dependencies (only the plugin uses them). */
  chartLibraryBytes: number;
}

const chartPackages = /node_modules\/(recharts|recharts-scale|react-smooth|victory-vendor|d3-[a-z-]+|internmap|decimal\.js-light|fast-equals)\//;

/** The production bundle's size, and what @fawkes/plugin-devlake adds to it (from source maps). */
export async function measureBundle(distDir: string): Promise<BundleFigures> {
  const staticDir = join(distDir, 'static');
  const files = readdirSync(staticDir);
  const js = files.filter(f => f.endsWith('.js'));
  let jsBytes = 0;
  let jsGzipBytes = 0;
  for (const file of js) {
    const content = readFileSync(join(staticDir, file));
    jsBytes += content.length;
    jsGzipBytes += gzipSync(content).length;
  }
  const cssBytes = files.filter(f => f.endsWith('.css')).reduce((sum, f) => sum + statSync(join(staticDir, f)).size, 0);

  const withMaps = js.filter(f => files.includes(`${f}.map`)).map(f => join(staticDir, f));
  const result = await explore(withMaps, { output: { format: 'json' }, noBorderChecks: true });
  let pluginOwnBytes = 0;
  let chartLibraryBytes = 0;
  for (const bundle of result.bundles) {
    for (const [source, { size }] of Object.entries(bundle.files)) {
      if (/plugins\/devlake\/src\//.test(source)) pluginOwnBytes += size;
      else if (chartPackages.test(source)) chartLibraryBytes += size;
    }
  }
  return { jsBytes, jsGzipBytes, cssBytes, pluginOwnBytes, chartLibraryBytes };
}
