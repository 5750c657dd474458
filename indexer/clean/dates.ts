import { parseIsoDate } from '../../src/core/iso-date.js';

/**
 * Dates as feeds and pages write them, read into one instant: ISO 8601 / W3C-DTF (`2026-03-14T09:30:00Z`, with a
 * space instead of `T`, an offset with or without its colon, `2003-12`, `2003`), RFC 822 / 2822 as RSS requires
 * (`Tue, 10 Jun 2003 04:00:00 GMT`, two-digit years, named US and European zones, `Etc/GMT`, `GMT-01:01`, no
 * seconds, no time), asctime (`Sun Jan  4 16:29:06 2004`) and written dates (`14 March 2026`, `March 14, 2026`).
 * A date without a zone is read as UTC, never as the machine's local time. Impossible dates (31 June, 25 h) are
 * refused, not rolled over.
 */

const MONTHS = ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'];

/** Offsets of named zones, in minutes east of UTC (RFC 822's and the ones feeds use besides). */
const ZONES: Readonly<Record<string, number>> = {
  ut: 0, utc: 0, gmt: 0, z: 0, 'etc/gmt': 0, 'etc/utc': 0, wet: 0, bst: 60, west: 60, cet: 60, met: 60, cest: 120, mest: 120,
  eet: 120, eest: 180, msk: 180, ist: 330, jst: 540, kst: 540, aest: 600, aedt: 660,
  at: -240, ast: -240, adt: -180, et: -300, est: -300, edt: -240, ct: -360, cst: -360, cdt: -300, mt: -420, mst: -420,
  mdt: -360, pt: -480, pst: -480, pdt: -420, akst: -540, akdt: -480, hst: -600,
};

interface Parts {
  year: number;
  month: number; // 1–12
  day: number;
  hour?: string | undefined;
  minute?: string | undefined;
  second?: string | undefined;
  fraction?: string | undefined;
  zone?: string | undefined;
}

/** Minutes east of UTC for a zone text (`+0200`, `-05:00`, `GMT-01:01`, `EST`, `Z`); undefined when unreadable. */
function zoneOffset(zone: string | undefined): number | undefined {
  if (zone === undefined || zone === '') return 0;
  const z = zone.trim().toLowerCase();
  if (ZONES[z] !== undefined) return ZONES[z];
  const m = /^(?:gmt|utc|ut)?\s*([+-])(\d{1,2})(?::?(\d{2}))?$/.exec(z);
  if (!m) return undefined;
  const hours = Number(m[2]);
  const minutes = Number(m[3] ?? 0);
  if (hours > 14 || minutes > 59) return undefined;
  return (m[1] === '-' ? -1 : 1) * (hours * 60 + minutes);
}

const fullYear = (y: string): number => (y.length === 2 ? Number(y) + (Number(y) < 50 ? 2000 : 1900) : Number(y));
const monthOf = (name: string): number => MONTHS.indexOf(name.slice(0, 3).toLowerCase()) + 1;

/** The instant of some date parts in ms since the epoch, or undefined when a part is out of range. */
function instant(p: Parts): number | undefined {
  const [h, mi, s] = [Number(p.hour ?? 0), Number(p.minute ?? 0), Number(p.second ?? 0)];
  if (p.month < 1 || p.month > 12 || h > 23 || mi > 59 || s > 60) return undefined;
  const day = new Date(Date.UTC(p.year, p.month - 1, p.day));
  if (p.year < 1000 || p.day < 1 || day.getUTCMonth() !== p.month - 1) return undefined;
  const offset = zoneOffset(p.zone);
  if (offset === undefined) return undefined;
  const ms = Number(`0.${p.fraction ?? '0'}`) * 1000;
  return Date.UTC(p.year, p.month - 1, p.day, h, mi, Math.min(s, 59), Math.round(ms)) - offset * 60_000;
}

