// Text <-> bytes for the IP families of the Diameter Address type (RFC 6733 §4.3.1, IANA
// address families 1 = IPv4, 2 = IPv6). Written by hand so that decoding stays allocation-light
// and never throws.
import { isIPv4, isIPv6 } from 'node:net';

export const ADDRESS_FAMILY_IPV4 = 1;
export const ADDRESS_FAMILY_IPV6 = 2;

/** The 4 or 16 octets of an IPv4/IPv6 text address, or undefined when the text is neither. */
export function ipToBytes(text: string): Buffer | undefined {
  if (isIPv4(text)) return Buffer.from(text.split('.').map(Number));
  if (!isIPv6(text)) return undefined;
  const bytes = Buffer.alloc(16);
  const zone = text.indexOf('%');
  const plain = zone < 0 ? text : text.slice(0, zone);
  const [head, tail] = plain.includes('::') ? plain.split('::') : [plain, undefined];
  const headGroups = groupsOf(head!);
  const tailGroups = tail === undefined ? [] : groupsOf(tail);
  headGroups.forEach((g, i) => bytes.writeUInt16BE(g, i * 2));
  tailGroups.forEach((g, i) => bytes.writeUInt16BE(g, 16 - (tailGroups.length - i) * 2));
  return bytes;
}

function groupsOf(part: string): number[] {
  if (part === '') return [];
  const groups: number[] = [];
  for (const piece of part.split(':')) {
    if (piece.includes('.')) {
      const [a, b, c, d] = piece.split('.').map(Number);
      groups.push((a! << 8) | b!, (c! << 8) | d!);
    } else {
      groups.push(parseInt(piece, 16));
    }
  }
  return groups;
}

export function ipv4ToText(buf: Buffer, at: number): string {
  return `${buf[at]}.${buf[at + 1]}.${buf[at + 2]}.${buf[at + 3]}`;
}

/** RFC 5952 canonical text: lower case, longest run (≥ 2) of zero groups folded to "::". */
export function ipv6ToText(buf: Buffer, at: number): string {
  const groups: number[] = [];
  for (let i = 0; i < 8; i++) groups.push(buf.readUInt16BE(at + i * 2));
  let bestStart = -1;
  let bestLen = 1;
  for (let i = 0; i < 8; ) {
    if (groups[i] !== 0) { i++; continue; }
    let j = i;
    while (j < 8 && groups[j] === 0) j++;
    if (j - i > bestLen) { bestStart = i; bestLen = j - i; }
    i = j;
  }
  const hex = groups.map((g) => g.toString(16));
  if (bestStart < 0) return hex.join(':');
  return `${hex.slice(0, bestStart).join(':')}::${hex.slice(bestStart + bestLen).join(':')}`;
}
