import os from 'node:os';
import path from 'node:path';
import { build } from 'esbuild';
import { sizes, WIDGET_BUDGET_GZIP_BYTES, widgetBuildOptions } from '../../web/build.js';

describe('the widget bundle', () => {
  it('when widget.js is built as it is served, then it is at most 6 KB gzipped (its size is printed)', async () => {
    const result = await build({ ...widgetBuildOptions(path.join(os.tmpdir(), 'newsfind-widget-size.js')), write: false });
    const file = result.outputFiles?.[0];
    expect(file).toBeDefined();
    const { raw, gzip } = sizes(file?.contents ?? new Uint8Array());
    console.log(`widget.js: ${raw} B, ${gzip} B gzipped (budget ${WIDGET_BUDGET_GZIP_BYTES} B)`);
    expect(raw).toBeGreaterThan(1000); // the real widget, not an empty bundle
    expect(gzip).toBeLessThanOrEqual(WIDGET_BUDGET_GZIP_BYTES);
  });
});
