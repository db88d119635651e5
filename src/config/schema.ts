// The shape of a city's configuration (config/cities/<city>/*.yaml), validated at start.
// Everything city-specific lives in those files; no logic below config/ knows a street or an organisation.
import { z } from 'zod';

export const LANGUAGES = ['ru', 'kk', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const Localized = z.object({ ru: z.string().min(1), kk: z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof Localized>;
const PerLanguage = <T extends z.ZodType>(t: T) => z.object({ ru: t, kk: t, en: t });

const slug = z.string().regex(/^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" or "_"');
const isoDate = z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const clock = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

export const Urgency = z.enum(['low', 'normal', 'high', 'critical']);
export type Urgency = z.infer<typeof Urgency>;

export const CityFile = z.object({
  id: slug,
  name: Localized,
  ticket_prefix: z.string().regex(/^[A-Z]{2,5}$/, 'two to five capital Latin letters'),
  /** Fixed UTC offset in minutes (Kazakhstan: +300 since 1 March 2024). Not taken from the host's tz data. */
  utc_offset_minutes: z.number().int().min(-720).max(840),
  default_language: Language,
  center: z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) }),
  districts_file: z.string().min(1),
  districts: z.array(z.object({ id: slug, name: Localized, population: z.number().int().positive().optional() })).min(1),
  /** The organisation that receives what nothing else matches (the centre itself). */
  fallback_organisation: slug,
  /** Below this category confidence a ticket waits for an operator instead of being routed automatically. */
  auto_route_min_confidence: z.number().min(0).max(1),
  /** Kinds of public message (a post or comment that tags an official) that become tickets; the rest are kept
   * for analytics only. Messages written to the city directly always become tickets. */
  public_ticket_kinds: z.array(z.enum(['complaint', 'question', 'thanks', 'suggestion', 'noise'])).default(['complaint', 'suggestion']),
});

export const OrganisationKind = z.enum(['centre', 'department', 'district_akimat', 'utility', 'lift_company', 'housing', 'contractor']);

export const OrganisationsFile = z.object({
  organisations: z
    .array(
      z.object({
        id: slug,
        parent: slug.optional(),
        kind: OrganisationKind,
        name: Localized,
        demo: z.boolean().default(false),
      }),
    )
    .min(1),
});

export const CategoriesFile = z.object({
  categories: z
    .array(
      z.object({
        code: z.string().regex(/^[A-Z]{2,8}$/, 'two to eight capital Latin letters'),
        group: slug,
        name: Localized,
        description: Localized,
        /** Seed keywords for the cold start: word stems, matched at the start of words, per language. */
        keywords: PerLanguage(z.array(z.string().min(2)).min(1)),
      }),
    )
    .min(1),
});

export const RoutingFile = z.object({
  rules: z
    .array(
      z.object({
        category: z.string().min(1).or(z.literal('*')),
        district: slug.optional(),
        organisation: slug,
        note: z.string().optional(),
      }),
    )
    .min(1),
});

const Duration = z.union([
  z.object({ hours: z.number().positive() }),
  z.object({ working_hours: z.number().positive() }),
  z.object({ working_days: z.number().int().positive() }),
]);
export type Duration = z.infer<typeof Duration>;

export const SlaFile = z.object({
  working_hours: z.object({ start: clock, end: clock }),
  targets: z
    .array(
      z.object({
        category: z.string().min(1).or(z.literal('*')),
        urgency: Urgency.optional(),
        first_response: Duration,
        resolution: Duration,
        note: z.string().optional(),
      }),
    )
    .min(1),
});

export const CalendarFile = z.object({
  year: z.number().int().min(2000).max(2100),
  /** Weekdays that are not worked: public holidays and transferred days off. */
  days_off: z.array(z.object({ date: isoDate, name: Localized })),
  /** Weekend days that are worked (a transfer). */
  working_days: z.array(z.object({ date: isoDate, note: z.string() })).default([]),
});

export const TemplatesFile = z.object({
  /** Keys like `acknowledgement` or `status.resolved`; values per language, with {number}, {deadline}, {organisation}, {category}. */
  templates: z.record(z.string(), PerLanguage(z.string().min(1))),
});

const GeoPoint = z.object({ lat: z.number().min(-90).max(90), lon: z.number().min(-180).max(180) });

export const TriageFile = z.object({
  urgency: z.object({
    critical: PerLanguage(z.array(z.string().min(2))),
    high: PerLanguage(z.array(z.string().min(2))),
    /** Combinations that only together mean danger; `{frost}` matches a temperature of −10 °C or below. */
    rules: z
      .array(
        z
          .object({
            id: slug,
            all: z.array(z.array(z.string().min(2)).min(1)).min(1),
            level: Urgency.optional(),
            raise: z.boolean().optional(),
          })
          .refine((r) => Boolean(r.level) !== Boolean(r.raise), 'a rule either sets a level or raises by one'),
      )
      .default([]),
  }),
  kinds: z.object({
    thanks: PerLanguage(z.array(z.string().min(2))),
    question: PerLanguage(z.array(z.string().min(2))),
    suggestion: PerLanguage(z.array(z.string().min(2))),
  }),
  /** The category model the centre learns from operators' corrections and imported history. */
  model: z
    .object({
      /** The model decides the category when it is at least this sure; below, the seed keywords decide. */
      min_confidence: z.number().min(0).max(1).default(0.5),
      /** Retrain in the background once this many new operator labels have come in since the active model. */
      retrain_after_labels: z.number().int().positive().default(50),
      /** Fewer labelled examples than this (or fewer than two categories) and no model is trained. */
      min_examples: z.number().int().min(10).default(100),
      /** A new model becomes active only if its held-out macro-F1 reaches this. */
      min_macro_f1: z.number().min(0).max(1).default(0.5),
    })
    .default({ min_confidence: 0.5, retrain_after_labels: 50, min_examples: 100, min_macro_f1: 0.5 }),
  /** Street names in each language and their former names, for finding addresses in text. */
  streets: z
    .array(
      z.object({
        names: z.array(z.string().min(2)).min(1),
        district: slug.optional(),
        /** A representative point, for geocoding an address without a known building. */
        point: GeoPoint.optional(),
        /** Buildings with coordinates, by house number: `{ "40": { lat: …, lon: … } }`. */
        houses: z.record(z.string().min(1).max(12), GeoPoint).optional(),
      }),
    )
    .default([]),
  /** Residential areas and microdistricts (жилые массивы, мкр, ЖК), for places without a street. */
  areas: z
    .array(
      z.object({
        names: z.array(z.string().min(2)).min(1),
        district: slug.optional(),
        point: GeoPoint.optional(),
      }),
    )
    .default([]),
});

const PLATFORMS = ['instagram', 'facebook', 'x', 'vk', 'telegram'] as const;
/** A handle as the platform shows it, without @; or the platform's numeric id. */
const Handle = z
  .string()
  .regex(/^@?[A-Za-z0-9_.-]{2,64}$/, 'a handle like akimat_astana or a numeric id')
  .transform((h) => h.replace(/^@/, '').toLowerCase());

/** Who and what the centre listens for on social networks. Admins can edit the list at run time as well. */
export const WatchlistsFile = z.object({
  accounts: z
    .array(
      z.object({
        id: slug,
        name: Localized,
        /** The post: akim, deputy akim, head of a department, district akim, official page… */
        title: Localized,
        organisation: slug.optional(),
        handles: z.partialRecord(z.enum(PLATFORMS), z.array(Handle)).default({}),
        demo: z.boolean().default(false),
      }),
    )
    .default([]),
  hashtags: z
    .array(
      z
        .string()
        .regex(/^#?[\p{L}\p{N}_]{2,64}$/u, 'a hashtag like #astana109')
        .transform((h) => h.replace(/^#/, '').toLowerCase()),
    )
    .default([]),
  keywords: PerLanguage(z.array(z.string().min(2))).default({ ru: [], kk: [], en: [] }),
});

export const DemoFile = z.object({
  users: z
    .array(
      z.object({
        email: z.string().email(),
        name: z.string().min(1),
        password: z.string().min(8),
        role: z.enum(['admin', 'supervisor', 'operator', 'executor', 'official']),
        organisation: slug.optional(),
        /** An official's watched account (watchlists.yaml). */
        watch_account: slug.optional(),
        locale: Language.default('ru'),
      }),
    )
    .min(1),
  appeals: z
    .array(
      z.object({
        channel: z.enum(['web', 'phone', 'open311']),
        text: z.string().min(1),
        lat: z.number().optional(),
        lon: z.number().optional(),
        address: z.string().optional(),
        hours_ago: z.number().min(0).default(0),
      }),
    )
    .default([]),
});
