/**
 * Word lists for the demo shop: Dutch (and some Flemish) people, places and balcony solar products.
 * Sanne de Boer's street ("Kerkstraat") and her name are deliberately absent from what random people
 * get, so that a check for "no trace of Sanne left" after an erasure cannot trip over a namesake.
 */
import { weights } from './random.ts';

export const FIRST_NAMES: readonly string[] = (
  'Sanne|Lieke|Emma|Julia|Sophie|Anna|Tess|Fleur|Lotte|Eva|Noor|Sara|Lisa|Iris|Anouk|Femke|Maud|Roos|' +
  'Esther|Marieke|Ingrid|Petra|Monique|Yvonne|Wilma|Annemarie|Ria|Truus|Daniëlle|Zoë|Chloë|Noëlle|' +
  'Mirjam|Karin|Sandra|Linda|Jolanda|Hanneke|Ilse|Kim|Naomi|Fatima|Samira|Yasmina|Ayşe|Elif|Mei|Priya|' +
  'Marloes|Nienke|Jan|Piet|Kees|Henk|Gerrit|Willem|Johan|Daan|Sem|Lucas|Levi|Finn|Milan|Bram|Thijs|' +
  'Jesse|Ruben|Tim|Stijn|Niels|Joost|Bas|Maarten|Sander|Rob|Erik|Mark|Martijn|Jeroen|Wouter|Frank|Peter|' +
  'Hans|Ruud|Arjen|Sjoerd|Wietse|Hidde|Teun|Gijs|Koen|Mohamed|Ahmed|Youssef|Mehmet|Emre|Kevin|Dennis|' +
  'Rik|René|André|Joël|Dirk'
).split('|');

export const LAST_NAMES: readonly string[] = (
  'Jansen|de Jong|de Vries|van den Berg|van der Berg|van Dijk|Bakker|Janssen|Visser|Smit|Meijer|de Boer|' +
  'Mulder|de Groot|Bos|Vos|Peters|Hendriks|van Leeuwen|Dekker|Brouwer|de Wit|Dijkstra|Smits|de Graaf|' +
  'van der Meer|van der Linden|Kok|Jacobs|de Haan|Vermeulen|van den Heuvel|van der Veen|van den Broek|' +
  'de Bruijn|de Bruin|van der Heijden|Schouten|van Beek|Willems|van Vliet|van de Ven|Hoekstra|Maas|' +
  'Verhoeven|Koster|van Dam|van der Wal|Prins|Blom|Huisman|Peeters|de Lange|Kuipers|van Wijk|Postma|' +
  "Kramer|van den Bosch|Kuijpers|Veenstra|'t Hart|van 't Hof|Yılmaz|El Amrani|Bouzid|Nguyen|Öztürk|Kaya|" +
  'Şahin|Pinas|Ramdin|Tjon A Fong|Groen|Sluiter|ter Horst|op de Beek'
).split('|');

/** Common Dutch street names; "Kerkstraat" is Sanne's and therefore left out. */
export const STREETS: readonly string[] = (
  'Dorpsstraat|Schoolstraat|Molenstraat|Molenweg|Stationsweg|Stationsstraat|Julianastraat|' +
  'Wilhelminastraat|Beatrixstraat|Nieuwstraat|Markt|Raadhuisstraat|Hoofdstraat|Irenestraat|Marktstraat|' +
  'Prins Bernhardstraat|Emmastraat|Oranjestraat|Parallelweg|Sportlaan|Eikenlaan|Beukenlaan|Lindelaan|' +
  'Berkenlaan|Kastanjelaan|Esdoornlaan|Populierenlaan|Wilgenlaan|Acacialaan|Rozenstraat|Tulpstraat|' +
  'Narcisstraat|Lelystraat|Hyacintstraat|Zonnebloemstraat|Vondelstraat|Rembrandtlaan|Vermeerstraat|' +
  'Frans Halsstraat|Van Goghstraat|Mozartlaan|Beethovenstraat|Kanaalweg|Dijkweg|Zuiderweg|Noordweg|' +
  'Industrieweg|Havenstraat|Oudegracht|Herengracht|Prinsengracht|Keizersgracht|' +
  'Burgemeester de Withstraat|Van Speijkstraat|Thorbeckestraat|Graaf Florisstraat|Koningin Julianaweg|' +
  'Zeeweg|Spoorstraat|Anjerstraat'
).split('|');

