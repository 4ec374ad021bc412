import { parseSampleValue, type Vector } from './remote-write-receiver.js';

/** The series of a Prometheus text exposition (as prom-client writes it), labels unescaped. */
export function parseExposition(text: string): Vector[] {
  const out: Vector[] = [];
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const match = /^([a-zA-Z_:][a-zA-Z0-9_:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!match) throw new Error(`not an exposition line: ${line}`);
    const metric: Record<string, string> = { __name__: match[1]! };
    for (const [, name, value] of (match[2] ?? '').matchAll(/([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)"/g))
      metric[name!] = value!.replace(/\\(.)/g, (_, c: string) => (c === 'n' ? '\n' : c));
    out.push({ metric, value: parseSampleValue(match[3]!) });
  }
  return out;
}
