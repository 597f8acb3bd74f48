// Minimal roff writer for the man pages.
export function esc(text: string): string {
  return text.replace(/\\/g, '\\e').replace(/^([.'])/gm, '\\&$1').replace(/-/g, '\\-');
}

export class Roff {
  private readonly lines: string[] = [];

  constructor(name: string, section: number, date: string, source: string, manual: string) {
    this.lines.push(`.TH ${name.toUpperCase()} ${section} "${date}" "${source}" "${manual}"`);
  }

  section(title: string): this {
    this.lines.push(`.SH ${title.toUpperCase()}`);
    return this;
  }

  sub(title: string): this {
    this.lines.push(`.SS ${esc(title)}`);
    return this;
  }

  para(text: string): this {
    this.lines.push('.PP', esc(text));
    return this;
  }

  /** A tagged paragraph: the tag in bold, the text indented below it. */
  item(tag: string, text: string): this {
    this.lines.push('.TP', `.B ${esc(tag)}`, esc(text));
    return this;
  }

  raw(line: string): this {
    this.lines.push(line);
    return this;
  }

  toString(): string {
    return this.lines.join('\n') + '\n';
  }
}
