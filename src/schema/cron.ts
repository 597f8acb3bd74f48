// Cron-like schedules (`min hour dom mon dow`) of RolloverSchedule: `*`, numbers, ranges `a-b`, lists
// `a,b` and steps `*/n` or `a-b/n`; as in cron, when both day fields are restricted either may match.
export interface CronSchedule {
  minutes: ReadonlySet<number>;
  hours: ReadonlySet<number>;
  days: ReadonlySet<number>;
  months: ReadonlySet<number>;
  weekdays: ReadonlySet<number>;
  anyDay: boolean;
  anyWeekday: boolean;
}

const FIELDS = [
  { name: 'minute', min: 0, max: 59 },
  { name: 'hour', min: 0, max: 23 },
  { name: 'day of month', min: 1, max: 31 },
  { name: 'month', min: 1, max: 12 },
  { name: 'day of week', min: 0, max: 7 },
] as const;

function parseField(text: string, f: (typeof FIELDS)[number]): Set<number> | string {
  const out = new Set<number>();
  for (const part of text.split(',')) {
    const m = /^(\*|(\d+)(?:-(\d+))?)(?:\/(\d+))?$/.exec(part);
    if (!m) return `'${part}' is not a valid ${f.name}`;
    const from = m[1] === '*' ? f.min : Number(m[2]);
    const to = m[1] === '*' ? f.max : m[3] !== undefined ? Number(m[3]) : m[4] !== undefined ? f.max : from;
    const step = m[4] !== undefined ? Number(m[4]) : 1;
    if (from < f.min || to > f.max || from > to || step < 1) return `'${part}' is out of range for the ${f.name} (${f.min}-${f.max})`;
    for (let v = from; v <= to; v += step) out.add(f.name === 'day of week' && v === 7 ? 0 : v);
  }
  return out;
}

export function parseCron(text: string): CronSchedule | string {
  const parts = text.trim().split(/\s+/);
  if (parts.length !== 5) return `'${text}' needs 5 fields: minute hour day-of-month month day-of-week`;
  const sets: Set<number>[] = [];
  for (let i = 0; i < 5; i++) {
    const r = parseField(parts[i], FIELDS[i]);
    if (typeof r === 'string') return r;
    sets.push(r);
  }
  return { minutes: sets[0], hours: sets[1], days: sets[2], months: sets[3], weekdays: sets[4], anyDay: parts[2] === '*', anyWeekday: parts[4] === '*' };
}

/** The first whole minute strictly after `afterMs` that the schedule names (UTC or local time). */
export function nextCronTime(s: CronSchedule, afterMs: number, local: boolean): number {
  const d = new Date(Math.floor(afterMs / 60000) * 60000 + 60000);
  const get = local
    ? { min: () => d.getMinutes(), hour: () => d.getHours(), day: () => d.getDate(), month: () => d.getMonth() + 1, dow: () => d.getDay() }
    : { min: () => d.getUTCMinutes(), hour: () => d.getUTCHours(), day: () => d.getUTCDate(), month: () => d.getUTCMonth() + 1, dow: () => d.getUTCDay() };
  // Minute steps are enough: at most a year of minutes, and a roll-over is computed once per file.
  for (let i = 0; i < 366 * 24 * 60; i++, d.setTime(d.getTime() + 60000)) {
    const dayOk = s.anyDay && s.anyWeekday ? true
      : s.anyDay ? s.weekdays.has(get.dow())
        : s.anyWeekday ? s.days.has(get.day())
          : s.days.has(get.day()) || s.weekdays.has(get.dow());
    if (s.minutes.has(get.min()) && s.hours.has(get.hour()) && s.months.has(get.month()) && dayOk) return d.getTime();
  }
  return Number.POSITIVE_INFINITY;
}
