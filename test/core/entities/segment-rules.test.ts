import { candidateRuns } from '../../../src/core/entities/candidate-runs.js';
import { extractEntities } from '../../../src/core/entities/extract-entities.js';
import { NO_NAMES } from '../../../src/core/entities/names.js';
import { longestKnown } from '../../../src/core/entities/phrase-shapes.js';
import { PIECE_RULES, plainOrganisation } from '../../../src/core/entities/plain-words.js';
import {
  determinerBefore, knownInRun, lowerCaseTitle, openingWords, roleBefore, roleOpensSentence, runCues, spokenAfter, underwriter,
} from '../../../src/core/entities/run-cues.js';
import type { PhraseRule, SegmentOutput } from '../../../src/core/entities/segment-rules.js';
import {
  companyLegalName, isLegalName, knownName, lowerCaseJoiner, organisationPhrase, PHRASE_RULES, placeOpensOrganisation,
  plainPhrase, titledName,
} from '../../../src/core/entities/segment-rules.js';
import type { Token } from '../../../src/core/entities/tokens.js';
import { tokenizeForEntities } from '../../../src/core/entities/tokens.js';
import { defaultGazetteer } from '../../../src/entities/default-gazetteer.js';

const gazetteer = defaultGazetteer();
const tokensOf = (text: string) => tokenizeForEntities(text, (w) => gazetteer.places.has(w) || gazetteer.orgs.has(w));
/** The tokens of a text and its run that starts with `first`. */
function runOf(text: string, first: string): { tokens: Token[]; run: Token[] } {
  const tokens = tokensOf(text);
  const run = candidateRuns(tokens, gazetteer.possessiveJoins).find((r) => r[0]!.text === first);
  if (run === undefined) throw new Error(`no run starts with ${first}`);
  return { tokens, run };
}
/** Applies one phrase rule at position `i` of the run starting with `first`: where reading goes on, and what it wrote. */
function apply(rule: PhraseRule, text: string, first: string, i = 0) {
  const { tokens, run } = runOf(text, first);
  const localOrgs = new Map<string, string>();
  const out: SegmentOutput = { known: [], names: [], localOrgs, tokens, gazetteer };
  const knownAt = knownInRun(run, gazetteer, localOrgs);
  const at = {
    run, i, found: longestKnown(run, i, gazetteer, localOrgs), legalName: isLegalName(run), knownAt, cues: runCues(tokens, run, knownAt),
  };
  const next = rule.read(at, out);
  return { next, length: run.length, known: out.known.map((k) => `${k.kind}:${k.name}`), names: out.names, localOrgs };
}

describe('candidate runs', () => {
  it('when capitalised words are joined by particles or connectors, then they are one run; a possessive or a sentence ends it', () => {
    const runs = candidateRuns(tokensOf("Bank of Tokyo lent. Reagan's Treasury sold."), gazetteer.possessiveJoins);
    expect(runs.map((r) => r.map((t) => t.text).join(' '))).toEqual(['Bank of Tokyo', 'Reagan', 'Treasury']);
  });
});

