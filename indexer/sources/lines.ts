import fs from 'node:fs';

/** One line of a file: its 1-based number and its text, or why it is not valid UTF-8. */
export interface Line {
  readonly number: number;
  readonly text: string;
  readonly invalidUtf8: boolean;
}

const NEWLINE = 0x0a;

/**
 * Streams a file's lines as strictly decoded UTF-8 (memory stays flat whatever the file size). A line that is not
 * valid UTF-8 is flagged rather than silently patched with U+FFFD. A trailing `\r` is dropped; a final line
 * without a newline is still yielded. `onBytes` is told the size of every chunk read.
 */
export function readLines(file: string, onBytes?: (bytes: number) => void): AsyncGenerator<Line> {
  return readLineChunks(fs.createReadStream(file) as AsyncIterable<Buffer>, onBytes);
}

/** The lines of a stream of bytes, as {@link readLines} reads a file's. */
export async function* readLineChunks(chunks: AsyncIterable<Buffer>, onBytes?: (bytes: number) => void): AsyncGenerator<Line> {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let pending: Buffer[] = [];
  let number = 0;
  const emit = (bytes: Buffer): Line => {
    number++;
    const end = bytes.length > 0 && bytes[bytes.length - 1] === 0x0d ? bytes.length - 1 : bytes.length;
    try {
      return { number, text: decoder.decode(bytes.subarray(0, end)), invalidUtf8: false };
    } catch {
      return { number, text: '', invalidUtf8: true };
    }
  };
  for await (const chunk of chunks) {
    onBytes?.(chunk.length);
    let start = 0;
    for (let i = chunk.indexOf(NEWLINE); i !== -1; i = chunk.indexOf(NEWLINE, start)) {
      pending.push(chunk.subarray(start, i));
      yield emit(Buffer.concat(pending));
      pending = [];
      start = i + 1;
    }
    if (start < chunk.length) pending.push(chunk.subarray(start));
  }
  if (pending.length > 0) yield emit(Buffer.concat(pending));
}
