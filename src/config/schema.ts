// The shape of a city's configuration (config/cities/<city>/*.yaml), validated at start.
// Everything city-specific lives in those files; no logic below config/ knows a street or an organisation.
import { z } from 'zod';

export const LANGUAGES = ['ru', 'kk', 'en'] as const;
export const Language = z.enum(LANGUAGES);
export type Language = z.infer<typeof Language>;

export const Localized = z.object({ ru: z.string().min(1), kk: z.string().min(1), en: z.string().min(1) });
export type Localized = z.infer<typeof Localized>;
const PerLanguage = <T extends z.ZodType>(t: T) => z.object({ ru: t, kk: t, en: t });

// Named formats: an issue says `format: "slug"` (not just a pattern), so a form can explain it in the reader's language.
const slug = z.stringFormat('slug', /^[a-z0-9][a-z0-9_-]*$/, 'lowercase letters, digits, "-" or "_"');
const isoDate = z.stringFormat('date', /^\d{4}-\d{2}-\d{2}$/, 'a date as YYYY-MM-DD');
const clock = z.stringFormat('time', /^([01]\d|2[0-3]):[0-5]\d$/, 'a time as HH:MM');

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
  /** Grouping of new tickets into incidents (docs/incidents.md): open tickets of one category within `radius_m`
   * of each other or at the same building, opened within `window_hours`, form an incident once there are
   * `min_tickets` of them; a message triage marked as a repeat joins the ticket it repeats. */
  incidents: z
    .object({
      radius_m: z.number().positive().max(5000).default(150),
      window_hours: z
        .number()
        .positive()
        .max(24 * 30)
        .default(48),
      min_tickets: z.number().int().min(2).max(100).default(2),
    })
    .prefault({}),
  /** After resolution the resident confirms or reopens within this many calendar days (counted from the day of
   * resolution, to the end of the last day in the city's time); after it, a resolved ticket closes by itself. */
  resident_loop: z
    .object({
      confirm_window_days: z.number().int().min(1).max(365).default(15),
      auto_close: z.boolean().default(true),
    })
    .prefault({}),
  /** An executor (or head) resolving a ticket must attach at least one proof photo; the note is always required. */
  resolve_requires_proof: z.boolean().default(false),
  /** The daily digest (docs/analytics.md, Reports): built at `at` (city time) about the day before, in each of
   * `languages` as PDF and XLSX, and sent to the staff with the `notify` roles by Telegram and e-mail. */
  reports: z
    .object({
      enabled: z.boolean().default(true),
      at: clock.default('08:30'),
      languages: z.array(Language).min(1).default(['kk', 'ru']),
      notify: z.array(z.enum(['official', 'supervisor', 'admin', 'head'])).default(['official', 'supervisor']),
    })
    .prefault({}),
  /** The building registry (docs/routing.md): which housing company, lift company… serves each building. */
  building_registry: z
    .object({
      /** A CSV beside city.yaml: street, house, service, organisation, name_ru, name_kk[, name_en, kind, parent]. */
      file: z.string().min(1),
      /** The parent of a registry organisation whose row names none (e.g. the housing department). */
      default_parent: slug.optional(),
      /** The kind of a registry organisation whose row names none, by service (else contractor). */
      kinds: z.record(slug, z.enum(['centre', 'department', 'district_akimat', 'utility', 'lift_company', 'housing', 'contractor'])).default({}),
    })
    .optional(),
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
      z
        .object({
          category: z.string().min(1).or(z.literal('*')),
          district: slug.optional(),
          /** Any one of these word stems (or phrases) in the text; ru and kk forms alike (docs/routing.md). */
          keywords: z.array(z.string().min(2)).min(1).optional(),
          street: z.string().min(2).optional(),
          /** Houses of `street`: "1-25", "2-40 even", "1-25 odd, 40, 42/1" or a list; checked when the city loads. */
          houses: z.union([z.string().min(1), z.array(z.union([z.string().min(1), z.number().int().positive()])).min(1)]).optional(),
          organisation: slug.optional(),
          /** A building registry service (housing, lift…): the organisation the registry names for the building. */
          registry: slug.optional(),
          /** Higher first; rules of equal priority keep file order. */
          priority: z.number().int().default(0),
          note: z.string().optional(),
        })
        .refine((r) => Boolean(r.organisation) !== Boolean(r.registry), {
          message: 'a rule names either an organisation or a registry service',
          params: { code: 'rule_target' },
        })
        .refine((r) => r.houses === undefined || r.street !== undefined, { message: 'houses need a street', params: { code: 'houses_need_street' } }),
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