describe('a partnership name written with a comma (tune half: "Baker, Fentress and Co" had been James Baker)', () => {
  it('when "X, Y and Co" is written, then it is one run and one organisation, and "X" alone later stands for it', () => {
    const runs = candidateRuns(tokensOf('Goldman, Sachs and Co sold.'), gazetteer.possessiveJoins);
    expect(runs.map((r) => r.map((t) => t.text).join(' '))).toEqual(['Goldman Sachs and Co']);
    const three = candidateRuns(tokensOf('L.F. Rothschild, Unterberg, Towbin Inc sold.'), gazetteer.possessiveJoins);
    expect(three.map((r) => r.map((t) => t.text).join(' '))).toEqual(['L.F. Rothschild Unterberg Towbin Inc']);
    const e = extractEntities({ title: 'Report', body: 'Baker, Fentress and Co named a chairman. He has been a Baker, Fentress director. Baker said so.' }, gazetteer, NO_NAMES);
    expect(e).toMatchObject({ people: [], orgs: ['Baker Fentress'] });
  });

  it('when the comma is followed by anything else, then it ends the run ("Reagan, Baker and Shultz")', () => {
    const runs = candidateRuns(tokensOf('Reagan, Baker and Shultz met.'), gazetteer.possessiveJoins);
    expect(runs.map((r) => r.map((t) => t.text).join(' '))).toEqual(['Reagan', 'Baker and Shultz']);
  });

  it('when one company follows the comma, then it is an apposition ("Robert Miller Jr, Chrysler Corp vice chairman")', () => {
    const runs = candidateRuns(tokensOf('Robert Miller Jr, Chrysler Corp vice chairman, said so.'), gazetteer.possessiveJoins);
    expect(runs.map((r) => r.map((t) => t.text).join(' '))).toEqual(['Robert Miller Jr', 'Chrysler Corp']);
    const e = extractEntities({ title: 'Report', body: 'Robert Miller Jr, Chrysler Corp vice chairman, spoke. Miller said so.' }, gazetteer, NO_NAMES);
    expect(e.people).toEqual(['Robert Miller']); // a generation after the surname is dropped, so "Miller" is he
  });
});

describe('run cues', () => {
  it('when a sentence opener stands first, then it is skipped ("Neither Jose Sarney"), but not "First" of a legal name', () => {
    const { run } = runOf('Neither Jose Sarney spoke.', 'Neither');
    expect(openingWords(run, knownInRun(run, gazetteer, new Map()))).toBe(1);
    const legal = runOf('First Boston Corp said so.', 'First');
    expect(openingWords(legal.run, knownInRun(legal.run, gazetteer, new Map()))).toBe(0);
  });

  it('when a role noun opens the sentence, then it is no part of the name ("Investor Paul Bilzerian")', () => {
    expect(roleOpensSentence(runOf('Investor Paul Bilzerian said so.', 'Investor').run)).toBe(true);
    expect(roleOpensSentence(runOf('Champion International Corp said so.', 'Champion').run)).toBe(false);
  });

  it('when a reporting verb follows, then the run speaks, unless a preposition stands before it', () => {
    const spoken = runOf('Lavrov said so.', 'Lavrov');
    expect(spokenAfter(spoken.tokens, spoken.run)).toBe(true);
    const after = runOf('the analyst at Shearson said so.', 'Shearson');
    expect(spokenAfter(after.tokens, after.run)).toBe(false);
  });

  it('when a role noun stands before, then the name has a role, unless it is the manager of a bond issue', () => {
    const trader = runOf('the inside trader Ivan Boesky paid.', 'Ivan');
    expect(roleBefore(trader.tokens, trader.run)).toBe(true);
    const manager = runOf('with lead manager Drexel Burnham.', 'Drexel');
    expect(roleBefore(manager.tokens, manager.run)).toBe(false);
    expect(underwriter(manager.tokens, manager.tokens[manager.run[0]!.index - 1]!)).toBe(true);
  });

  it('when a head title in lower case follows a capitalised word, then it is a title ("Energy minister Subroto")', () => {
    const { tokens, run } = runOf('Indonesian Energy minister Subroto said so.', 'Subroto');
    expect(lowerCaseTitle(tokens, tokens[run[0]!.index - 1])).toBe('Energy Minister');
    const bare = runOf('The new minister Kestria said so.', 'Kestria');
    expect(lowerCaseTitle(bare.tokens, bare.tokens[bare.run[0]!.index - 1])).toBeUndefined();
    const bank = runOf('Sole manager L.F. Rothschild, Unterberg, Towbin gave the price.', 'L.F.');
    expect(lowerCaseTitle(bank.tokens, bank.tokens[bank.run[0]!.index - 1])).toBeUndefined();
  });

  it('when an article stands before the name, then it is determined ("the Texas Democrat")', () => {
    const { tokens, run } = runOf('said the Texas Democrat on Monday.', 'Texas');
    expect(determinerBefore(tokens[run[0]!.index - 1])).toBe(true);
  });
});

