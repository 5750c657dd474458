/** The kinds of entity the extractor finds, named as the article fields that hold them. */
export type EntityKind = 'people' | 'orgs' | 'places';
export const ENTITY_KINDS: readonly EntityKind[] = ['people', 'orgs', 'places'];

/**
 * Known names: each surface form as written (case-sensitive: "UN" is the United Nations, "un" is not) → its
 * canonical name. Places come from a country table (names, official names, demonyms, capitals), organisations from
 * {@link INTERNATIONAL_ORGS}; both can be extended.
 */
export interface Gazetteer {
  readonly places: ReadonlyMap<string, string>;
  readonly orgs: ReadonlyMap<string, string>;
  /** The canonical names of the organisations (the values of `orgs`). */
  readonly orgNames: ReadonlySet<string>;
  /** Longest surface form, in words. */
  readonly maxWords: number;
  /**
   * Word pairs a known name joins across a possessive, as "word next" ("People Bank" of "People's Bank of China"):
   * a run of capitalised words goes on past such a possessive instead of ending there.
   */
  readonly possessiveJoins: ReadonlySet<string>;
}

/** Canonical name first, then aliases: acronyms, older names, other spellings. */
export const INTERNATIONAL_ORGS: readonly (readonly string[])[] = [
  ['United Nations', 'UN', 'U.N.'],
  ['UN Security Council', 'Security Council', 'United Nations Security Council'],
  ['UN General Assembly', 'General Assembly', 'United Nations General Assembly'],
  ['European Union', 'EU', 'E.U.'],
  ['European Community', 'EC', 'European Economic Community', 'EEC', 'Common Market'],
  ['European Commission'],
  ['European Parliament'],
  ['European Central Bank', 'ECB'],
  ['European Investment Bank', 'EIB'],
  ['International Monetary Fund', 'IMF'],
  ['World Bank', 'International Bank for Reconstruction and Development', 'IBRD'],
  ['Organization of Petroleum Exporting Countries', 'OPEC', 'Organisation of Petroleum Exporting Countries'],
  ['Organization of Arab Petroleum Exporting Countries', 'OAPEC'],
  ['General Agreement on Tariffs and Trade', 'GATT'],
  ['World Trade Organization', 'WTO', 'World Trade Organisation'],
  ['Organisation for Economic Co-operation and Development', 'OECD', 'Organization for Economic Cooperation and Development', 'Organisation for Economic Cooperation and Development'],
  ['International Coffee Organization', 'ICO', 'International Coffee Organisation'],
  ['International Cocoa Organization', 'ICCO', 'International Cocoa Organisation'],
  ['International Natural Rubber Organization', 'INRO', 'International Natural Rubber Organisation'],
  ['International Tin Council', 'ITC'],
  ['Asian Development Bank', 'ADB'],
  ['African Development Bank', 'AfDB'],
  ['Inter-American Development Bank', 'IDB'],
  ['UN Conference on Trade and Development', 'UNCTAD', 'United Nations Conference on Trade and Development'],
  ['Food and Agriculture Organization', 'FAO', 'Food and Agriculture Organisation'],
  ['International Energy Agency', 'IEA'],
  ['International Atomic Energy Agency', 'IAEA'],
  ['International Development Association', 'IDA'],
  ['Gulf Cooperation Council', 'GCC', 'Gulf Co-operation Council'],
  ['North Atlantic Treaty Organization', 'NATO', 'Nato', 'North Atlantic Treaty Organisation'],
  ['Shanghai Cooperation Organization', 'SCO', 'Shanghai Cooperation Organisation'],
  ['BRICS', 'Brics'],
  ['Eurasian Economic Union', 'EAEU', 'EEU'],
  ['Association of Southeast Asian Nations', 'ASEAN', 'Asean', 'Association of South East Asian Nations'],
  ['Asia-Pacific Economic Cooperation', 'APEC'],
  ['Group of Seven', 'G7', 'G-7'],
  ['Group of Five', 'G5', 'G-5'],
  ['Group of 20', 'G20', 'G-20'],
  ['Group of 77', 'G77', 'G-77'],
  ['African Union', 'AU'],
  ['Organization of American States', 'OAS'],
  ['Arab League', 'League of Arab States'],
  ['World Health Organization', 'WHO', 'World Health Organisation'],
  ['Council for Mutual Economic Assistance', 'Comecon', 'COMECON', 'CMEA'],
  ['European Free Trade Association', 'EFTA'],
  ['European Atomic Energy Community', 'Euratom'],
  ['Interpol'],
  ['International Committee of the Red Cross', 'ICRC', 'Red Cross'],
  ['UNESCO'],
  ['UNICEF'],
  ['UN Human Rights Council', 'Human Rights Council'],
  ['International Criminal Court', 'ICC'],
  ['International Court of Justice', 'ICJ'],
  ['Bank for International Settlements', 'BIS'],
  ['Federal Reserve', 'Fed', 'Federal Reserve Board', 'Federal Reserve Bank'],
  ['White House'],
  ["Standard and Poor's", "Standard & Poor's"],
  ["Moody's Investors Service", "Moody's"],
  ['Pentagon'],
  ['Kremlin'],
  ['U.S. Congress', 'Congress', 'U.S. Senate', 'U.S. House of Representatives', 'House of Representatives'],
  ['Bundesbank'],
  ['Bank of England'],
  ['Bank of Japan'],
  ['Bank of France', 'Banque de France'],
  ['Bank of Canada'],
  ['People\'s Bank of China'],
  ['Securities and Exchange Commission', 'SEC'],
  ['U.S. Department of Agriculture', 'USDA', 'Agriculture Department', 'U.S. Agriculture Department'],
  ['Commodity Credit Corporation', 'CCC'],
  ['Economic Community of West African States', 'ECOWAS'],
  ['Mercosur'],
  ['Commonwealth of Independent States', 'CIS'],
  ['Collective Security Treaty Organization', 'CSTO'],
  ['African Continental Free Trade Area', 'AfCFTA'],
  ['International Energy Forum'],
  ['Amnesty International'],
  ['Human Rights Watch'],
  ['Greenpeace'],
  ['Hamas'],
  ['Hezbollah'],
  ['Taliban'],
];

/** Builds a gazetteer from place and organisation entries (canonical name first, then aliases). */
export function buildGazetteer(places: Iterable<readonly string[]>, orgs: Iterable<readonly string[]>): Gazetteer {
  let maxWords = 1;
  const possessiveJoins = new Set<string>();
  const index = (entries: Iterable<readonly string[]>) => {
    const map = new Map<string, string>();
    for (const [canonical, ...aliases] of entries) {
      for (const s of [canonical!, ...aliases]) for (const m of s.matchAll(/(\S+)['’]s (\S+)/gu)) possessiveJoins.add(`${m[1]} ${m[2]}`);
      // the tokenizer reads "Poor's" as the word "Poor": possessive forms are matched as it reads them
      const surfaces = [canonical!, ...aliases].flatMap((s) => [s, s.replace(/['’]s\b/gu, '')]);
      for (const surface of surfaces) {
        if (surface.length < 2 || map.has(surface)) continue;
        map.set(surface, canonical!);
        maxWords = Math.max(maxWords, surface.split(' ').length);
      }
    }
    return map;
  };
  const placeMap = index(places);
  const orgMap = index(orgs);
  return { places: placeMap, orgs: orgMap, orgNames: new Set(orgMap.values()), maxWords, possessiveJoins };
}
