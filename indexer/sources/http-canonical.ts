import normalizeUrl from 'normalize-url';

/**
 * Query parameters that say how a reader arrived (campaign and click trackers), never which article: left out so
 * that the same article linked from two feeds is one URL, and so one id.
 */
const TRACKERS = [/^utm_\w+/i, /^(?:fbclid|gclid|dclid|msclkid|mc_cid|mc_eid|igshid|_ga|_hsenc|_hsmi|cmpid|ocid)$/i];

/**
 * The canonical form of an article URL (normalize-url): host lower-cased, default port, fragment, trackers and a
 * trailing slash left out, query parameters sorted; `www.` and the scheme are kept (they may name other sites).
 * A URL that cannot be read is returned as it is (validation then names it).
 */
export function canonicalUrl(url: string): string {
  try {
    return normalizeUrl(url, { stripWWW: false, stripHash: true, removeQueryParameters: TRACKERS, sortQueryParameters: true, defaultProtocol: 'https' });
  } catch {
    return url;
  }
}