/** Who an escalation step or the daily summary tells: the organisation's executors, the heads of the organisation
 * and of the organisations above it, and the centre's supervisors. Officials are named by watched account. */
export const EscalationRecipient = z.enum(['executors', 'heads', 'supervisors']);
export type EscalationRecipient = z.infer<typeof EscalationRecipient>;
export const ESCALATION_TRIGGERS = ['first_response_breach', 'at_risk', 'breach', 'no_reaction'] as const;
export type EscalationTrigger = (typeof ESCALATION_TRIGGERS)[number];

const EscalationStep = z
  .object({
    id: slug,
    on: z.enum(ESCALATION_TRIGGERS),
    /** How long after the trigger: after a deadline for the breaches, after the assignment for no_reaction. */
    after: Duration.optional(),
    notify: z.array(EscalationRecipient).default([]),
    /** Watched accounts (watchlists.yaml) whose officials are told, e.g. a deputy akim. */
    officials: z.array(slug).default([]),
    /** no_reaction only: the ticket goes back to the centre's queue, or to another organisation. */
    return_to_queue: z.boolean().default(false),
    reassign_to: slug.optional(),
  })
  .refine((s) => s.on === 'no_reaction' || (!s.return_to_queue && !s.reassign_to), 'only a no_reaction step moves the ticket')
  .refine((s) => !(s.return_to_queue && s.reassign_to), 'a step either returns the ticket to the queue or reassigns it')
  .refine((s) => s.on !== 'no_reaction' || s.after !== undefined, 'a no_reaction step needs `after` (how long an assignee may stay silent)')
  .refine((s) => s.on !== 'at_risk' || s.after === undefined, 'an at_risk step fires when the forecast says so: no `after`')
  .refine((s) => s.notify.length + s.officials.length > 0 || s.return_to_queue || s.reassign_to, 'a step tells someone or moves the ticket');
export type EscalationStep = z.infer<typeof EscalationStep>;

export const EscalationFile = z.object({
  /** When a resolution deadline is "at risk" (each rule is checked; the first that holds is named). */
  at_risk: z.object({
    /** Less than this share of the ticket's whole time is left. */
    share: z.number().gt(0).lt(1),
    /** Or less than this many hours of the ticket's own clock (working hours, or hours for round-the-clock targets). */
    floor_hours: z.number().min(0),
    /** Or the organisation's median time to resolve the category, over enough recent closed tickets, exceeds what is left. */
    history: z.object({ min_closed: z.number().int().min(3), window_days: z.number().int().positive() }).optional(),
  }),
  chains: z.record(slug, z.object({ steps: z.array(EscalationStep).min(1) })),
  /** Which chain a ticket follows; the most specific match wins (category and urgency), else the `default` chain. */
  overrides: z.array(z.object({ category: z.string().min(1).optional(), urgency: Urgency.optional(), chain: slug })).default([]),
  /** A summary per organisation once a day at this local time, to its heads and executors. */
  daily_summary: z.object({
    at: clock,
    working_days_only: z.boolean().default(true),
    notify: z.array(EscalationRecipient).min(1),
  }),
});
export type EscalationConfig = z.infer<typeof EscalationFile>;

export const CalendarFile = z.object({
  year: z.number().int().min(2000).max(2100),
  /** Weekdays that are not worked: public holidays and transferred days off. */
  days_off: z.array(z.object({ date: isoDate, name: Localized })),
  /** Weekend days that are worked (a transfer). */
  working_days: z.array(z.object({ date: isoDate, note: z.string() })).default([]),
});

/** The variables a reply template may use; any other {name} is a mistake caught at start, not sent to a resident. */
export const TEMPLATE_VARIABLES = ['number', 'deadline', 'organisation', 'category', 'reason', 'note', 'question'] as const;
export type TemplateVariable = (typeof TEMPLATE_VARIABLES)[number];

