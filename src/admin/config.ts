// The city's configuration as an admin edits it: overrides of whole sections stored as versions in the database
// (config_versions, newest per section wins over the file), validated by the same schemas and cross-checks as a
// start, applied to the running process at once and to every other process by polling the version number.
import { sql } from 'kysely';
import type { StaffUser } from '../auth/policies.js';
import { assembleCity, type City, ConfigError, EDITABLE_SECTIONS, fileSection, type Overrides, type SectionName } from '../config/load.js';
import type { Context } from '../context.js';
import { syncReference } from '../demo/seed.js';
import { AppError } from '../errors.js';
import type { Logger } from '../log.js';
import { commitChange } from '../outbox/change.js';
import type { Database } from '../store/db.js';
import { createTriageEngine } from '../triage/create.js';
import { LiveTriage } from '../triage/learning/live.js';
import { diffSummary } from './diff.js';

export const isSection = (s: string): s is SectionName => (EDITABLE_SECTIONS as readonly string[]).includes(s);

/** The newest value of each overridden section, and the newest version id (0 when nothing was ever edited). */
export async function storedOverrides(db: Database): Promise<{ overrides: Overrides; version: number }> {
  const { rows } = await sql<{ section: string; value: unknown; id: number }>`
    SELECT DISTINCT ON (section) section, value, id FROM config_versions ORDER BY section, id DESC`.execute(db);
  const overrides: Overrides = {};
  for (const r of rows) if (isSection(r.section) && r.value !== null) overrides[r.section] = r.value;
  return { overrides, version: await latestVersion(db) };
}

export async function latestVersion(db: Database): Promise<number> {
  const r = await db
    .selectFrom('config_versions')
    .select((eb) => eb.fn.max('id').as('id'))
    .executeTakeFirst();
  return Number(r?.id ?? 0);
}

/** At start: the files with the stored overrides on top. An override the files no longer agree with (a deploy
 * removed an organisation it names) must not stop the centre: it starts on the files and says so loudly. */
export async function withStoredConfig(db: Database, fileCity: City, log: Logger): Promise<City> {
  const { overrides, version } = await storedOverrides(db);
  if (!Object.keys(overrides).length) return { ...fileCity, version };
  try {
    return await assembleCity(fileCity.files, overrides, { version });
  } catch (e) {
    if (!(e instanceof ConfigError)) throw e;
    log.error({ issues: e.issues }, 'the stored configuration overrides do not fit the files: starting on the files alone');
    return { ...fileCity, version };
  }
}

/** Puts a new city in place: reference rows first (tickets refer to organisations and categories), then the
 * triage engine if the categories' seed keywords changed, then ctx.city, which every consumer reads at call time. */
export async function applyCity(ctx: Context, city: City): Promise<void> {
  const before = ctx.city;
  await syncReference(ctx.db, city);
  if (JSON.stringify(before.categories) !== JSON.stringify(city.categories)) {
    const triage = new LiveTriage(createTriageEngine(city), ctx.db, {
      minConfidence: city.triage.model.min_confidence,
      categories: new Set(city.categories.map((c) => c.code)),
    });
    await triage.sync(true);
    ctx.triage = triage;
  }
  ctx.city = city;
}

/** Reads the stored overrides and applies them if they are newer than what this process runs. */
export async function reloadCity(ctx: Context, force = false): Promise<boolean> {
  const { overrides, version } = await storedOverrides(ctx.db);
  if (!force && version === ctx.city.version) return false;
  const city = await assembleCity(ctx.city.files, overrides, { version });
  await applyCity(ctx, city);
  ctx.log.info({ version, overridden: city.overridden }, 'city configuration reloaded');
  return true;
}

/** Other processes (API and workers on one database) see an edit within `everyMs`. */
export function startConfigPoller(ctx: Context, everyMs = 5_000): { stop(): void } {
  let busy = false;
  const timer = setInterval(async () => {
    if (busy) return;
    busy = true;
    try {
      if ((await latestVersion(ctx.db)) !== ctx.city.version) await reloadCity(ctx);
    } catch (err) {
      ctx.log.error({ err }, 'reloading the city configuration failed; the previous one stays in use');
    } finally {
      busy = false;
    }
  }, everyMs);
  timer.unref();
  return { stop: () => clearInterval(timer) };
}

/** Each problem with its code and parameters, which the admin's form says in the admin's language. */
export const invalid = (e: ConfigError) =>
  AppError.validation(
    'the configuration is not valid',
    e.issues.map((i) => ({ field: i.path, section: i.section, code: i.code, ...(i.params && { params: i.params }), message: i.message })),
  );

/** Validates the city with `section` replaced (or reverted when value is null); stores and applies it. */
async function store(ctx: Context, user: StaffUser, section: SectionName, value: unknown | null): Promise<SectionView> {
  await commitChange(ctx.db, { type: 'user', id: String(user.id) }, async (change) => {
    // One edit at a time: each is validated against the overrides it will sit beside.
    await sql`LOCK TABLE config_versions IN EXCLUSIVE MODE`.execute(change.tx);
    const { overrides } = await storedOverrides(change.tx);
    const next: Overrides = { ...overrides };
    if (value === null) delete next[section];
    else next[section] = value;
    try {
      await assembleCity(ctx.city.files, next, {});
    } catch (e) {
      if (e instanceof ConfigError) throw invalid(e);
      throw e;
    }
    const before = overrides[section] ?? fileSection(ctx.city.files, section);
    const after = value ?? fileSection(ctx.city.files, section);
    const row = await change.tx
      .insertInto('config_versions')
      .values({ section, value: value === null ? null : JSON.stringify(value), author_id: user.id })
      .returning('id')
      .executeTakeFirstOrThrow();
    change.audit({
      action: value === null ? 'config.revert' : 'config.edit',
      entityType: 'config',
      entityId: section,
      data: { version: Number(row.id), diff: diffSummary(before, after) },
    });
  });
  await reloadCity(ctx, true);
  return sectionView(ctx, section);
}

export const saveSection = (ctx: Context, user: StaffUser, section: SectionName, value: unknown) => store(ctx, user, section, value);
export const revertSection = (ctx: Context, user: StaffUser, section: SectionName) => store(ctx, user, section, null);

export interface SectionView {
  section: SectionName;
  /** What the file says, and what an admin set instead (null: the file applies). */
  file: unknown;
  override: unknown | null;
  version: number;
  history: { version: number; author: string | null; at: Date; reverted: boolean }[];
}

export async function sectionView(ctx: Context, section: SectionName): Promise<SectionView> {
  const rows = await ctx.db
    .selectFrom('config_versions as v')
    .leftJoin('users as u', 'u.id', 'v.author_id')
    .select(['v.id', 'v.value', 'v.created_at', 'u.name'])
    .where('v.section', '=', section)
    .orderBy('v.id', 'desc')
    .limit(20)
    .execute();
  const newest = rows[0];
  return {
    section,
    file: fileSection(ctx.city.files, section),
    override: newest && newest.value !== null ? newest.value : null,
    version: ctx.city.version,
    history: rows.map((r) => ({ version: Number(r.id), author: r.name, at: r.created_at, reverted: r.value === null })),
  };
}