export interface City {
  name: string;
  country: 'NL' | 'BE';
  /** Inclusive range of the four postal code digits. */
  postal: readonly [number, number];
  /** Area code for landline numbers. */
  area: string;
}

const NL = (name: string, from: number, to: number, area: string, weight: number) =>
  [{ name, country: 'NL', postal: [from, to], area } as City, weight] as const;
const BE = (name: string, postal: number, area: string, weight: number) =>
  [{ name, country: 'BE', postal: [postal, postal], area } as City, weight] as const;

/** Cities weighted roughly by population; a few Flemish ones because Balkonzon ships to Belgium too. */
export const CITIES = weights<City>([
  NL('Amsterdam', 1011, 1109, '020', 90),
  NL('Rotterdam', 3011, 3089, '010', 65),
  NL('Den Haag', 2491, 2597, '070', 55),
  NL('Utrecht', 3511, 3585, '030', 36),
  NL('Eindhoven', 5611, 5658, '040', 24),
  NL('Groningen', 9711, 9747, '050', 23),
  NL('Tilburg', 5011, 5049, '013', 22),
  NL('Almere', 1311, 1363, '036', 22),
  NL('Breda', 4811, 4839, '076', 19),
  NL('Nijmegen', 6511, 6546, '024', 18),
  NL('Apeldoorn', 7311, 7339, '055', 16),
  NL('Haarlem', 2011, 2037, '023', 16),
  NL('Arnhem', 6811, 6846, '026', 16),
  NL('Enschede', 7511, 7548, '053', 16),
  NL('Amersfoort', 3811, 3829, '033', 16),
  NL('Zwolle', 8011, 8043, '038', 13),
  NL('Leiden', 2311, 2334, '071', 12),
  NL('Maastricht', 6211, 6229, '043', 12),
  NL('Dordrecht', 3311, 3329, '078', 12),
  NL('Zoetermeer', 2711, 2729, '079', 12),
  NL("'s-Hertogenbosch", 5211, 5248, '073', 16),
  NL('Delft', 2611, 2629, '015', 10),
  NL('Alkmaar', 1811, 1827, '072', 10),
  NL('Leeuwarden', 8911, 8939, '058', 12),
  NL('Deventer', 7411, 7429, '0570', 10),
  NL('Hilversum', 1211, 1223, '035', 9),
  NL('Amstelveen', 1181, 1189, '020', 9),
  NL('Gouda', 2801, 2809, '0182', 7),
  NL('Venlo', 5911, 5929, '077', 10),
  NL('Heerlen', 6411, 6439, '045', 9),
  NL('Emmen', 7811, 7833, '0591', 10),
  NL('Assen', 9401, 9409, '0592', 7),
  NL('Middelburg', 4331, 4339, '0118', 5),
  NL('Lelystad', 8211, 8245, '0320', 8),
  NL('Houten', 3991, 3995, '030', 5),
  NL('Zeist', 3701, 3709, '030', 6),
  NL('Ede', 6711, 6718, '0318', 9),
  BE('Antwerpen', 2000, '03', 6),
  BE('Gent', 9000, '09', 4),
  BE('Leuven', 3000, '016', 2),
  BE('Hasselt', 3500, '011', 2),
]);

/** Postal code letter pairs; SA, SD and SS are not issued in the Netherlands. */
export const POSTAL_LETTERS = 'ABCDEGHJKLMNPRSTVWXZ';

export const HOUSE_NUMBER_ADDITIONS = ['a', 'b', 'c', 'A', '-1', '-2', '-3', ' bis', ' hs', '-II'] as const;

