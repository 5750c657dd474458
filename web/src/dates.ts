/**
 * The one date format of the pages, `15 Jun 2026` (day, English month abbreviation, year; UTC), for showing and for
 * typing in the search form's date fields. Pure: no DOM, so that it is unit-tested under Node.
 */

const DAY = new Intl.DateTimeFormat('en-GB', { day: 'numeric', month: 'short', year: 'numeric', timeZone: 'UTC' });
const MONTH = new Intl.DateTimeFormat('en-GB', { month: 'short', year: 'numeric', timeZone: 'UTC' });

/** Month names and abbreviations people type, lower case, to their number (1–12). */
const MONTHS: ReadonlyMap<string, number> = new Map(
  ['january', 'february', 'march', 'april', 'may', 'june', 'july', 'august', 'september', 'october', 'november', 'december'].flatMap(
    (name, i) => [[name, i + 1], [name.slice(0, 3), i + 1], ...(name === 'september' ? [['sept', 9] as [string, number]] : [])] as [string, number][],
  ),
);

/** An instant as `15 Jun 2026` (UTC), or '' when absent or unreadable. */
export function formatDate(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : DAY.format(date);
}

/** A day `YYYY-MM-DD` as `15 Jun 2026`, or '' for anything else. */
export function formatDay(day: string): string {
  return /^\d{4}-\d{2}-\d{2}$/.test(day) ? formatDate(`${day}T00:00:00Z`) : '';
}

/** A month `YYYY-MM` as `Jun 2026`. */
export function formatMonth(month: string): string {
  return MONTH.format(new Date(`${month}-01T00:00:00Z`));
}

/** `YYYY-MM-DD` when year, month and day make a real day (no 31 Jun), else undefined. */
function isoDay(year: number, month: number, day: number): string | undefined {
  if (!Number.isInteger(year) || year < 1000 || year > 9999 || month < 1 || month > 12 || day < 1) return undefined;
  const date = new Date(Date.UTC(year, month - 1, day));
  if (date.getUTCMonth() !== month - 1 || date.getUTCDate() !== day) return undefined;
  return `${String(year)}-${String(month).padStart(2, '0')}-${String(day).padStart(2, '0')}`;
}

/**
 * Reads a day typed in a date field, as `YYYY-MM-DD`: `15 Jun 2026` (any case, full month names, `Sept`, commas
 * and a trailing dot allowed), `Jun 15, 2026`, `2026-06-15` and `15/06/2026` (day first, as in the house
 * format). '' for an empty field; undefined for anything else, or a day that does not exist.
 */
export function parseDay(text: string): string | undefined {
  const t = text.trim().toLowerCase().replace(/,/g, ' ').replace(/\s+/g, ' ');
  if (t === '') return '';
  let m = /^(\d{4})-(\d{1,2})-(\d{1,2})$/.exec(t);
  if (m) return isoDay(Number(m[1]), Number(m[2]), Number(m[3]));
  m = /^(\d{1,2})[/.](\d{1,2})[/.](\d{4})$/.exec(t);
  if (m) return isoDay(Number(m[3]), Number(m[2]), Number(m[1]));
  m = /^(\d{1,2}) ([a-z]+)\.? (\d{4})$/.exec(t);
  if (m) return isoDay(Number(m[3]), MONTHS.get(m[2] ?? '') ?? 0, Number(m[1]));
  m = /^([a-z]+)\.? (\d{1,2}) (\d{4})$/.exec(t);
  if (m) return isoDay(Number(m[3]), MONTHS.get(m[1] ?? '') ?? 0, Number(m[2]));
  return undefined;
}