describe('phrase rules', () => {
  it('lists the rules in the order they are tried', () => {
    expect(PHRASE_RULES.map((r) => r.name)).toEqual([
      'lower-case-joiner', 'company-legal-name', 'place-opens-organisation', 'known-name', 'organisation-phrase', 'titled-name', 'plain-phrase',
    ]);
  });

  it('lower-case-joiner: steps over "of" inside a run', () => {
    expect(apply(lowerCaseJoiner, 'the Bank of Tokyo lent.', 'Bank', 1).next).toBe(2);
    expect(apply(lowerCaseJoiner, 'the Bank of Tokyo lent.', 'Bank', 0).next).toBeUndefined();
  });

  it('company-legal-name: "Texas Air Corp" is one organisation, Texas not a place of it', () => {
    const r = apply(companyLegalName, 'Texas Air Corp bid.', 'Texas');
    expect(r).toMatchObject({ next: r.length, known: ['orgs:Texas Air'] });
  });

  it('place-opens-organisation: "New York Stock Exchange" is an organisation and names New York', () => {
    const r = apply(placeOpensOrganisation, 'the New York Stock Exchange opened.', 'New');
    expect(r.known).toEqual(['places:New York', 'orgs:New York Stock Exchange']);
  });

  it('known-name: a gazetteer name, and the acronym defined after it', () => {
    const r = apply(knownName, 'the International Monetary Fund (IMF) said.', 'International');
    expect(r.known).toEqual(['orgs:International Monetary Fund']);
    expect(r.localOrgs.get('IMF')).toBe('International Monetary Fund');
  });

  it('organisation-phrase: "Bank of Kestria" is read by its first word; a head title before "of" makes no organisation', () => {
    expect(apply(organisationPhrase, 'the Bank of Kestria lent.', 'Bank').known).toEqual(['orgs:Bank of Kestria']);
    expect(apply(organisationPhrase, 'Chairman John Smith of Halcyon Group spoke.', 'Chairman').next).toBeUndefined();
  });

  it('titled-name: "Foreign Minister Qin Gang" gives Qin Gang with its title; "Foreign" alone names no one', () => {
    const r = apply(titledName, 'said Foreign Minister Qin Gang today.', 'Foreign');
    expect(r.names).toMatchObject([{ words: ['Qin', 'Gang'], title: 'Foreign Minister', cue: 'title' }]);
    expect(apply(titledName, 'said Foreign Halvorsen today.', 'Foreign').names).toEqual([]);
  });

  it('plain-phrase: "Coralie Destrand said" is a speaker candidate', () => {
    const r = apply(plainPhrase, 'Then Coralie Destrand said so.', 'Then', 1);
    expect(r.names).toMatchObject([{ words: ['Coralie', 'Destrand'], cue: 'speaker' }]);
  });
});

describe('plain words', () => {
  const piece = (text: string) => tokensOf(text).filter((t) => !t.isBreak);
  const rejectedBy = (text: string, context = { isFirst: true, determined: false }) =>
    PIECE_RULES.filter((r) => r.rejects(piece(text), context)).map((r) => r.name);

  it('when words end or open with an organisation word, then they are an organisation ("Banque Paribas")', () => {
    const out = { known: [] as { kind: string; name: string }[], localOrgs: new Map<string, string>(), tokens: tokensOf('Banque Paribas') };
    expect(plainOrganisation(piece('Banque Paribas'), out as never)).toBe(true);
    expect(out.known.map((k) => k.name)).toEqual(['Banque Paribas']);
  });

  it('piece rules: too long, a lone organisation word or acronym, initials, the first piece after an article', () => {
    expect(rejectedBy('Alpha Beta Gamma Delta Epsilon Zeta')).toEqual(['too-long']);
    expect(rejectedBy('NYSE')).toEqual(['lone-org-word-or-acronym']);
    expect(rejectedBy('S P')).toEqual(['initials-only']);
    expect(rejectedBy('Far East', { isFirst: true, determined: true })).toEqual(['after-an-article']);
    expect(rejectedBy('Coralie Destrand')).toEqual([]);
  });
});
