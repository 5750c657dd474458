import { parseIsoDate } from '../../src/core/iso-date.js';

/** A date written with its own offset or zone (`GMT`, `UTC`, `Z`, `+0200`, `-05:00`, `EST`…). */
const HAS_ZONE = /(?:\b(?:GMT|UTC|UT|Z|[ECMP][SD]T)|[+-]\d{2}:?\d{2})\s*$/i;

/**
 * A feed or page date as ISO 8601 UTC: ISO 8601 as it is, RFC 822 (`Tue, 10 Jun 2003 04:00:00 GMT`) and written
 * dates (`14 March 2026`, read as UTC when they carry no zone). A text that is no date is returned unchanged, so
 * that validation rejects it naming the field (never silently dropped).
 */
export function toIsoDate(text: string | undefined): string | undefined {
  const s = text?.trim();
  if (s === undefined || s === '') return undefined;
  if (parseIsoDate(s) !== undefined || /^\d{4}-\d{2}/.test(s)) return s; // ISO: the article schema checks it
  const ms = Date.parse(HAS_ZONE.test(s) ? s : `${s} UTC`);
  return Number.isNaN(ms) ? s : new Date(ms).toISOString();
}
