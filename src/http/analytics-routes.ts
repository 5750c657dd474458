import fs from 'node:fs';
import path from 'node:path';
import type { Request, RequestHandler } from 'express';
import express, { Router } from 'express';
import type { Store } from 'express-rate-limit';
import { z } from 'zod';
import type { Analytics } from '../analytics/analytics.js';
import { beaconEventSchema, MAX_BEACON_EVENTS, toInteraction } from '../analytics/events.js';
import { daysBetween } from '../analytics/reports.js';
import { AppError, ValidationError } from '../core/errors.js';
import type { FieldIssue } from '../core/errors.js';
import { toFieldIssues } from '../core/field-issues.js';
import { requireApiKey } from './api-key.js';
import { clientRateLimit } from './rate-limit.js';
import { parseInput } from './validate.js';

/** Largest beacon body, bytes: 50 events of a long query each fit. */
export const MAX_BEACON_BYTES = 64 * 1024;
/** Longest range a report covers, in days. */
export const MAX_REPORT_DAYS = 366;
/** The range of a report that names none: the last 30 days, today included. */
const DEFAULT_REPORT_DAYS = 30;

const day = (name: string) =>
  z
    .string({ error: `${name} must be given once` })
    .regex(/^\d{4}-\d{2}-\d{2}$/, `${name} must be a day, YYYY-MM-DD`)
    .refine((s) => !Number.isNaN(Date.parse(`${s}T00:00:00Z`)) && new Date(`${s}T00:00:00Z`).toISOString().startsWith(s), `${name} is not a calendar day`);

/** `GET /api/analytics/*` parameters: UTC days, both included (default: the last 30 days); `limit` rows per ranked list. */
export const reportQuerySchema = z
  .strictObject({
    from: day('from').optional().describe('first day, YYYY-MM-DD (UTC); default: 29 days before `to`'),
    to: day('to').optional().describe('last day, YYYY-MM-DD (UTC), included; default: today'),
    limit: z
      .string({ error: 'limit must be given once' })
      .regex(/^\d+$/, 'limit must be a whole number')
      .transform(Number)
      .pipe(z.number().min(1, 'limit must be at least 1').max(100, 'limit must be at most 100'))
      .default(20)
      .describe('rows of each ranked list (1-100, default 20)'),
  })
  .refine((p) => p.from === undefined || p.to === undefined || p.from <= p.to, { message: 'from must not be after to', path: ['from'] });

const count = z.number().int().min(0);
const queryCounts = z.array(z.strictObject({ query: z.string(), count }));
const linkStats = { impressions: count, clicks: count, clickThrough: z.number().min(0).describe('clicks / impressions, 4 decimals; 0 without impressions') };

export const queryReportSchema = z
  .strictObject({
    from: z.string(),
    to: z.string(),
    top: queryCounts.describe('most searched queries (first pages; the empty query is left out)'),
    zeroResults: queryCounts.describe('queries that found nothing, most searched first'),
    noClick: queryCounts.describe('queries with results none of which was clicked in the range; count = searches with results'),
    daily: z.array(z.strictObject({ day: z.string(), searches: count, zeroResults: count, clicks: count })).describe('every day of the range'),
  })
  .meta({ id: 'AnalyticsQueryReport' });

export const relatedReportSchema = z
  .strictObject({
    from: z.string(),
    to: z.string(),
    totals: z.strictObject(linkStats),
    byPosition: z.array(z.strictObject({ position: z.number().int().min(1), ...linkStats })).describe('by 1-based position in the list'),
    byArticle: z.array(z.strictObject({ articleId: z.string(), ...linkStats })).describe('by article linked, most shown first'),
    daily: z.array(z.strictObject({ day: z.string(), impressions: count, clicks: count })).describe('every day of the range'),
  })
  .meta({ id: 'AnalyticsRelatedReport' });

export const beaconResponseSchema = z
  .strictObject({
    accepted: count,
    rejections: z.array(z.strictObject({ index: z.number().int().min(0), issues: z.array(z.strictObject({ path: z.string(), message: z.string() })) })),
  })
  .meta({ id: 'BeaconResponse' });

/** What the analytics routes need besides {@link Analytics}. */
export interface AnalyticsRouteOptions {
  /** ADMIN_API_KEY: the reports need it; unset, they are refused (403). */
  readonly adminKey: string | undefined;
  /** Beacons a minute per client address; 0 disables the limit. */
  readonly eventsPerMinute: number;
  /** Where the beacon limit's counts are kept (the cluster primary with several workers); absent, this process. */
  readonly limitStore?: Store | undefined;
  /** Wall clock, ms since the epoch: the time of a beacon's events, and "today" of a report's default range. */
  readonly clock: () => number;
  /** Folder of the built web front end: `/analytics` serves its analytics.html; absent, no page. */
  readonly webRoot?: string | undefined;
}

