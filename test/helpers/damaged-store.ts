import fs from 'node:fs';
import Database from 'better-sqlite3';

/**
 * Writes garbage over one page in the middle of `table` in the SQLite file `file` (a leaf page, so that reading
 * every row of the table meets it), as a stray write or a failing disk would. The file must not be open elsewhere
 * (its WAL is checkpointed when the last connection closes).
 */
export function damagePage(file: string, table: string): void {
  const db = new Database(file, { fileMustExist: true });
  let page: number;
  let pageSize: number;
  try {
    const pages = db.prepare("SELECT pageno FROM dbstat WHERE name = ? AND pagetype = 'leaf' ORDER BY pageno").pluck().all(table) as number[];
    if (pages.length === 0) throw new Error(`no leaf page of ${table} in ${file}`);
    page = pages[Math.floor(pages.length / 2)]!;
    pageSize = db.pragma('page_size', { simple: true }) as number;
  } finally {
    db.close();
  }
  const fd = fs.openSync(file, 'r+');
  try {
    fs.writeSync(fd, Buffer.alloc(pageSize, 'garbage!'), 0, pageSize, (page - 1) * pageSize);
  } finally {
    fs.closeSync(fd);
  }
}
