import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';

/** A server of the test's own on 127.0.0.1, and how to stop it. */
export interface TestServer {
  readonly origin: string;
  readonly close: () => Promise<void>;
}

function listen(server: http.Server): Promise<TestServer> {
  return new Promise((resolve) => {
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as AddressInfo;
      resolve({
        origin: `http://127.0.0.1:${port}`,
        close: () => new Promise((done) => {
          server.closeAllConnections();
          server.close(() => done());
        }),
      });
    });
  });
}

/** How a host page embeds the widget, beyond its address and article. */
export interface HostPageOptions {
  /** More attributes of its script tag, such as `data-api-key="…"`. */
  readonly attributes?: string;
  /** More CSS of the host page (custom properties for the widget, say). */
  readonly style?: string;
  /** Height of the story text above the widget, in pixels: a tall one puts the widget far below the fold. */
  readonly storyHeightPx?: number;
}

/**
 * A news site's article page on its own origin, embedding the widget as the README says. Its styles are hostile on
 * purpose (serif purple text, red links, capitals in headings), to show that none reach into the widget but its
 * font, and that the widget's own styles do not reach the host's list.
 */
export function hostPage(widgetSrc: string, articleId: string, options: HostPageOptions = {}): string {
  const { attributes = '', style = '', storyHeightPx } = options;
  return `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>A news site</title><link rel="icon" href="data:,">
<style>
  body { font-family: Georgia, serif; color: #4b0082; font-size: 20px; }
  a { color: #c00000 !important; }
  h2 { text-transform: uppercase; }
  #story { min-height: ${storyHeightPx ?? 0}px; }
  ${style}
</style></head>
<body><main>
  <h1>Harbour news</h1>
  <p id="story">The host page's own story text.</p>
  <ul id="host-list"><li>A host list item</li><li>Another</li></ul>
  <script src="${widgetSrc}" data-article-id="${articleId}"${attributes ? ` ${attributes}` : ''} async></script>
</main></body></html>`;
}

/** Serves host pages by path: `pages` maps a path to its HTML. */
export function startHostSite(pages: () => Record<string, string>): Promise<TestServer> {
  return listen(
    http.createServer((req, res) => {
      const page = pages()[req.url ?? ''];
      if (page === undefined) {
        res.writeHead(404, { 'Content-Type': 'text/plain' }).end('not found');
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' }).end(page);
    }),
  );
}

/**
 * An origin that serves a copy of widget.js (as a CDN would) but whose API is down: every other request has its
 * connection closed without an answer.
 */
export function startDeadApi(widgetFile: string): Promise<TestServer> {
  return listen(
    http.createServer((req, res) => {
      if (req.url === '/widget.js') {
        res.writeHead(200, { 'Content-Type': 'application/javascript' }).end(fs.readFileSync(widgetFile));
        return;
      }
      req.socket.destroy();
    }),
  );
}