const TemplateText = z
  .string()
  .min(1)
  .refine((t) => [...t.matchAll(/\{(\w+)\}/g)].every((m) => (TEMPLATE_VARIABLES as readonly string[]).includes(m[1] ?? '')), {
    message: `a template may use only ${TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(', ')}`,
    params: { code: 'template_variables', variables: TEMPLATE_VARIABLES.map((v) => `{${v}}`).join(', ') },
  });

export const TemplatesFile = z.object({
  /** Keys like `acknowledgement` or `status.resolved`, each in ru, kk and en. `status.resolved@HEAT` is the variant
   * for category HEAT, chosen before the general `status.resolved` (which must exist too). */
  templates: z.record(
    z.string().regex(/^[a-z][a-z0-9_]*(\.[a-z0-9_]+)*(@[A-Z]{2,8})?$/, 'a key like status.resolved, or status.resolved@HEAT for one category'),
    PerLanguage(TemplateText),
  ),
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
        role: z.enum(['admin', 'supervisor', 'operator', 'executor', 'head', 'official']),
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

/** Texts in some of the three languages (a problem need not be written in all of them). */
const SomeLanguages = <T extends z.ZodTypeAny>(t: T) => z.object({ ru: t, kk: t.optional(), en: t.optional() });
const Lines = z.array(z.string().min(1)).min(1);

/** demo-history.yaml: two weeks of a working centre, replayed through the real commands (src/demo/history.ts). */
export const DemoHistoryFile = z.object({
  days: z.number().int().min(1).max(60),
  appeals: z.number().int().min(0).max(2000),
  streets: z.array(z.object({ ru: z.string(), kk: z.string(), en: z.string(), lat: z.number(), lon: z.number() })).min(1),
  problems: z
    .array(
      SomeLanguages(Lines).extend({
        category: z.string(),
        weight: z.number().positive(),
        notes: z.object({ ru: Lines, kk: Lines }),
      }),
    )
    .min(1),
  questions: SomeLanguages(Lines),
  answers: SomeLanguages(Lines),
  handbacks: SomeLanguages(Lines),
  reopens: SomeLanguages(Lines),
  comments: SomeLanguages(Lines),
  rejects: Lines,
  duplicates: Lines,
  names: Lines,
  incidents: z
    .array(
      z.object({
        hours_ago: z.number().min(0),
        street: z.string(),
        house: z.string(),
        fate: z.enum(['assigned', 'in_progress', 'resolved']),
        reports: z.array(z.object({ lang: Language, text: z.string().min(1) })).min(2),
        note: z.object({ ru: z.string(), kk: z.string() }).optional(),
      }),
    )
    .default([]),
});

/** Spike detection (analytics/spikes.ts): when a category × district receives significantly more than expected. */
export const SpikesConfig = z.object({
  /** The window the observed count is taken over, ending now. */
  window_hours: z.number().int().min(1).max(48).default(3),
  /** Fewer messages than this in the window never make an alert, however unusual. */
  min_count: z.number().int().min(1).default(5),
  /** Fewer different senders than this never make an alert (one person writing ten times is not a spike). */
  min_residents: z.number().int().min(1).default(3),
  /** An alert when the chance of seeing this many or more by the expected rate alone is below this. */
  p_value: z.number().gt(0).lt(0.5).default(0.00001),
  /** No second alert for the same category × district sooner than this after the first. */
  cooldown_hours: z.number().min(0).default(12),
  /** How much history the hour-of-week profile is learnt from. */
  history_weeks: z.number().int().min(1).max(104).default(12),
  /** The recent level ("season") is the rate of these last days. */
  level_days: z.number().int().min(1).max(90).default(28),
  /** Overdispersion: 0 is Poisson; above 0, a negative binomial with variance mean·(1 + dispersion·mean). */
  dispersion: z.number().min(0).max(5).default(0.1),
});
export type SpikesConfig = z.infer<typeof SpikesConfig>;

/** analytics.yaml: each analytics capability has its own top-level section. */
export const AnalyticsFile = z.looseObject({
  spikes: SpikesConfig.default(SpikesConfig.parse({})),
});
