import { ISO_DATE_MESSAGE, parseIsoDate } from '../core/iso-date.js';

/** The refinement every route with `from`/`to` applies: 400 on `from`, naming the rule, when the range is reversed. */
export const datesInOrder = {
  check: (p: { from?: string | undefined; to?: string | undefined }): boolean =>
    p.from === undefined || p.to === undefined || parseIsoDate(p.from)! <= parseIsoDate(p.to)!,
  message: { message: 'from must not be after to', path: ['from'] },
};

/** Whether a parameter value is a date the service accepts, and the message naming the parameter when it is not. */
export const isoDateRule = (name: string) =>
  [(s: string) => parseIsoDate(s) !== undefined, { message: `${name} ${ISO_DATE_MESSAGE}` }] as const;
