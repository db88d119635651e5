// Kysely table types: the one place that says what each table holds. Mirrors migrations/*.sql.
import type { ColumnType, Generated, JSONColumnType } from 'kysely';

type Timestamp = ColumnType<Date, Date | string | undefined, Date | string>;
type NullableTimestamp = ColumnType<Date | null, Date | string | null | undefined, Date | string | null>;
export type Localized = { ru: string; kk: string; en: string };

export interface OrganisationsTable {
  id: string;
  parent_id: string | null;
  kind: string;
  name: JSONColumnType<Localized>;
  active: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface CategoriesTable {
  code: string;
  name: JSONColumnType<Localized>;
  grp: string | null;
  active: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface ResidentsTable {
  id: Generated<number>;
  name: string | null;
  phone: string | null;
  email: string | null;
  created_at: Generated<Date>;
}

export interface ResidentIdentitiesTable {
  id: Generated<number>;
  resident_id: number;
  channel: string;
  external_user_id: string;
  created_at: Generated<Date>;
}

export interface MessageLocation {
  lat?: number;
  lon?: number;
  address?: string;
}

export interface MessagesTable {
  id: Generated<number>;
  channel: string;
  external_id: string;
  thread_ref: string | null;
  direction: 'in' | 'out';
  resident_id: number | null;
  author_user_id: number | null;
  text: string;
  location: JSONColumnType<MessageLocation | null, string | null, string | null>;
  raw: JSONColumnType<Record<string, unknown>, string | undefined, string>;
  stage: ColumnType<'received' | 'triaged' | 'done', 'received' | 'triaged' | 'done' | undefined>;
  received_at: Timestamp;
  audience: ColumnType<'direct' | 'public', 'direct' | 'public' | undefined>;
  addressed_to: ColumnType<string[], string[] | undefined>;
  no_ticket_reason: string | null;
  heard_terms: ColumnType<string[], string[] | undefined>;
}

export interface AttachmentsTable {
  id: Generated<number>;
  message_id: number;
  content_type: string;
  filename: string | null;
  bytes: Buffer;
  sha256: string;
  created_at: Generated<Date>;
}

export interface MessageTriageTable {
  message_id: number;
  engine: string;
  language: string;
  kind: string;
  category: string | null;
  confidence: number;
  sentiment: string;
  urgency: string;
  address: string | null;
  lat: number | null;
  lon: number | null;
  district: string | null;
  dup_signature: string | null;
  duplicate_of: ColumnType<number | null, number | null | undefined, number | null>;
  duplicate: JSONColumnType<Record<string, unknown> | null, string | null | undefined, string | null>;
  explanation: JSONColumnType<Record<string, unknown>>;
  created_at: Generated<Date>;
}

export interface TicketCountersTable {
  prefix: string;
  year: number;
  value: number;
}

export interface TicketsTable {
  id: Generated<number>;
  number: string;
  status: string;
  category: string | null;
  organisation_id: string | null;
  district: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  urgency: string;
  language: string;
  channel: string;
  source_message_id: number;
  resident_id: number | null;
  routing_trace: JSONColumnType<unknown[]>;
  first_response_due: NullableTimestamp;
  resolution_due: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  version: Generated<number>;
  assigned_at: NullableTimestamp;
  accepted_at: NullableTimestamp;
  paused_at: NullableTimestamp;
  paused_minutes: Generated<number>;
  at_risk_at: NullableTimestamp;
  reopen_count: Generated<number>;
  handback_count: Generated<number>;
  /** The incident (its number) this ticket is one report of, if any. */
  incident_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface TicketMessagesTable {
  ticket_id: number;
  message_id: number;
}

export interface UsersTable {
  id: Generated<number>;
  email: string;
  name: string;
  password_hash: string;
  locale: Generated<string>;
  disabled: Generated<boolean>;
  created_at: Generated<Date>;
}

export interface MembershipsTable {
  user_id: number;
  role: 'admin' | 'supervisor' | 'operator' | 'executor' | 'head' | 'official';
  organisation_id: string | null;
  /** For an official: the watched account they are. */
  watch_account_id: ColumnType<string | null, string | null | undefined, string | null>;
}

export interface SessionsTable {
  token_hash: string;
  user_id: number;
  created_at: Generated<Date>;
  expires_at: Timestamp;
}

export interface AuditLogTable {
  id: Generated<number>;
  at: Generated<Date>;
  actor_type: 'user' | 'resident' | 'system';
  actor_id: string | null;
  action: string;
  entity_type: string;
  entity_id: string;
  data: JSONColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface OutboxTable {
  id: Generated<number>;
  idempotency_key: string;
  channel: string;
  ticket_id: number | null;
  target: JSONColumnType<Record<string, unknown>>;
  payload: JSONColumnType<Record<string, unknown>>;
  status: ColumnType<'pending' | 'sent' | 'failed', 'pending' | undefined, 'pending' | 'sent' | 'failed'>;
  attempts: Generated<number>;
  next_attempt_at: ColumnType<Date, Date | string | undefined, Date | string>;
  last_error: string | null;
  created_at: Generated<Date>;
  sent_at: NullableTimestamp;
}

export interface ChannelCursorsTable {
  channel: string;
  key: string;
  value: string;
  updated_at: Generated<Date>;
}

export interface LabelsTable {
  id: Generated<number>;
  message_id: number;
  field: 'category' | 'kind' | 'urgency' | 'district' | 'organisation' | 'address';
  value: string;
  predicted: string | null;
  engine: string | null;
  source: 'operator' | 'import';
  user_id: number | null;
  created_at: Generated<Date>;
}

export interface TriageModelsTable {
  id: Generated<number>;
  purpose: 'category';
  created_at: Generated<Date>;
  examples: number;
  sources: JSONColumnType<Record<string, unknown>>;
  classes: JSONColumnType<Record<string, number>>;
  metrics: JSONColumnType<Record<string, unknown> | null, string | null, string | null>;
  train_seconds: number;
  model: Buffer;
  active: Generated<boolean>;
  activated_at: NullableTimestamp;
  reason: string;
}

export interface TrainingExamplesTable {
  id: Generated<number>;
  field: 'category';
  text: string;
  label: string;
  batch: string;
  imported_at: Generated<Date>;
  text_hash: string;
}

export interface WatchAccountsTable {
  id: string;
  name: JSONColumnType<Localized>;
  title: JSONColumnType<Localized>;
  organisation_id: string | null;
  handles: JSONColumnType<Partial<Record<string, string[]>>>;
  source: 'config' | 'admin';
  active: Generated<boolean>;
  updated_at: Generated<Date>;
}

export interface WatchTermsTable {
  kind: 'hashtag' | 'keyword';
  language: 'any' | 'ru' | 'kk' | 'en';
  term: string;
  source: 'config' | 'admin';
}

export interface DB {
  organisations: OrganisationsTable;
  categories: CategoriesTable;
  residents: ResidentsTable;
  resident_identities: ResidentIdentitiesTable;
  messages: MessagesTable;
  attachments: AttachmentsTable;
  message_triage: MessageTriageTable;
  ticket_counters: TicketCountersTable;
  tickets: TicketsTable;
  ticket_messages: TicketMessagesTable;
  users: UsersTable;
  memberships: MembershipsTable;
  sessions: SessionsTable;
  audit_log: AuditLogTable;
  outbox: OutboxTable;
  channel_cursors: ChannelCursorsTable;
  labels: LabelsTable;
  triage_models: TriageModelsTable;
  training_examples: TrainingExamplesTable;
  ratings: RatingsTable;
  watch_accounts: WatchAccountsTable;
  watch_terms: WatchTermsTable;
  staff_telegram: StaffTelegramTable;
  staff_telegram_codes: StaffTelegramCodesTable;
  staff_notifications: StaffNotificationsTable;
  escalations: EscalationsTable;
  daily_summaries: DailySummariesTable;
  incidents: IncidentsTable;
  ticket_notes: TicketNotesTable;
  ticket_note_files: TicketNoteFilesTable;
  resident_access: ResidentAccessTable;
  config_versions: ConfigVersionsTable;
  reports: ReportsTable;
  report_runs: ReportRunsTable;
  analytics_counted: AnalyticsCountedTable;
  analytics_hourly: AnalyticsHourlyTable;
  analytics_daily: AnalyticsDailyTable;
  analytics_daily_cds: AnalyticsDailyCdsTable;
  analytics_residents: AnalyticsResidentsTable;
  polls: PollsTable;
  spike_alerts: SpikeAlertsTable;
  poll_answers: PollAnswersTable;
  opinion_questions: OpinionQuestionsTable;
  opinion_examples: OpinionExamplesTable;
  opinion_matches: OpinionMatchesTable;
}

export interface RatingsTable {
  ticket_id: number;
  /** Null for a portal appeal filed without contact details (rated by whoever holds its access key). */
  resident_id: number | null;
  score: number;
  comment: string | null;
  channel: string;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

export interface StaffTelegramTable {
  user_id: number;
  chat_id: string;
  linked_at: Timestamp;
}

export interface StaffTelegramCodesTable {
  user_id: number;
  code_hash: string;
  expires_at: Timestamp;
}

export interface StaffNotificationsTable {
  idempotency_key: string;
  user_id: number;
  chat_id: string;
  platform_id: string;
  ticket_id: number | null;
  sent_at: Generated<Date>;
  /** telegram or email; chat_id is then the chat or the address. */
  channel: Generated<string>;
}

export interface EscalationsTable {
  id: Generated<number>;
  ticket_id: number;
  /** chain/step, e.g. default/breach. */
  step: string;
  /** The ticket's assignment and reopening the step fired for. */
  cycle: string;
  kind: 'first_response_breach' | 'at_risk' | 'breach' | 'no_reaction';
  due_at: Timestamp;
  fired_at: Timestamp;
  detail: JSONColumnType<Record<string, unknown>, string | undefined, never>;
}

export interface DailySummariesTable {
  organisation_id: string;
  /** YYYY-MM-DD in the city's time. */
  local_date: string;
  sent_at: Timestamp;
  counts: JSONColumnType<Record<string, number>, string, never>;
}

/** An admin's edit of one section of the city's configuration (migration 0017); value null reverts to the file. */
export interface ConfigVersionsTable {
  id: Generated<number>;
  section: string;
  value: ColumnType<unknown, string | null, never>;
  author_id: number | null;
  created_at: Generated<Date>;
}

export interface ResidentAccessTable {
  /** SHA-256 (hex) of the portal access key; the key itself is never stored. */
  key_hash: string;
  message_id: number;
  created_at: Generated<Date>;
}

export type TicketNoteKind = 'comment' | 'photo' | 'proof' | 'question' | 'handback';

export interface TicketNotesTable {
  id: Generated<number>;
  ticket_id: number;
  author_user_id: number | null;
  kind: TicketNoteKind;
  text: string | null;
  created_at: ColumnType<Date, Date | undefined, never>;
}

export interface TicketNoteFilesTable {
  id: Generated<number>;
  note_id: number;
  content_type: string;
  filename: string | null;
  size: number;
  sha256: string;
  bytes: Buffer;
  created_at: Generated<Date>;
}

export interface IncidentsTable {
  /** The incident's number, e.g. AST-2026-I00001. */
  id: string;
  status: string;
  category: string | null;
  organisation_id: string | null;
  district: string | null;
  address: string | null;
  lat: number | null;
  lon: number | null;
  title: string | null;
  opened_by: 'grouping' | 'operator';
  merged_into: string | null;
  dissolved_at: NullableTimestamp;
  created_at: Timestamp;
  updated_at: Timestamp;
  resolved_at: NullableTimestamp;
  closed_at: NullableTimestamp;
  version: Generated<number>;
}

/** A poll (migration 0021): question and option labels in ru/kk/en; answers are taken while open and in its window. */
export interface PollOption {
  id: string;
  label: Localized;
}
export interface PollsTable {
  id: Generated<number>;
  question: JSONColumnType<Localized>;
  options: JSONColumnType<PollOption[]>;
  status: ColumnType<'draft' | 'open' | 'closed', 'draft' | 'open' | 'closed' | undefined>;
  ask_district: Generated<boolean>;
  opens_at: NullableTimestamp;
  closes_at: NullableTimestamp;
  created_by: number | null;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}

/** One respondent's answer to a poll; respondent_key is a hash, never an identity (docs/analytics.md, "Polls"). */
export interface PollAnswersTable {
  id: Generated<number>;
  poll_id: number;
  option_id: string;
  respondent_key: string;
  channel: 'telegram' | 'web';
  district: string | null;
  answered_at: Timestamp;
  changed: Generated<number>;
}

/** A significant excess of messages in one category × district (0019_spikes.sql, analytics/spike-sweep.ts). */
export interface SpikeAlertsTable {
  id: Generated<number>;
  category: string;
  district: string;
  window_start: Timestamp;
  window_end: Timestamp;
  observed: number;
  expected: number;
  p_value: number;
  details: JSONColumnType<Record<string, number>, string | undefined, string>;
  message_ids: ColumnType<number[], number[] | undefined, number[]>;
  incident_id: string | null;
  detected_at: Timestamp;
}

/** The analytics cell dimensions (0018_analytics.sql); '' stands for "none" (no category, no district). */
export interface AnalyticsDims {
  category: string;
  district: string;
  channel: string;
  language: string;
  kind: string;
  sentiment: string;
}
/** The ledger: each counted message once, with the cell it is counted in (src/analytics/rollup.ts). */
export interface AnalyticsCountedTable extends AnalyticsDims {
  message_id: number;
  hour: Timestamp;
  day: ColumnType<string, string, string>;
  resident_id: number | null;
  counted_at: Generated<Date>;
}
export interface AnalyticsHourlyTable extends AnalyticsDims {
  hour: Timestamp;
  messages: number;
}
export interface AnalyticsDailyTable extends AnalyticsDims {
  day: ColumnType<string, string, string>;
  messages: number;
}
export interface AnalyticsDailyCdsTable {
  day: ColumnType<string, string, string>;
  category: string;
  district: string;
  sentiment: string;
  messages: number;
}
export interface AnalyticsResidentsTable extends AnalyticsDims {
  day: ColumnType<string, string, string>;
  resident_id: number;
  messages: number;
}

/** A built report (0022_reports.sql): one per kind, local date, language and format. */
export interface ReportsTable {
  id: Generated<number>;
  kind: string;
  /** YYYY-MM-DD, the city's time: the day the report is about. */
  date: string;
  language: string;
  format: 'pdf' | 'xlsx';
  bytes: Buffer;
  size: number;
  created_by: number | null;
  created_at: Generated<Date>;
}

/** A day's reports delivered to their recipients (once). */
export interface ReportRunsTable {
  kind: string;
  date: string;
  delivered_at: Timestamp;
  recipients: number;
}

/** An analyst's question about public opinion (0020_opinion.sql, analytics/opinion.ts). */
export interface OpinionQuestionsTable {
  id: Generated<number>;
  title: JSONColumnType<Localized>;
  keywords: string[];
  channel_weights: JSONColumnType<Record<string, number> | null, string | null, string | null>;
  created_by: number | null;
  active: Generated<boolean>;
  scanned_to: Generated<number>;
  created_at: Generated<Date>;
  updated_at: Timestamp;
}
export interface OpinionExamplesTable {
  id: Generated<number>;
  question_id: number;
  stance: 'for' | 'against' | 'neutral';
  text: string;
}
/** A message found about a question; source 'analyst' is a correction the model learns from and never overwrites. */
export interface OpinionMatchesTable {
  question_id: number;
  message_id: number;
  stance: 'for' | 'against' | 'neutral';
  source: 'model' | 'analyst';
  sentiment: string | null;
  score: number;
  confidence: number;
  updated_at: Timestamp;
}
