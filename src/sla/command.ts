// `qala deadline`: an administrator checks the city's working calendar and SLA targets from the command line.
// Prints JSON: the deadline (ISO 8601 with the city's offset) and the non-working days it skipped.
import { parseArgs } from 'node:util';
import { loadCity } from '../config/load.js';
import { Urgency } from '../config/schema.js';
import { addDuration, addWorkingDays, addWorkingMinutes, type DeadlineResult, formatLocal } from './calendar.js';
import { pickTarget } from './deadlines.js';

export const DEADLINE_USAGE = `  deadline --at ISO_TIME (--category CODE [--urgency U] | --working-days N | --hours N) [--city DIR]
                   the deadline on the city's working calendar as JSON (--hours counts working hours)`;

const ISO_WITH_OFFSET = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(:\d{2}(\.\d+)?)?(Z|[+-]\d{2}:\d{2})$/;

export async function deadlineCommand(args: string[]): Promise<void> {
  const { values } = parseArgs({
    args,
    options: {
      at: { type: 'string' },
      category: { type: 'string' },
      urgency: { type: 'string' },
      'working-days': { type: 'string' },
      hours: { type: 'string' },
      city: { type: 'string', default: process.env.QALA_CITY_DIR ?? 'config/cities/astana' },
    },
  });
  const fail = (why: string): never => {
    throw new Error(`${why}\n${DEADLINE_USAGE}`);
  };
  if (!values.at || !ISO_WITH_OFFSET.test(values.at)) fail(`--at needs an ISO 8601 time with its offset, e.g. 2026-03-20T17:30:00+05:00`);
  const at = new Date(values.at as string);
  if (Number.isNaN(at.getTime())) fail(`--at ${values.at} is not a real time`);
  const modes = [values.category, values['working-days'], values.hours].filter((v) => v !== undefined);
  if (modes.length !== 1) fail('give exactly one of --category, --working-days, --hours');
  if (values.urgency !== undefined && values.category === undefined) fail('--urgency goes with --category');
  const count = (name: string, v: string, integer: boolean) => {
    const n = Number(v);
    if (!Number.isFinite(n) || n <= 0 || (integer && !Number.isInteger(n)))
      fail(`--${name} must be a positive ${integer ? 'whole ' : ''}number, not ${v}`);
    return n;
  };

  const city = await loadCity(values.city as string);
  const cal = city.calendar;
  const out = (r: DeadlineResult, extra: Record<string, unknown>) =>
    process.stdout.write(
      `${JSON.stringify(
        {
          at: formatLocal(cal, at),
          ...extra,
          due: formatLocal(cal, r.due),
          skipped: r.skipped,
          ...(r.uncertain ? { uncertain: 'beyond the calendar years in the configuration' } : {}),
        },
        null,
        2,
      )}\n`,
    );

  if (values.category !== undefined) {
    if (!city.categories.some((c) => c.code === values.category))
      fail(`unknown category ${values.category} (known: ${city.categories.map((c) => c.code).join(', ')})`);
    const urgency = Urgency.safeParse(values.urgency ?? 'normal');
    if (!urgency.success) fail(`--urgency must be one of ${Urgency.options.join(', ')}, not ${values.urgency}`);
    const u = urgency.data as Urgency;
    const target = pickTarget(city.sla.targets, values.category as string, u);
    const first = addDuration(cal, at, target.first_response);
    const resolution = addDuration(cal, at, target.resolution);
    out(resolution, {
      category: values.category,
      urgency: u,
      target: { category: target.category, urgency: target.urgency ?? null, first_response: target.first_response, resolution: target.resolution },
      first_response_due: formatLocal(cal, first.due),
    });
  } else if (values['working-days'] !== undefined) {
    const n = count('working-days', values['working-days'], true);
    out(addWorkingDays(cal, at, n), { working_days: n });
  } else {
    const n = count('hours', values.hours as string, false);
    out(addWorkingMinutes(cal, at, Math.round(n * 60)), { working_hours: n });
  }
}
