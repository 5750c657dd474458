/**
 * Word lists the entity extractor reads. All comparisons are on the word as written (case-sensitive) unless a
 * list says otherwise; titles and particles are matched without a trailing period ("Sen." → "Sen").
 */

/** Words that head a title before a person's name: "Foreign Minister Qin Gang", "President Xi", "Mr Lavrov". */
export const HEAD_TITLES: ReadonlySet<string> = new Set([
  'President', 'Minister', 'Secretary', 'Chairman', 'Chairwoman', 'Chair', 'Governor', 'Senator', 'Sen', 'Rep',
  'Representative', 'Congressman', 'Congresswoman', 'Mr', 'Mrs', 'Ms', 'Miss', 'Dr', 'Prof', 'Professor', 'General',
  'Gen', 'Admiral', 'Adm', 'Colonel', 'Col', 'Lt', 'Captain', 'Capt', 'Ambassador', 'Envoy', 'Director', 'Spokesman',
  'Spokeswoman', 'Spokesperson', 'King', 'Queen', 'Prince', 'Princess', 'Pope', 'Premier', 'Chancellor', 'Councilor',
  'Councillor', 'Commissioner', 'Mayor', 'Judge', 'Justice', 'Sheikh', 'Sheik', 'Emir', 'Sir', 'Lord', 'Lady', 'Dame',
  'Undersecretary', 'Leader', 'Officer', 'Executive', 'Economist', 'Analyst', 'Vice-President', 'Vice-Chairman',
  'Secretary-General', 'Director-General', 'Sultan', 'Ayatollah', 'Rabbi', 'Cardinal', 'Bishop', 'Archbishop',
  'Monsignor', 'Father', 'Marshal', 'Sergeant', 'Major', 'Brigadier', 'Lieutenant', 'Speaker', 'Delegate',
  'Negotiator', 'Coordinator', 'Administrator', 'Attorney', 'Chief', 'Head', 'Founder', 'Adviser', 'Advisor', 'Exchequer',
  'Manager', 'Coach', 'Striker', 'Midfielder', 'Goalkeeper', 'Defender', 'Skipper', 'Referee', 'Singer', 'Actor',
  'Treasurer',
]);

/** Words that may stand before a head title inside a title phrase ("State Councilor", "Deputy Prime Minister"). */
export const TITLE_WORDS: ReadonlySet<string> = new Set([
  ...HEAD_TITLES,
  'Vice', 'Prime', 'Deputy', 'Assistant', 'Under', 'Acting', 'Former', 'Foreign', 'Finance', 'Trade', 'State',
  'Treasury', 'Defence', 'Defense', 'Interior', 'Home', 'Commerce', 'Labor', 'Labour', 'Health', 'Education',
  'Transport', 'Transportation', 'Industry', 'Petroleum', 'Oil', 'Energy', 'Agriculture', 'Economy', 'Economics',
  'Budget', 'Justice', 'Environment', 'Culture', 'Development', 'Planning', 'Mines', 'Mining', 'Fisheries',
  'Communications', 'Information', 'Public', 'Works', 'Cabinet', 'Central', 'Executive', 'Managing', 'Senior',
  'Supreme', 'Crown', 'Grand', 'Chief', 'Staff', 'Federal', 'National', 'Royal', 'Majority', 'Minority', 'House',
  'Senate', 'Party', 'Opposition', 'Security', 'Intelligence', 'Veterans', 'Affairs', 'Housing', 'Resources',
  'Minerals', 'Coal', 'Revenue', 'Customs', 'Tax', 'Monetary', 'Fiscal', 'Economic', 'Financial', 'Commercial',
  'Special', 'Exchequer', 'Trade Representative', 'Representative', 'Secretary-General', 'General', 'Sports', 'Tourism',
]);

/** Lower-case words that follow a speaker: "Lavrov said", "Qin Gang told". */
export const REPORTING_VERBS: ReadonlySet<string> = new Set([
  'said', 'says', 'told', 'tells', 'added', 'adds', 'stated', 'noted', 'warned', 'announced', 'argued', 'explained',
  'insisted', 'declared', 'stressed', 'emphasised', 'emphasized', 'urged', 'replied', 'wrote', 'asked', 'predicted',
  'estimated', 'acknowledged', 'confirmed', 'denied', 'called', 'met', 'visited', 'praised', 'criticised',
  'criticized', 'proposed', 'signed', 'ordered', 'vowed', 'pledged', 'promised', 'believes', 'thinks', 'expects',
]);

/** Lower-case words before a capitalised phrase that make it a place or an organisation's ("the mayor of Port Aldric said"). */
export const PREPOSITIONS: ReadonlySet<string> = new Set(['of', 'in', 'at', 'from', 'for', 'to', 'by', 'with', 'on', 'into', 'near']);

