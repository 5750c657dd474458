/**
 * ISO 8601 dates as the service accepts them: `YYYY-MM-DD` (midnight UTC) or `YYYY-MM-DDThh:mm[:ss[.fff]]` with
 * `Z` or an offset such as `+02:00`; a date-time without an offset is read as UTC, never as the machine's local
 * time, so that every machine stores the same instant. Impossible days (`2026-02-30`) are refused, not rolled over.
 */
const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,9}))?)?(Z|[+-]\d{2}:?\d{2})?)?$/;

/** Milliseconds since the epoch, or undefined when `text` is not such a date. */
export function parseIsoDate(text: string): number | undefined {
  const m = PATTERN.exec(text.trim());
  if (!m) return undefined;
  const [, y, mo, d, h = '00', mi = '00', s = '00', frac = '0', zone = 'Z'] = m;
  const year = Number(y);
  const month = Number(mo);
  const day = Number(d);
  const probe = new Date(Date.UTC(year, month - 1, day));
  if (probe.getUTCFullYear() !== year || probe.getUTCMonth() !== month - 1 || probe.getUTCDate() !== day) return undefined;
  if (Number(h) > 23 || Number(mi) > 59 || Number(s) > 59) return undefined;
  const offset = zone === 'Z' ? 'Z' : `${zone.slice(0, 3)}:${zone.slice(-2)}`;
  const ms = Date.parse(`${y}-${mo}-${d}T${h}:${mi}:${s}.${frac.padEnd(3, '0').slice(0, 3)}${offset}`);
  return Number.isNaN(ms) ? undefined : ms;
}

/** Whether `text` is a date-only value (it then stands for its whole UTC day in a range's upper bound). */
export const isDateOnly = (text: string): boolean => /^\d{4}-\d{2}-\d{2}$/.test(text.trim());

/** The message for a value that {@link parseIsoDate} refuses. */
export const ISO_DATE_MESSAGE = 'must be a real ISO 8601 date such as 2026-03-14 or 2026-03-14T09:30:00Z';

const DAY_MS = 86_400_000;

/**
 * An inclusive date range in ms since the epoch, from ISO 8601 bounds (either may be absent); a date without a time
 * covers its whole UTC day as the upper bound (`to=2026-03-14` includes 23:59:59.999). An unparseable bound gives
 * NaN, which no date passes.
 */
export function inclusiveRange(from: string | undefined, to: string | undefined): { from?: number; to?: number } {
  const start = from === undefined ? undefined : (parseIsoDate(from) ?? Number.NaN);
  const end = to === undefined ? undefined : (parseIsoDate(to) ?? Number.NaN) + (isDateOnly(to) ? DAY_MS - 1 : 0);
  return { ...(start === undefined ? {} : { from: start }), ...(end === undefined ? {} : { to: end }) };
}
