import {
  draftFromAddress,
  followBurstsPath,
  feedPath,
  fieldOf,
  followsText,
  refusalText,
  requestBody,
  savePagePath,
  seeItLink,
  splitList,
  suggestedName,
  webhookHost,
} from '../../web/src/saved-searches.js';
import type { SavedSearch } from '../../web/src/types.js';

const CREATED = '2026-12-04T15:00:00.000Z';

describe('the saved-searches page logic', () => {
  it('when the search page links with its query, then the form is prefilled with it (lists joined, bad days left out) and saves it back', () => {
    const draft = draftFromAddress('?q=snap+election&category=world&category=politics&person=Zo%C3%AB+Halvorsen&from=2026-03-01&to=31+Mar&page=2&sort=newest');
    expect(draft.follows).toBe('query');
    expect(draft.query).toMatchObject({ q: 'snap election', category: 'world, politics', person: 'Zoë Halvorsen', from: '2026-03-01', to: '', tag: '' });
    expect(suggestedName(draft)).toBe('snap election');
    expect(requestBody(draft)).toEqual({
      name: 'snap election',
      query: { q: 'snap election', category: ['world', 'politics'], person: 'Zoë Halvorsen', from: '2026-03-01' },
    });
  });

  it('when an address names an entity to follow, then the draft follows its bursts, named after it', () => {
    const draft = draftFromAddress('?bursts=org&entity=Halcyon+Semiconductors');
    expect(draft.follows).toBe('entity');
    expect(requestBody(draft)).toEqual({ name: 'Halcyon Semiconductors bursts', entityBursts: { type: 'org', name: 'Halcyon Semiconductors' } });
    expect(draftFromAddress(new URL(followBurstsPath('person', 'Zoë Halvorsen'), 'http://x').search)).toMatchObject({ follows: 'entity', entityType: 'person', entityName: 'Zoë Halvorsen' });
    expect(draftFromAddress('?bursts=planet&entity=Mars').follows).toBe('query');
    expect(draftFromAddress('?bursts=person').follows).toBe('query');
  });

  it('when a webhook URL or secret is typed, then both are sent as typed (the API says what is wrong), and neither when both are empty', () => {
    const draft = { ...draftFromAddress('?q=tariffs&name=Tariffs'), webhookUrl: ' https://hooks.example/in ', webhookSecret: '' };
    expect(requestBody(draft)).toEqual({ name: 'Tariffs', query: { q: 'tariffs' }, webhook: { url: 'https://hooks.example/in', secret: '' } });
    expect(requestBody({ ...draft, webhookUrl: '' }).webhook).toBeUndefined();
  });

  it('when a list field holds commas, blanks and repeats, then each value is sent once', () => {
    expect(splitList(' world, ,sport ,world,')).toEqual(['world', 'sport']);
    expect(splitList('')).toEqual([]);
    const draft = draftFromAddress('');
    expect(suggestedName(draft)).toBe('');
    expect(suggestedName({ ...draft, query: { ...draft.query, place: ', Orsk, Kestria' } })).toBe('Orsk');
  });

  it('when a saved search is described, then its query reads in words, dates in the house format, and an entity by its kind', () => {
    const query: SavedSearch = { id: 'ss-1', name: 'Q', createdAt: CREATED, query: { q: 'qin gang -football', place: ['Beijing', 'Shanghai'], from: '2026-03-01', match: 'all' } };
    expect(followsText(query)).toBe('“qin gang -football” · match: all · place: Beijing, Shanghai · from 1 Mar 2026');
    expect(followsText({ id: 'ss-2', name: 'E', createdAt: CREATED, entityBursts: { type: 'org', name: 'Halcyon Semiconductors' } })).toBe('Bursts of Halcyon Semiconductors (organisation)');
    expect(followsText({ id: 'ss-3', name: 'All', createdAt: CREATED, query: {} })).toBe('Every new article');
  });

  it('when a saved search is linked, then its query opens the search page (naming what that page does not show) and an entity its page', () => {
    const link = seeItLink({ id: 'ss-1', name: 'Q', createdAt: CREATED, query: { q: 'tariffs', tag: 'trade', category: ['world', 'sport'], match: 'all' } });
    expect(link).toEqual({ href: '/?q=tariffs&category=world&category=sport', label: 'Run on the search page', left: ['match', 'tag'] });
    expect(seeItLink({ id: 'ss-2', name: 'E', createdAt: CREATED, entityBursts: { type: 'person', name: 'Zoë Halvorsen' } }).href).toBe('/entity/person/Zo%C3%AB%20Halvorsen');
    expect(feedPath('ss/1')).toBe('/api/saved-searches/ss%2F1/feed');
  });

  it('when a webhook URL carries credentials, a path or a token, then only its host is shown', () => {
    expect(webhookHost('https://user:pw@hooks.example:8443/in/abc?token=s3cret')).toBe('hooks.example:8443');
    expect(webhookHost('not a url')).toBe('');
  });

  it('when the API refuses fields, then each path belongs to its form field, and any other to the choice itself', () => {
    expect(['name', 'query.q', 'query.category.1', 'query.from', 'entityBursts.name', 'entityBursts.type', 'entityBursts', 'webhook.url', 'webhook.secret', 'webhook', 'query', 'query.freshness', '', 'nonsense.x'].map(fieldOf)).toEqual([
      'name', 'q', 'category', 'from', 'entity-name', 'entity-type', 'entity-name', 'webhook-url', 'webhook-secret', 'webhook-url', 'follows', 'follows', 'follows', 'follows',
    ]);
  });

  it('when a search is to be saved, then the link carries its query without its page or order', () => {
    expect(savePagePath('?q=tariffs&category=world&sort=newest&page=3')).toBe('/saved-searches?q=tariffs&category=world');
    expect(savePagePath('')).toBe('/saved-searches');
  });

  it('when a request is refused, then the sentence says why: the key, a service without saved searches, or the detail', () => {
    expect(refusalText(403, 'the API key is not valid for saved searches', 'list')).toBe("The key was refused (the API key is not valid for saved searches): saved searches need the service's ADMIN_API_KEY.");
    expect(refusalText(404, 'no route', 'list')).toMatch(/keeps no saved searches/);
    expect(refusalText(404, 'no saved search ss-9', 'change')).toBe('The request failed: no saved search ss-9.');
    expect(refusalText(0, 'network', 'change')).toBe('The service did not answer; try again.');
  });
});
