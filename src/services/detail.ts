// The classic (Livingston / FreeRADIUS) detail record format of aregcmd.md §9.3:
//   Sun Mar 12 17:29:21 2006
//   \tUser-Name = "bob"
//   \tAcct-Status-Type = Start
//   \tClient-IP-Address = 127.0.0.1
//   \tTimestamp = 1142184561
//   (blank line)
const DAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];
const MONTHS = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];
const p2 = (n: number): string => String(n).padStart(2, '0');

interface Parts {
  y: number;
  mo: number;
  d: number;
  h: number;
  mi: number;
  s: number;
  wd: number;
}

function parts(date: Date, local: boolean): Parts {
  return local
    ? { y: date.getFullYear(), mo: date.getMonth(), d: date.getDate(), h: date.getHours(), mi: date.getMinutes(), s: date.getSeconds(), wd: date.getDay() }
    : { y: date.getUTCFullYear(), mo: date.getUTCMonth(), d: date.getUTCDate(), h: date.getUTCHours(), mi: date.getUTCMinutes(), s: date.getUTCSeconds(), wd: date.getUTCDay() };
}

/** ctime(3) form without the newline: `Sun Mar 12 17:29:21 2006`, `Wed Mar  1 07:05:09 2006`. */
export function detailDateLine(date: Date, local = false): string {
  const t = parts(date, local);
  return `${DAYS[t.wd]} ${MONTHS[t.mo]} ${String(t.d).padStart(2, ' ')} ${p2(t.h)}:${p2(t.mi)}:${p2(t.s)} ${t.y}`;
}

/** `YYYYMMDD-HHMMSS`, the suffix of accounting file names. */
export function fileStamp(date: Date, local = false): string {
  const t = parts(date, local);
  return `${t.y}${p2(t.mo + 1)}${p2(t.d)}-${p2(t.h)}${p2(t.mi)}${p2(t.s)}`;
}

/** One complete record, blank line included. `lines` are `Name = value` texts in packet order. */
export function formatDetailRecord(date: Date, lines: readonly string[], clientAddress: string, local = false): string {
  let out = `${detailDateLine(date, local)}\n`;
  for (const l of lines) out += `\t${l}\n`;
  out += `\tClient-IP-Address = ${clientAddress}\n`;
  out += `\tTimestamp = ${Math.floor(date.getTime() / 1000)}\n\n`;
  return out;
}