const TIME = String.raw`(\d{1,2}):(\d{2})(?::(\d{2})(?:[.,](\d+))?)?`;
const ZONE = String.raw`(Z|[A-Za-z]{1,5}(?:\/[A-Za-z]+)?|(?:GMT|UTC)?[+-]\d{1,2}(?::?\d{2})?)`;
const ISO = new RegExp(String.raw`^(\d{4})(?:-(\d{2})(?:-(\d{2}))?)?(?:[Tt ]\s*${TIME}\s*${ZONE}?)?$`);
/** `[Weekday,] 10 Jun[,] 2003 [04:00[:00]] [GMT]`: RFC 822 and written dates. */
const DAY_MONTH = new RegExp(String.raw`^(?:[A-Za-z]+\.?,?\s*)?(\d{1,2})\.?\s+([A-Za-z]{3,9})\.?,?\s+(\d{4}|\d{2})(?:,?\s+(?:at\s+)?${TIME}\s*([AaPp][Mm])?)?\s*${ZONE}?$`);
/** `[Weekday] Jun 10[,] 2003 [04:00[:00] [AM]] [zone]`: JavaScript's and US written dates. */
const MONTH_DAY = new RegExp(String.raw`^(?:[A-Za-z]+,?\s+)?([A-Za-z]{3,9})\.?\s+(\d{1,2})(?:st|nd|rd|th)?,?\s+(\d{4})(?:,?\s+(?:at\s+)?${TIME}\s*([AaPp][Mm])?)?\s*${ZONE}?$`);
/** asctime: `Sun Jan  4 16:29:06 [+0000] 2004`. */
const ASCTIME = new RegExp(String.raw`^[A-Za-z]{3}\s+([A-Za-z]{3})\s+(\d{1,2})\s+${TIME}\s+(?:${ZONE}\s+)?(\d{4})$`);

/** 12-hour clock to 24-hour (`12 AM` is 0). */
const hour24 = (hour: string | undefined, meridiem: string | undefined): string | undefined => {
  if (hour === undefined || meridiem === undefined) return hour;
  const h = Number(hour) % 12;
  return String(meridiem.toLowerCase() === 'pm' ? h + 12 : h);
};

function parts(s: string): Parts | undefined {
  let m = ISO.exec(s);
  if (m) return { year: Number(m[1]), month: Number(m[2] ?? 1), day: Number(m[3] ?? 1), hour: m[4], minute: m[5], second: m[6], fraction: m[7], zone: m[8] };
  m = DAY_MONTH.exec(s);
  if (m && monthOf(m[2]!) > 0) {
    return { year: fullYear(m[3]!), month: monthOf(m[2]!), day: Number(m[1]), hour: hour24(m[4], m[8]), minute: m[5], second: m[6], fraction: m[7], zone: m[9] };
  }
  m = MONTH_DAY.exec(s);
  if (m && monthOf(m[1]!) > 0) {
    return { year: Number(m[3]), month: monthOf(m[1]!), day: Number(m[2]), hour: hour24(m[4], m[8]), minute: m[5], second: m[6], fraction: m[7], zone: m[9] };
  }
  m = ASCTIME.exec(s);
  if (m && monthOf(m[1]!) > 0) return { year: Number(m[8]), month: monthOf(m[1]!), day: Number(m[2]), hour: m[3], minute: m[4], second: m[5], fraction: m[6], zone: m[7] };
  return undefined;
}

/** A date read as ISO 8601 UTC with milliseconds (`2003-06-10T04:00:00.000Z`), or undefined when it is none. */
export function parseDate(text: string | undefined): string | undefined {
  const s = text?.trim().replace(/\s+/g, ' ').replace(/,(?=\S)/, ', ');
  if (s === undefined || s === '') return undefined;
  const p = parts(s);
  const ms = p === undefined ? undefined : instant(p);
  return ms === undefined || Number.isNaN(ms) ? undefined : new Date(ms).toISOString();
}

/**
 * A feed or page date as the article schema takes it: ISO 8601 as it is (the schema normalises it), anything else
 * read by {@link parseDate} into ISO 8601 UTC. A text that is no date is returned unchanged, so that the reader
 * can report it naming the field (never silently dropped).
 */
export function toIsoDate(text: string | undefined): string | undefined {
  const s = text?.trim();
  if (s === undefined || s === '') return undefined;
  return parseIsoDate(s) !== undefined ? s : (parseDate(s) ?? s);
}
