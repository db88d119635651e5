// Process settings from the environment, validated once at start. Every external address is a setting.
import { z } from 'zod';

const csv = z
  .string()
  .default('')
  .transform((s) =>
    s
      .split(',')
      .map((x) => x.trim())
      .filter(Boolean),
  );

export const Settings = z.object({
  PORT: z.coerce.number().int().min(0).max(65535).default(8080),
  HOST: z.string().default('127.0.0.1'),
  DATABASE_URL: z.string().url().optional(),
  QALA_DATA_DIR: z.string().default('./.qala-data'),
  QALA_CITY_DIR: z.string().default('config/cities/astana'),
  /** api = HTTP only; worker = queue handlers and outbox relay only; all = both in one process (embedded). */
  QALA_ROLE: z.enum(['all', 'api', 'worker']).default('all'),
  OPEN311_API_KEYS: csv,
  LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
  /** Requests per minute per client address on public endpoints. */
  PUBLIC_RATE_LIMIT: z.coerce.number().int().positive().default(30),
  SESSION_HOURS: z.coerce.number().positive().default(12),
  /** Fault injection for recovery tests, e.g. `after-intake=exit`. Never set in production. */
  QALA_FAILPOINTS: z.string().default(''),
});
export type Settings = z.infer<typeof Settings>;

export function readSettings(env: NodeJS.ProcessEnv = process.env): Settings {
  const parsed = Settings.safeParse(env);
  if (!parsed.success) {
    const lines = parsed.error.issues.map((i) => `  ${i.path.join('.')}: ${i.message}`);
    throw new Error(`Invalid settings:\n${lines.join('\n')}`);
  }
  return parsed.data;
}
