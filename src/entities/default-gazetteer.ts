import { createRequire } from 'node:module';
import { buildGazetteer, INTERNATIONAL_ORGS } from '../core/entities/gazetteer.js';
import type { Gazetteer } from '../core/entities/gazetteer.js';

interface CountryRecord {
  readonly name: { readonly common: string; readonly official: string };
  readonly altSpellings: readonly string[];
  readonly capital: readonly string[];
  readonly demonyms?: { readonly eng?: { readonly m: string; readonly f: string } };
  readonly independent?: boolean | null;
}

/** The states of the United States but New York (a city above) and Georgia (a country too, skipped below). */
const US_STATES = [
  'Alabama', 'Alaska', 'Arizona', 'Arkansas', 'California', 'Colorado', 'Connecticut', 'Delaware', 'Florida', 'Hawaii',
  'Idaho', 'Illinois', 'Indiana', 'Iowa', 'Kansas', 'Kentucky', 'Louisiana', 'Maine', 'Maryland', 'Massachusetts',
  'Michigan', 'Minnesota', 'Mississippi', 'Missouri', 'Montana', 'Nebraska', 'Nevada', 'New Hampshire', 'New Jersey',
  'New Mexico', 'North Carolina', 'North Dakota', 'Ohio', 'Oklahoma', 'Oregon', 'Pennsylvania', 'Rhode Island',
  'South Carolina', 'South Dakota', 'Tennessee', 'Texas', 'Utah', 'Vermont', 'Virginia', 'Washington State',
  'West Virginia', 'Wisconsin', 'Wyoming',
] as const;

/** Canada's provinces and territories. */
const CANADIAN_PROVINCES = [
  'Alberta', 'British Columbia', 'Manitoba', 'New Brunswick', 'Newfoundland', 'Nova Scotia', 'Ontario',
  'Prince Edward Island', 'Quebec', 'Saskatchewan', 'Northwest Territories', 'Nunavut', 'Yukon',
] as const;

/** Names the country table lacks or spells otherwise: usage in English news, and states that no longer exist. */
const EXTRA_PLACES: readonly (readonly string[])[] = [
  ['United States', 'U.S.', 'US', 'USA', 'U.S.A.', 'America', 'American', 'Americans'],
  ['United Kingdom', 'Britain', 'Great Britain', 'British', 'U.K.', 'UK', 'Briton', 'Britons'],
  ['Russia', 'Russian Federation', 'Russians'],
  ['China', 'Chinese', 'PRC'],
  ['Soviet Union', 'USSR', 'Soviet', 'Soviets'],
  ['West Germany', 'West German', 'West Germans'],
  ['East Germany', 'East German', 'East Germans'],
  ['Europe', 'European'],
  ['Asia', 'Asian'],
  ['Africa', 'African'],
  ['Latin America', 'Latin American'],
  ['Middle East'],
  ['Taiwan', 'Taiwanese', 'Republic of China'],
  ['Hong Kong'],
  ['New York', 'New York City'],
  ['Los Angeles'], ['Chicago'], ['San Francisco'], ['Houston'], ['Frankfurt'], ['Geneva'], ['Zurich'], ['Milan'],
  ['Shanghai'], ['Mumbai', 'Bombay'], ['Sydney'], ['Toronto'], ['Montreal'], ['Dubai'], ['Rio de Janeiro'],
  ['Sao Paulo', 'São Paulo'], ['Istanbul'], ['St Petersburg', 'Saint Petersburg'], ['Hamburg'], ['Munich'],
  ['Ukraine', 'Ukrainian', 'Ukrainians'],
  ['Turkey', 'Turkish', 'Türkiye', 'Turks'],
  ['Netherlands', 'Dutch', 'Holland'],
  ['Czechoslovakia', 'Czechoslovak'],
  ['Yugoslavia', 'Yugoslav'],
  ['Zaire', 'Zairean', 'Zairian'],
  ['North Yemen', 'Yemen Arab Republic'],
  ['South Yemen', "People's Democratic Republic of Yemen"],
  ['Myanmar', 'Burma', 'Burmese'],
  // regions news names as places
  ['Far East'], ['Persian Gulf', 'Gulf', 'Arabian Gulf'], ['Western Europe'], ['Eastern Europe'], ['North America'],
  ['South America'], ['Southeast Asia', 'South-East Asia'], ['Caribbean'], ['Scandinavia'], ['Third World'],
  ...US_STATES.map((s) => [s]),
  ...CANADIAN_PROVINCES.map((p) => [p]),
];

/** Spellings too ambiguous to read as places: words of other meanings and two-letter codes. */
const SKIP = new Set(['Chad', 'Guinea', 'Georgia', 'Jersey', 'Man', 'Victoria', 'Kingston', 'Hamilton', 'Republic']);

let cached: Gazetteer | undefined;

/**
 * The default gazetteer: every country of the world-countries package (ODbL; name, official name, other
 * spellings, demonyms) and its capitals, the extras above, and the international organisations of
 * core/entities/gazetteer.ts. Built once, on first use.
 */
export function defaultGazetteer(): Gazetteer {
  if (cached) return cached;
  const require = createRequire(import.meta.url);
  const countries = require('world-countries/countries.json') as CountryRecord[];
  const entries: string[][] = EXTRA_PLACES.map((e) => [...e]);
  const usable = (s: string) => s.length > 3 && !SKIP.has(s) && /^[\p{Script=Latin}' .-]+$/u.test(s);
  // independent countries first: a demonym shared with a territory ("Dutch") names the country
  const ordered = [...countries].sort((a, b) => Number(Boolean(b.independent)) - Number(Boolean(a.independent)));
  for (const c of ordered) {
    const demonyms = c.demonyms?.eng ? [c.demonyms.eng.m, c.demonyms.eng.f] : [];
    entries.push([c.name.common, c.name.official, ...c.altSpellings, ...demonyms].filter((s, i) => i === 0 || usable(s)));
    if (c.independent) for (const capital of c.capital.filter(usable)) entries.push([capital]);
  }
  cached = buildGazetteer(entries.filter((e) => !SKIP.has(e[0]!)), INTERNATIONAL_ORGS);
  return cached;
}
