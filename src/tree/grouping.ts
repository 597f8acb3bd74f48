// Policy Grouping expressions: rule names joined by `&` (binds tighter) and `|`, with
// parentheses; evaluated left to right, stopping as soon as the result is known.
export type Grouping =
  | { op: 'rule'; name: string }
  | { op: '&' | '|'; left: Grouping; right: Grouping };

export function parseGrouping(text: string): { expr: Grouping; rules: string[] } | { error: string } {
  const tokens = text.match(/\s*([&|()]|[^&|()\s]+)/g)?.map((t) => t.trim()) ?? [];
  let pos = 0;
  const rules: string[] = [];
  const fail = (msg: string) => {
    throw new Error(msg);
  };
  const primary = (): Grouping => {
    const t = tokens[pos++];
    if (t === undefined) return fail('expression ends too early');
    if (t === '(') {
      const e = or();
      if (tokens[pos++] !== ')') fail(`missing ')' at token ${pos}`);
      return e;
    }
    if (t === '&' || t === '|' || t === ')') return fail(`unexpected '${t}' at token ${pos}`);
    rules.push(t);
    return { op: 'rule', name: t };
  };
  const and = (): Grouping => {
    let left = primary();
    while (tokens[pos] === '&') {
      pos++;
      left = { op: '&', left, right: primary() };
    }
    return left;
  };
  const or = (): Grouping => {
    let left = and();
    while (tokens[pos] === '|') {
      pos++;
      left = { op: '|', left, right: and() };
    }
    return left;
  };
  try {
    const expr = or();
    if (pos < tokens.length) fail(`unexpected '${tokens[pos]}' at token ${pos + 1}`);
    return { expr, rules };
  } catch (e) {
    return { error: (e as Error).message };
  }
}

/** Evaluates with short-circuit, so rules after a decided result are not run. */
export function evaluateGrouping(expr: Grouping, run: (rule: string) => boolean): boolean {
  if (expr.op === 'rule') return run(expr.name);
  const left = evaluateGrouping(expr.left, run);
  if (expr.op === '&') return left && evaluateGrouping(expr.right, run);
  return left || evaluateGrouping(expr.right, run);
}
