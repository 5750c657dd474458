/** What a reader needs besides the file: how to name records, and where to count bytes read. */
export interface ReadContext {
  /** The source the file belongs to (the path given on the command line), copied onto every record. */
  readonly source: string;
  /** The file's name in record locations (`articles.jsonl`, `pages/a.html`). */
  readonly label: string;
  /** Called with the size of every chunk read (for progress). */
  readonly onBytes?: (bytes: number) => void;
}

/** A readable stream of a file's bytes that reports each chunk to `ctx.onBytes`. */
export async function* meteredChunks(stream: AsyncIterable<Buffer>, ctx: ReadContext): AsyncGenerator<Buffer> {
  for await (const chunk of stream) {
    ctx.onBytes?.(chunk.length);
    yield chunk;
  }
}
