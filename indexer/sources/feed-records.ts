import fs from 'node:fs';
import { decodeHTMLStrict } from 'entities';
import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import { feedItemToRecord, hasFullText } from './feed-items.js';
import type { OpenItem } from './feed-state.js';
import { FeedState } from './feed-state.js';
import { keepValidOptionals } from './optional-fields.js';
import type { ReadContext } from './read-context.js';
import { meteredChunks } from './read-context.js';
import { StrayAmpersands } from './stray-ampersands.js';
import type { XmlEncoding } from './xml-encoding.js';
import { sniffXmlEncoding, xmlDecoder } from './xml-encoding.js';

/**
 * Document elements of the feeds this reader reads (resolved names: a prefixed `<rss:rss>` is `rss`; `channel` is
 * CDF's, see feed-state.ts).
 */
const FEED_ROOTS = new Set(['rss', 'feed', 'atom:feed', 'rdf:RDF', 'channel']);

/**
 * XML knows five named entities; feeds written by hand or by HTML tools use HTML's (`&eacute;`, `&nbsp;`). They are
 * read as HTML defines them rather than failing the item; a name HTML does not define stays an XML error.
 */
function withHtmlEntities(entities: Record<string, string>): Record<string, string> {
  return new Proxy(entities, {
    get(target, name) {
      if (typeof name !== 'string') return undefined;
      const known = target[name];
      if (known !== undefined) return known;
      const decoded = decodeHTMLStrict(`&${name};`);
      return decoded === `&${name};` ? undefined : decoded;
    },
  });
}

/** How an encoding is named in messages. */
const encodingName = (e: XmlEncoding | undefined): string =>
  e?.unknownDeclared === undefined ? (e?.encoding ?? 'utf-8').toUpperCase() : `UTF-8 (its declared ${e.unknownDeclared} is unknown)`;

/**
 * An item as a record: rejected with saxes' first message when it holds malformed XML, or when it holds bytes
 * invalid in the file's encoding (`invalid` says whether the file has any, so a real U+FFFD is not mistaken for
 * one); else a raw article.
 */
function itemRecord(ctx: FeedReadContext, item: OpenItem, feedTitle: string | undefined, invalid: XmlEncoding | undefined): SourceRecord {
  const base = { source: ctx.source, location: `${ctx.label}:${item.line} (item ${item.index + 1})` };
  if (item.errors.length > 0) return { ...base, value: undefined, parseError: `malformed XML: ${item.errors[0]}` };
  if (invalid !== undefined && [...item.fields.values()].some((vs) => vs.some((v) => v.text.includes('\uFFFD')))) {
    return { ...base, value: undefined, parseError: `the item holds bytes that are not valid ${encodingName(invalid)}` };
  }
  const feedItem = { kind: item.kind, fields: item.fields };
  const { value, warnings } = keepValidOptionals(feedItemToRecord(feedItem, feedTitle));
  const record = warnings.length === 0 ? { ...base, value } : { ...base, value, warnings };
  if (!hasFullText(feedItem)) ctx.summaryOnly?.add(record);
  return record;
}

/**
 * A feed reader's context; `summaryOnly` collects the records of items that carry no full text (a summary or a
 * link); `base` is the URL the feed was fetched from, against which its relative links are resolved.
 */
export interface FeedReadContext extends ReadContext {
  readonly summaryOnly?: WeakSet<SourceRecord>;
  readonly base?: string;
}

/**
 * An RSS 0.9x/1.0/2.0 or Atom 0.3/1.0 feed file, streamed through saxes (a strict, well-formedness-checking XML
 * parser) after its encoding is found (xml-encoding.ts: BOM, then the XML declaration) and its stray `&` are
 * escaped (stray-ampersands.ts: one raw `&` would otherwise swallow the rest of the file): each item or entry is a
 * record located as `file:line (item n)`. An item holding malformed XML is rejected with saxes' message and the
 * parse goes on with the next one; an item the file ends inside is rejected as cut off, and so is an item holding
 * bytes invalid in the file's encoding (its neighbours stand). Malformed XML outside any item, or a document that
 * is not a feed, is one rejected record for the file (the items read before it stand).
 */
export function readFeed(file: string, ctx: FeedReadContext): AsyncGenerator<SourceRecord> {
  return readFeedChunks(fs.createReadStream(file) as AsyncIterable<Buffer>, ctx);
}

/** A feed's records from its bytes, as {@link readFeed} reads a file (an HTTP response's body, say). */
export async function* readFeedChunks(chunks: AsyncIterable<Buffer>, ctx: FeedReadContext): AsyncGenerator<SourceRecord> {
  const ready: SourceRecord[] = [];
  const parser = new SaxesParser({ position: true });
  parser.ENTITIES = withHtmlEntities(parser.ENTITIES);
  let encoding: XmlEncoding | undefined;
  let invalid: XmlEncoding | undefined; // set once a byte invalid in the file's encoding was met
  const state = new FeedState((item, feedTitle) => ready.push(itemRecord(ctx, item, feedTitle, invalid)), ctx.base);
  parser.on('opentag', (tag) => state.open(tag as SaxesTagPlain, parser.line));
  parser.on('text', (t) => state.text(t));
  parser.on('cdata', (t) => state.text(t));
  parser.on('closetag', (tag) => state.close(tag.name));
  parser.on('error', (e) => state.error(e.message));
  const ampersands = new StrayAmpersands();
  let decoders: { lenient: ReturnType<typeof xmlDecoder>; strict: ReturnType<typeof xmlDecoder> } | undefined;
  /** Decodes leniently (bad bytes → U+FFFD, so that one bad item is not the whole file's loss) and notes bad bytes. */
  const decode = (bytes?: Uint8Array, stream = true): string => {
    const text = decoders!.lenient.decode(bytes, { stream });
    if (invalid === undefined) {
      try {
        decoders!.strict.decode(bytes, { stream });
      } catch {
        invalid = encoding;
      }
    }
    return text;
  };
  try {
    for await (const chunk of meteredChunks(chunks, ctx)) {
      let bytes: Uint8Array = chunk;
      if (decoders === undefined) {
        encoding = sniffXmlEncoding(chunk);
        decoders = { lenient: xmlDecoder(encoding, false), strict: xmlDecoder(encoding) };
        bytes = chunk.subarray(encoding.bomLength);
      }
      parser.write(ampersands.push(decode(bytes)));
      yield* ready.splice(0);
    }
    parser.write(ampersands.push(decoders === undefined ? '' : decode(undefined, false), true));
    parser.close();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error; // UTF-32's decoder is strict: its error is a TypeError
    yield* ready.splice(0);
    yield { source: ctx.source, location: `${ctx.label}:${parser.line}`, value: undefined, parseError: `the file is not valid ${encodingName(encoding)}` };
    return;
  }
  if (state.item !== undefined) {
    state.item.errors.unshift('the file ends inside this item (cut off)');
    state.finishItem();
  }
  yield* ready.splice(0);
  const where = `${ctx.label}:${parser.line}`;
  if (!FEED_ROOTS.has(state.root ?? '')) {
    yield { source: ctx.source, location: where, value: undefined, parseError: `not an RSS (0.9x, 1.0, 2.0) or Atom feed (root element: ${state.root ?? 'none'})` };
  } else if (state.outsideError !== undefined && state.itemErrors === 0) {
    const read = state.items === 0 ? '' : ` (its ${state.items} items were read)`;
    yield { source: ctx.source, location: ctx.label, value: undefined, parseError: `malformed XML outside any item${read}: ${state.outsideError}` };
  }
}
