// Splits a command line into arguments: whitespace separates, "..." and '...' quote
// ("" is an explicit empty argument), and inside double quotes \" and \\ escape.
export const MAX_ARGUMENT = 255;
export const MAX_LINE = 511;

export class TokenizeError extends Error {}

export function tokenize(line: string): string[] {
  if (line.length > MAX_LINE) throw new TokenizeError(`Command line too long (max ${MAX_LINE})`);
  const args: string[] = [];
  let i = 0;
  while (i < line.length) {
    while (i < line.length && /\s/.test(line[i])) i++;
    if (i >= line.length) break;
    let arg = '';
    while (i < line.length && !/\s/.test(line[i])) {
      const c = line[i];
      if (c === '"') {
        i++;
        while (i < line.length && line[i] !== '"') {
          if (line[i] === '\\' && (line[i + 1] === '"' || line[i + 1] === '\\')) i++;
          arg += line[i++];
        }
        if (i >= line.length) throw new TokenizeError('Unterminated double quote');
        i++;
      } else if (c === "'") {
        const end = line.indexOf("'", i + 1);
        if (end < 0) throw new TokenizeError('Unterminated single quote');
        arg += line.slice(i + 1, end);
        i = end + 1;
      } else {
        arg += c;
        i++;
      }
    }
    if (arg.length > MAX_ARGUMENT) throw new TokenizeError(`Argument too long (max ${MAX_ARGUMENT})`);
    args.push(arg);
  }
  return args;
}

/** Quotes an argument for display or completion when it would not survive tokenize() as is. */
export function quoteArg(arg: string): string {
  return arg === '' || /[\s"'\\]/.test(arg) ? `"${arg.replace(/["\\]/g, '\\$&')}"` : arg;
}