/** Lower-case particles that may sit inside a name: "Ursula von der Leyen", "Luiz Inácio Lula da Silva". */
export const NAME_PARTICLES: ReadonlySet<string> = new Set([
  'de', 'del', 'della', 'der', 'den', 'van', 'von', 'da', 'das', 'di', 'do', 'dos', 'du', 'la', 'le', 'al', 'el',
  'bin', 'ibn', 'bint', 'ben', 'y', 'ter', 'zu',
]);

/** Lower-case words that may join the words of an organisation's name: "Bank of England", "Food and Agriculture". */
export const ORG_CONNECTORS: ReadonlySet<string> = new Set(['of', 'for', 'and', 'on', 'the', '&']);

/** Last words that make a capitalised phrase an organisation: "Shanghai Cooperation Organization", "Acme Corp". */
export const ORG_SUFFIXES: ReadonlySet<string> = new Set([
  'Organization', 'Organisation', 'Union', 'Council', 'Bank', 'Fund', 'Association', 'Commission', 'Committee',
  'Agency', 'Ministry', 'Department', 'Party', 'Corporation', 'Corp', 'Inc', 'Co', 'Ltd', 'Plc', 'PLC', 'LLC', 'AG',
  'SA', 'NV', 'Group', 'Company', 'Institute', 'University', 'Federation', 'Board', 'Authority', 'Exchange',
  'Office', 'Court', 'Parliament', 'Assembly', 'Congress', 'Senate', 'Alliance', 'League', 'Forum', 'Foundation',
  'Society', 'Institution', 'Bureau', 'Service', 'Reserve', 'Industries', 'Holdings', 'Airlines', 'Airways',
  'Motors', 'Petroleum', 'Oil', 'Systems', 'Technologies', 'Partners', 'Trust', 'Bancorp', 'Securities',
  'Communications', 'Mutual', 'Insurance', 'Cooperative', 'Secretariat', 'Tribunal', 'Navy', 'Army', 'Police',
  'Guard', 'Cabinet', 'Government', 'Administration', 'Conference', 'Club', 'Network', 'Media', 'News', 'Times',
  'Post', 'Press', 'Agencies', 'Railways', 'Railroad', 'Telecom', 'Electric', 'Steel', 'Chemical', 'Chemicals',
  'Pharmaceuticals', 'Laboratories', 'Labs', 'Energy', 'Power', 'Resources', 'Mining', 'Mines', 'International',
  'AB', 'ASA', 'SpA', 'GmbH', 'BV', 'Oy', 'Oyj', 'KK', 'Pty', 'Bhd',
  'Industrie', 'Markets', 'Traders', 'Workers', 'Exporters', 'Producers', 'Growers', 'Dealers', 'Investors', 'Savings',
  'Financial', 'Capital', 'Management', 'Brothers', 'Lines', 'Gas', 'Weekly', 'Daily', 'Index', 'System', 'Credit',
  // sports clubs
  'Athletic', 'Athletics', 'Rovers', 'Wanderers', 'FC', 'United', 'Albion', 'Rangers', 'Hotspur',
]);

/** Title words that also open organisations' names ("General Accounting Office", "National Westminster Bank"). */
export const ORG_ADJECTIVES: ReadonlySet<string> = new Set(['General', 'National', 'Federal', 'Royal', 'Central', 'Supreme']);

/** Corporate suffixes left out of an organisation's canonical name ("Standard Oil Co" → "Standard Oil"). */
export const CORPORATE_SUFFIXES: ReadonlySet<string> = new Set([
  'Inc', 'Corp', 'Co', 'Ltd', 'Plc', 'PLC', 'LLC', 'AG', 'SA', 'NV', 'Incorporated', 'Limited', 'AB', 'ASA', 'SpA',
  'GmbH', 'BV', 'Oy', 'Oyj', 'KK', 'Pty', 'Bhd',
]);

/**
 * Capitalised words that are not names on their own: sentence openers, pronouns, months, days, and the words of
 * news chrome. A run of capitalised words loses these at its start.
 */