/** Bank codes in Dutch IBANs. */
export const NL_BANKS = weights([
  ['INGB', 38],
  ['RABO', 28],
  ['ABNA', 20],
  ['SNSB', 5],
  ['ASNB', 3],
  ['TRIO', 2],
  ['KNAB', 2],
  ['BUNQ', 2],
] as const);

export interface Product {
  sku: string;
  description: string;
  priceCents: number;
  /** VAT rate in percent. Since 2023 panels (with their inverter) for homes carry 0% in the Netherlands. */
  vat: 0 | 21;
  /** Bulky items go by freight carrier more often. */
  bulky: boolean;
}

const p = (sku: string, description: string, priceCents: number, vat: 0 | 21, bulky = false): Product => ({
  sku,
  description,
  priceCents,
  vat,
  bulky,
});

export const PRODUCTS = {
  set2: p('BZ-SET-2X400', 'Plug-in zonnepaneelset 2×400 Wp', 54900, 0, true),
  set1: p('BZ-SET-1X400', 'Plug-in zonnepaneelset 1×400 Wp', 32900, 0, true),
  setBlack: p('BZ-SET-2X450-ZW', 'Plug-in zonnepaneelset 2×450 Wp full black', 64900, 0, true),
  panel400: p('BZ-PNL-400', 'Balkon zonnepaneel 400 Wp', 14900, 0, true),
  panel450: p('BZ-PNL-450-ZW', 'Balkon zonnepaneel 450 Wp full black', 17900, 0, true),
  inverter800: p('BZ-INV-800', 'Micro-omvormer 800 W', 18900, 0),
  inverter600: p('BZ-INV-600', 'Micro-omvormer 600 W', 15900, 0),
  bracket: p('BZ-BRK-ADJ', 'Balkonbeugel verstelbaar', 5900, 21),
  wall: p('BZ-BRK-WALL', 'Gevelbeugel zwart', 6900, 21),
  flatRoof: p('BZ-BRK-FLAT', 'Montageset plat dak', 7900, 21),
  schuko5: p('BZ-CBL-SCH5', 'Schuko-kabel 5 m', 2495, 21),
  schuko10: p('BZ-CBL-SCH10', 'Schuko-kabel 10 m', 3495, 21),
  mc4: p('BZ-CBL-MC4-3', 'MC4-verlengkabel 3 m', 1495, 21),
  battery: p('BZ-BAT-2K', 'Thuisbatterij 2 kWh', 89900, 21, true),
  batteryExt: p('BZ-BAT-EXT-2K', 'Uitbreidingsaccu 2 kWh', 74900, 21, true),
  p1: p('BZ-P1-WIFI', 'P1-meter wifi', 3995, 21),
  plug: p('BZ-PLUG-EM', 'Slimme stekker met verbruiksmeting', 1995, 21),
  bolts: p('BZ-BOLT-8', 'Anti-diefstalbouten (set van 8)', 1295, 21),
  cleaning: p('BZ-CLEAN', 'Reinigingsset zonnepanelen', 2995, 21),
} as const;

export const SHIPPING = p('BZ-SHIP', 'Verzendkosten', 695, 21);
/** Orders from this amount ship free. */
export const FREE_SHIPPING_FROM_CENTS = 10000;

export const SMALL_PRODUCTS = [
  PRODUCTS.bracket,
  PRODUCTS.wall,
  PRODUCTS.schuko5,
  PRODUCTS.schuko10,
  PRODUCTS.mc4,
  PRODUCTS.p1,
  PRODUCTS.plug,
  PRODUCTS.bolts,
  PRODUCTS.cleaning,
  PRODUCTS.inverter600,
  PRODUCTS.inverter800,
];

export const CARRIERS_BULKY = weights([
  ['Jos Heeren Transport', 45],
  ['DHL', 35],
  ['PostNL', 20],
] as const);
export const CARRIERS_PARCEL = weights([
  ['PostNL', 75],
  ['DHL', 25],
] as const);