/** The report range of validated parameters: defaults filled, at most {@link MAX_REPORT_DAYS} days. */
function reportRange(params: z.output<typeof reportQuerySchema>, today: string): { from: string; to: string; limit: number } {
  const to = params.to ?? (params.from !== undefined && params.from > today ? params.from : today);
  const from = params.from ?? new Date(Date.parse(`${to}T00:00:00Z`) - (DEFAULT_REPORT_DAYS - 1) * 86_400_000).toISOString().slice(0, 10);
  if (daysBetween(from, to).length > MAX_REPORT_DAYS) {
    throw new ValidationError(`a report covers at most ${MAX_REPORT_DAYS} days`, [{ path: 'from', message: `at most ${MAX_REPORT_DAYS} days before to` }]);
  }
  return { from, to, limit: params.limit };
}

/** The beacon's events: each validated on its own, so that a bad one never costs its neighbours. */
function beaconEvents(req: Request): { valid: z.output<typeof beaconEventSchema>[]; rejections: { index: number; issues: FieldIssue[] }[] } {
  if (typeof req.body !== 'string') {
    throw new AppError('unsupported_media_type', 'send the events as JSON, with Content-Type text/plain (navigator.sendBeacon with a string) or application/json');
  }
  let body: unknown;
  try {
    body = JSON.parse(req.body);
  } catch (error) {
    throw new AppError('invalid_request', 'the request body is not valid JSON', { cause: error });
  }
  const list: unknown[] = Array.isArray(body) ? body : [body];
  if (list.length === 0 || list.length > MAX_BEACON_EVENTS) {
    const message = `send one event or an array of 1 to ${MAX_BEACON_EVENTS} events`;
    throw new ValidationError(`invalid events: ${message}`, [{ path: '', message }]);
  }
  const valid: z.output<typeof beaconEventSchema>[] = [];
  const rejections: { index: number; issues: FieldIssue[] }[] = [];
  list.forEach((item, index) => {
    const parsed = beaconEventSchema.safeParse(item);
    if (parsed.success) valid.push(parsed.data);
    else rejections.push({ index, issues: toFieldIssues(parsed.error) });
  });
  if (valid.length === 0) {
    const issues = rejections.flatMap((r) => r.issues.map((i) => ({ path: Array.isArray(body) ? `${r.index}.${i.path}` : i.path, message: i.message })));
    throw new ValidationError(`invalid events: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`, issues);
  }
  return { valid, rejections };
}

/** The reports need ADMIN_API_KEY; with none configured, they are refused (403), never open. */
function adminOnly(key: string | undefined): RequestHandler {
  if (key) return requireApiKey(key, 'the analytics reports');
  return (_req, _res, next) => next(new AppError('forbidden', 'the analytics reports are disabled: the service has no ADMIN_API_KEY'));
}

/**
 * `POST /api/events` (beacons: no key, their own per-client limit, nothing personal: strict fields, no address kept),
 * `GET /api/analytics/queries` and `GET /api/analytics/related` (ADMIN_API_KEY), and the `/analytics` page. Mounted
 * before the read-access guard: a beacon needs no key even when reads do, and the reports need the admin key.
 */
export function analyticsRoutes(analytics: Analytics, options: AnalyticsRouteOptions): Router {
  const router = Router();
  // beacons come from pages of other origins (the widget): their answers, refusals included, must not be blocked
  // there (helmet's default Cross-Origin-Resource-Policy is same-origin; the browser logs every blocked answer)
  const beacon: RequestHandler[] = [
    (_req, res, next) => {
      res.setHeader('Cross-Origin-Resource-Policy', 'cross-origin');
      next();
    },
  ];
  if (options.eventsPerMinute > 0) {
    beacon.push(clientRateLimit({ perMinute: options.eventsPerMinute, who: 'from this client to /api/events', store: options.limitStore }));
  }
  beacon.push(express.text({ type: ['text/plain', 'application/json', 'application/*+json'], limit: MAX_BEACON_BYTES }));
  router.post('/api/events', ...beacon, (req, res) => {
    const { valid, rejections } = beaconEvents(req);
    const at = options.clock();
    if (analytics.enabled) for (const event of valid) analytics.interacted(toInteraction(event, at));
    res.status(202).json({ accepted: valid.length, rejections });
  });
  const guard = adminOnly(options.adminKey);
  const today = () => new Date(options.clock()).toISOString().slice(0, 10);
  router.get('/api/analytics/queries', guard, async (req, res) => {
    const report = await analytics.queries(reportRange(parseInput(reportQuerySchema, req.query, 'report parameters'), today()));
    res.setHeader('Cache-Control', 'no-store');
    res.json(report);
  });
  router.get('/api/analytics/related', guard, async (req, res) => {
    const report = await analytics.related(reportRange(parseInput(reportQuerySchema, req.query, 'report parameters'), today()));
    res.setHeader('Cache-Control', 'no-store');
    res.json(report);
  });
  if (options.webRoot !== undefined) {
    const page = path.join(path.resolve(options.webRoot), 'analytics.html');
    router.get('/analytics', async (_req, res, next) => {
      try {
        const html = await fs.promises.readFile(page, 'utf8');
        res.setHeader('Cache-Control', 'no-cache');
        res.type('html').send(html);
      } catch (error) {
        next(new AppError('route_not_found', 'analytics.html is missing from the web build (npm run build)', { cause: error }));
      }
    });
  }
  return router;
}