export const NOT_NAMES: ReadonlySet<string> = new Set([
  'The', 'A', 'An', 'And', 'But', 'Or', 'Nor', 'So', 'Yet', 'If', 'In', 'On', 'At', 'By', 'For', 'From', 'To', 'Of',
  'With', 'Without', 'As', 'After', 'Before', 'During', 'Since', 'Until', 'While', 'When', 'Where', 'Why', 'How',
  'What', 'Which', 'Who', 'Whom', 'Whose', 'This', 'That', 'These', 'Those', 'It', 'Its', 'He', 'She', 'They', 'We',
  'You', 'I', 'His', 'Her', 'Their', 'Our', 'My', 'Your', 'Both', 'All', 'Some', 'Any', 'Each', 'Every', 'No', 'Not',
  'Many', 'Most', 'More', 'Much', 'Several', 'Few', 'Other', 'Another', 'Such', 'There', 'Here', 'Then', 'Now',
  'Also', 'However', 'Meanwhile', 'Although', 'Though', 'Because', 'Under', 'Over', 'About', 'Against', 'Between',
  'Among', 'Through', 'Into', 'Last', 'Next', 'First', 'Second', 'Third', 'Earlier', 'Later', 'Today',
  'Yesterday', 'Tomorrow', 'Monday', 'Tuesday', 'Wednesday', 'Thursday', 'Friday', 'Saturday', 'Sunday', 'January',
  'February', 'March', 'April', 'May', 'June', 'July', 'August', 'September', 'October', 'November', 'December',
  'Jan', 'Feb', 'Mar', 'Apr', 'Jun', 'Jul', 'Aug', 'Sep', 'Sept', 'Oct', 'Nov', 'Dec', 'Mon', 'Tue', 'Wed', 'Thu',
  'Fri', 'Sat', 'Sun', 'According', 'Asked', 'Despite', 'Even', 'Only', 'Still', 'Just', 'Once', 'Already', 'Again',
  'Instead', 'Thus', 'Therefore', 'Indeed', 'Overall', 'Finally', 'Separately', 'Neither', 'Officials', 'Analysts', 'Sources',
  'Shares', 'Prices', 'Reuters', 'Latest', 'Related', 'Read', 'Share', 'Published', 'Updated', 'Source', 'Info',
  'News', 'Click', 'Photo', 'Video', 'Advertisement', 'Copyright', 'Mr', 'Mrs', 'Ms', 'Dr', 'Year', 'Week',
  'Quarter', 'Net', 'Revs', 'Shr', 'Qtr', 'Oper', 'Avg', 'Shrs', 'Mths', 'Note', 'Nine', 'Six', 'Three', 'Two', 'One',
  'Four', 'Five', 'Seven', 'Eight', 'Ten', 'Dlrs', 'Pct', 'Cts', 'Vs', 'Should', 'Would', 'Could', 'Must', 'Might',
  'Shall',
  // closed-class words that open a sentence before a name: "Unlike Paul Volcker, …", "Besides Reagan, …"
  'Unlike', 'Besides', 'Like', 'Whether', 'Unless', 'Upon', 'Within', 'Beyond', 'Toward', 'Towards', 'Around',
  'Following', 'Including', 'Except', 'Amid', 'Along', 'Across', 'Behind', 'Throughout', 'Whereas', 'Nevertheless',
  'Nonetheless', 'Moreover', 'Furthermore', 'Otherwise', 'Perhaps', 'Likewise', 'Similarly', 'Consequently', 'Hence',
  'Accordingly', 'Currently', 'Recently', 'Previously',
  // party members: "a Texas Democrat said"
  'Democrat', 'Democrats', 'Republican', 'Republicans',
]);

/** First words that make a capitalised phrase an organisation: "Banque Paribas", "Credit Lyonnais". */
export const ORG_HEADS: ReadonlySet<string> = new Set([
  'Banque', 'Banco', 'Banca', 'Bank', 'Societe', 'Société', 'Compagnie', 'Credit', 'Crédit', 'Caisse', 'Deutsche',
  'Groupe', 'Grupo', 'Gruppo', 'Usines', 'Norsk', 'Svenska', 'Compania', 'Compañía',
]);

/** Lower-case role nouns right before a name mark it as a person's: "inside trader Ivan Boesky", "chairman Paul Volcker". */
export const ROLE_NOUNS: ReadonlySet<string> = new Set([
  'president', 'minister', 'secretary', 'chairman', 'chairwoman', 'governor', 'senator', 'spokesman', 'spokeswoman',
  'spokesperson', 'director', 'analyst', 'economist', 'trader', 'arbitrageur', 'investor', 'financier', 'official',
  'leader', 'chief', 'executive', 'head', 'founder', 'lawyer', 'attorney', 'judge', 'ambassador', 'envoy', 'premier',
  'chancellor', 'commissioner', 'general', 'mayor', 'representative', 'negotiator', 'banker', 'raider', 'speculator',
  'dealer', 'broker', 'manager', 'partner', 'adviser', 'advisor', 'candidate', 'dissident', 'activist', 'author',
  'professor', 'counterpart', 'deputy', 'aide', 'colleague', 'successor', 'predecessor', 'businessman', 'tycoon',
  'striker', 'midfielder', 'goalkeeper', 'defender', 'winger', 'coach', 'captain', 'player', 'scorer', 'champion',
  'skipper', 'referee', 'rider', 'driver', 'singer', 'actor', 'actress', 'writer', 'novelist', 'director', 'scientist',
  'researcher', 'spokesman', 'chairperson', 'governor', 'mp', 'lawmaker', 'legislator', 'mayor', 'councillor',
  'treasurer',
]);
