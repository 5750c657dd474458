import fs from 'node:fs';
import { SaxesParser } from 'saxes';
import type { SaxesTagPlain } from 'saxes';
import type { SourceRecord } from '../../src/services/ingest-articles.js';
import type { FeedValue } from './feed-items.js';
import { feedItemToRecord } from './feed-items.js';
import type { ReadContext } from './read-context.js';
import { meteredChunks } from './read-context.js';

const ITEM = new Set(['item', 'entry']);
const KEPT_ATTRIBUTES = ['href', 'rel', 'term', 'type', 'isPermaLink'];

/** An item being read: where it starts, its fields so far, and the XML errors met inside it. */
interface OpenItem {
  readonly kind: 'rss' | 'atom';
  readonly index: number;
  readonly line: number;
  readonly fields: Map<string, FeedValue[]>;
  readonly errors: string[];
}

/** The state of one feed file's parse, fed by saxes events. */
class FeedState {
  readonly ready: SourceRecord[] = [];
  feedTitle: string | undefined;
  root: string | undefined;
  items = 0;
  itemErrors = 0;
  outsideError: string | undefined;
  private item: OpenItem | undefined;
  private depth = 0;
  private itemDepth = 0;
  private field: { name: string; attributes: Record<string, string>; text: string; xhtml: boolean } | undefined;
  /** The element open directly inside the current field (Atom `<author><name>`: only the name is kept). */
  private child: string | undefined;
  private titleDepth = -1;

  constructor(private readonly ctx: ReadContext) {}

  open(tag: SaxesTagPlain, line: number): void {
    this.depth++;
    this.root ??= tag.name;
    if (this.item === undefined && ITEM.has(tag.name)) {
      this.item = { kind: tag.name === 'entry' ? 'atom' : 'rss', index: this.items++, line, fields: new Map(), errors: [] };
      this.itemDepth = this.depth;
    } else if (this.item !== undefined && this.field === undefined && this.depth === this.itemDepth + 1) {
      const attributes = Object.fromEntries(KEPT_ATTRIBUTES.filter((a) => tag.attributes[a] !== undefined).map((a) => [a, tag.attributes[a]!]));
      this.field = { name: tag.name, attributes, text: '', xhtml: attributes['type'] === 'xhtml' };
    } else if (this.field?.xhtml) {
      this.field.text += `<${tag.name}>`;
    } else if (this.field !== undefined && this.depth === this.itemDepth + 2) {
      this.child = tag.name;
    } else if (this.item === undefined && tag.name === 'title' && this.feedTitle === undefined && this.depth <= 3) {
      this.titleDepth = this.depth;
    }
  }

  text(value: string): void {
    if (this.field?.xhtml) this.field.text += value.replace(/&/g, '&amp;').replace(/</g, '&lt;');
    else if (this.field && (this.child === undefined || this.child === 'name')) this.field.text += value;
    else if (this.titleDepth === this.depth) this.feedTitle = (this.feedTitle ?? '') + value;
  }

  close(name: string): void {
    if (this.field && this.depth === this.itemDepth + 1) {
      const values = this.item!.fields.get(this.field.name) ?? [];
      values.push({ text: this.field.text, attributes: this.field.attributes });
      this.item!.fields.set(this.field.name, values);
      this.field = undefined;
    } else if (this.field?.xhtml) {
      this.field.text += `</${name}>`;
    } else if (this.field !== undefined && this.depth === this.itemDepth + 2) {
      this.child = undefined;
    } else if (this.item !== undefined && this.depth === this.itemDepth) {
      this.finishItem(this.item);
      this.item = undefined;
    }
    if (this.titleDepth === this.depth) {
      this.titleDepth = -1;
      this.feedTitle = this.feedTitle?.trim();
    }
    this.depth--;
  }

  error(message: string): void {
    if (this.item) this.item.errors.push(message);
    else this.outsideError ??= message;
  }

  private finishItem(item: OpenItem): void {
    const base = { source: this.ctx.source, location: `${this.ctx.label}:${item.line} (item ${item.index + 1})` };
    if (item.errors.length > 0) {
      this.itemErrors++;
      this.ready.push({ ...base, value: undefined, parseError: `malformed XML: ${item.errors[0]}` });
    } else {
      this.ready.push({ ...base, value: feedItemToRecord({ kind: item.kind, fields: item.fields }, this.feedTitle) });
    }
  }
}

/**
 * An RSS 2.0 or Atom feed file, streamed through saxes (a strict, well-formedness-checking XML parser): each item
 * or entry is a record located as `file:line (item n)`. An item holding malformed XML is rejected with saxes'
 * message and the parse goes on with the next one; malformed XML outside any item, a file that is not valid
 * UTF-8, or a document that is not a feed, is one rejected record for the file.
 */
export async function* readFeed(file: string, ctx: ReadContext): AsyncGenerator<SourceRecord> {
  const parser = new SaxesParser({ position: true });
  const state = new FeedState(ctx);
  parser.on('opentag', (tag) => state.open(tag as SaxesTagPlain, parser.line));
  parser.on('text', (t) => state.text(t));
  parser.on('cdata', (t) => state.text(t));
  parser.on('closetag', (tag) => state.close(tag.name));
  parser.on('error', (e) => state.error(e.message));
  const decoder = new TextDecoder('utf-8', { fatal: true });
  try {
    for await (const chunk of meteredChunks(fs.createReadStream(file) as AsyncIterable<Buffer>, ctx)) {
      parser.write(decoder.decode(chunk, { stream: true }));
      yield* state.ready.splice(0);
    }
    parser.write(decoder.decode()).close();
  } catch (error) {
    if (!(error instanceof TypeError)) throw error; // TextDecoder's fatal error is a TypeError
    yield* state.ready.splice(0);
    yield { source: ctx.source, location: `${ctx.label}:${parser.line}`, value: undefined, parseError: 'the file is not valid UTF-8' };
    return;
  }
  yield* state.ready.splice(0);
  const where = `${ctx.label}:${parser.line}`;
  if (state.root !== 'rss' && state.root !== 'feed' && state.root !== 'rdf:RDF') {
    yield { source: ctx.source, location: where, value: undefined, parseError: `not an RSS 2.0 or Atom feed (root element: ${state.root ?? 'none'})` };
  } else if (state.outsideError !== undefined && state.itemErrors === 0) {
    yield { source: ctx.source, location: ctx.label, value: undefined, parseError: `malformed XML: ${state.outsideError}` };
  }
}
