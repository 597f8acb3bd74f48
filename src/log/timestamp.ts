// Timestamps of log and trace lines: `MM/DD/YYYY H:MM:SS.mmm` in local time (aregcmd.md §11.2/§11.3).
// The hour is not zero-padded ("5:36:19.646"), as in the original's files.

let cachedSecond = -1;
let cachedPrefix = '';

function pad2(n: number): string {
  return n < 10 ? `0${n}` : String(n);
}

function pad3(n: number): string {
  return n < 10 ? `00${n}` : n < 100 ? `0${n}` : String(n);
}

/** Formats `ms` (epoch milliseconds, default now). The date/second part is cached per second, so a burst of
 * lines costs one Date per distinct second. */
export function formatTimestamp(ms: number = Date.now()): string {
  const second = Math.floor(ms / 1000);
  if (second !== cachedSecond) {
    const d = new Date(second * 1000);
    cachedPrefix =
      `${pad2(d.getMonth() + 1)}/${pad2(d.getDate())}/${d.getFullYear()} ` +
      `${d.getHours()}:${pad2(d.getMinutes())}:${pad2(d.getSeconds())}.`;
    cachedSecond = second;
  }
  return cachedPrefix + pad3(ms - second * 1000);
}

/** Matches a timestamp produced by formatTimestamp (for tests and log readers). */
export const TIMESTAMP_RE = /^\d{2}\/\d{2}\/\d{4} \d{1,2}:\d{2}:\d{2}\.\d{3}$/;