export const REVIEW_BODIES: Record<1 | 2 | 3 | 4 | 5, readonly string[]> = {
  5: [
    'Snel geleverd en goed verpakt. De panelen hangen inmiddels aan het balkon en leveren volop stroom!',
    'Prima service, mijn vraag over de omvormer werd binnen een uur beantwoord.',
    'Heldere installatie-instructie, binnen een middag aan de praat.',
    'Alles compleet, de beugels passen perfect op ons balkonhek.',
    'Goede prijs-kwaliteitverhouding. Aanrader!',
    'Super tevreden, de app laat precies zien wat we opwekken.',
    'Bezorger belde netjes van tevoren, pakket zonder schade ontvangen.',
  ],
  4: [
    'Goed product, alleen de handleiding kon wat duidelijker over de aansluiting.',
    'Levering een dag later dan gepland, verder helemaal prima.',
    'Werkt naar behoren. Beugel was wat lastig te monteren met één persoon.',
    'Fijne webwinkel, duidelijke communicatie.',
  ],
  3: [
    'Product is prima, maar de levering duurde een week langer dan beloofd.',
    'Redelijk. De kabel bleek te kort voor onze situatie.',
    'Omvormer doet het, de wifi-koppeling was een gedoe.',
  ],
  2: [
    'Paneel kwam met een kras aan. Vervanging duurde lang.',
    'Lang moeten wachten op antwoord van de klantenservice.',
  ],
  1: [
    'Omvormer werkte niet, pas na drie mails een vervanging gekregen.',
    'Bestelling kwam niet aan en niemand nam de telefoon op.',
    'Geld pas na vijf weken teruggestort na retour.',
  ],
};

export const RATINGS = weights([
  [5 as const, 55],
  [4 as const, 25],
  [3 as const, 9],
  [2 as const, 5],
  [1 as const, 6],
]);

export interface ContactTopic {
  subject: string;
  /** `{order}` is replaced by an order number when the person has one. */
  body: string;
}

export const CONTACT_TOPICS: readonly ContactTopic[] = [
  {
    subject: 'Waar blijft mijn bestelling?',
    body: 'Ik heb bestelling {order} geplaatst maar nog geen track & trace ontvangen.',
  },
  {
    subject: 'Past de beugel op mijn balkon?',
    body: 'Mijn balkonhek heeft ronde spijlen van 4 cm. Past de verstelbare beugel daarop?',
  },
  { subject: 'Retour aanvragen', body: 'Ik wil de Schuko-kabel uit bestelling {order} retourneren, hij is te kort.' },
  {
    subject: 'Factuur opnieuw sturen',
    body: 'Kunt u de factuur van bestelling {order} nogmaals mailen? Ik kan hem niet vinden.',
  },
  { subject: 'Omvormer geeft foutmelding', body: 'De micro-omvormer knippert rood sinds gisteren. Wat kan ik doen?' },
  { subject: 'Adreswijziging', body: 'Wij zijn verhuisd, wilt u het bezorgadres van bestelling {order} aanpassen?' },
  { subject: 'Mag dit van mijn VvE?', body: 'Heeft u een voorbeeldbrief voor de VvE om toestemming te vragen?' },
  { subject: 'Salderen na 2027', body: 'Is een thuisbatterij verstandig nu de salderingsregeling stopt?' },
  { subject: 'Account opheffen', body: 'Ik wil graag mijn account opheffen, ik heb geen interesse meer.' },
];

export const CONTACT_CHANNELS = weights([
  ['email', 45],
  ['phone', 25],
  ['chat', 15],
  ['form', 15],
] as const);

export const PHONE_NOTES = [
  'Klant belde over de levertijd van {order}; nieuwe bezorgdatum doorgegeven.',
  'Teruggebeld over montage op een glazen balkon; advies gevelbeugel gegeven.',
  'Vraag over aansluiten op een groep met wasmachine; advies: aparte groep.',
  'Klant meldt beschadigd paneel bij {order}; foto per mail gevraagd.',
] as const;
