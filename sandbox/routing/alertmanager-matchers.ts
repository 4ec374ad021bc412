/** One Alertmanager label matcher: `name="value"`, `name!="value"`, `name=~"re"`, `name!~"re"`. */
export interface LabelMatcher {
  name: string;
  op: '=' | '!=' | '=~' | '!~';
  value: string;
  /** For `=~` and `!~`: the value anchored at both ends, as Alertmanager anchors it. */
  regex?: RegExp;
}

const OPERATORS = ['!~', '=~', '!=', '='] as const;

/** A quoted string from `text[start]` (a `"`): its value (with \" \\ \n unescaped) and where it ends. */
function quoted(text: string, start: number): { value: string; end: number } {
  let value = '';
  for (let i = start + 1; i < text.length; i++) {
    const c = text[i]!;
    if (c === '"') return { value, end: i + 1 };
    if (c === '\\' && i + 1 < text.length) {
      const next = text[++i]!;
      value += next === 'n' ? '\n' : next === '"' || next === '\\' ? next : `\\${next}`;
    } else value += c;
  }
  throw new Error(`unterminated quoted string in ${JSON.stringify(text)}`);
}

function matcher(name: string, op: LabelMatcher['op'], value: string): LabelMatcher {
  if (op !== '=~' && op !== '!~') return { name, op, value };
  try {
    return { name, op, value, regex: new RegExp(`^(?:${value})$`, 'u') };
  } catch (error) {
    throw new Error(`${name}${op}"${value}": invalid regular expression (${(error as Error).message})`);
  }
}

/**
 * Parses an Alertmanager matchers string (a `source_matchers:`/`target_matchers:` entry): one or more
 * matchers separated by commas, optionally in braces; names and values may be quoted.
 */
export function parseMatchers(text: string): LabelMatcher[] {
  let rest = text.trim();
  if (rest.startsWith('{') && rest.endsWith('}')) rest = rest.slice(1, -1);
  const matchers: LabelMatcher[] = [];
  let i = 0;
  const skipSpace = () => {
    while (i < rest.length && /\s/.test(rest[i]!)) i++;
  };
  for (;;) {
    skipSpace();
    if (i >= rest.length) break;
    let name: string;
    if (rest[i] === '"') ({ value: name, end: i } = quoted(rest, i));
    else {
      const start = i;
      while (i < rest.length && !/[\s=!~,"]/.test(rest[i]!)) i++;
      name = rest.slice(start, i);
    }
    skipSpace();
    const op = OPERATORS.find((o) => rest.startsWith(o, i));
    if (!name || !op)
      throw new Error(
        `expected name="value", name!="value", name=~"re" or name!~"re" in ${JSON.stringify(text)}`,
      );
    i += op.length;
    skipSpace();
    let value: string;
    if (rest[i] === '"') ({ value, end: i } = quoted(rest, i));
    else {
      const start = i;
      while (i < rest.length && rest[i] !== ',') i++;
      value = rest.slice(start, i).trim();
    }
    matchers.push(matcher(name, op, value));
    skipSpace();
    if (i < rest.length && rest[i] !== ',')
      throw new Error(`expected a comma after ${name}${op}"${value}" in ${JSON.stringify(text)}`);
    i++;
  }
  return matchers;
}

/** Whether a label set satisfies a matcher; a missing label has the empty value, as in Alertmanager. */
export function matches(m: LabelMatcher, labels: Readonly<Record<string, string>>): boolean {
  const value = labels[m.name] ?? '';
  switch (m.op) {
    case '=':
      return value === m.value;
    case '!=':
      return value !== m.value;
    case '=~':
      return m.regex!.test(value);
    case '!~':
      return !m.regex!.test(value);
  }
}

export const matchesAll = (ms: readonly LabelMatcher[], labels: Readonly<Record<string, string>>) =>
  ms.every((m) => matches(m, labels));
