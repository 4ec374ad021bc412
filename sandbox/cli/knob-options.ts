import { formatDuration, parseDuration } from '../../generators/model/duration.js';
import { UserError, didYouMean } from '../../generators/user-error.js';
import type { ParamSpec } from '../../generators/model/faults/definition.js';

/** The model ticks once a second: a shorter interval between events cannot be modelled. */
const MIN_KNOB_DURATION_MS = 1000;

const LIST_HINT = 'run `sandbox faults` to list the knobs';

function rangeOf(spec: Extract<ParamSpec, { type: 'number' }>): string {
  const kind = spec.integer ? 'a whole number' : 'a number';
  if (spec.min !== undefined && spec.max !== undefined) return `${kind} from ${spec.min} to ${spec.max}`;
  if (spec.min !== undefined) return `${kind} of at least ${spec.min}`;
  if (spec.max !== undefined) return `${kind} of at most ${spec.max}`;
  return kind;
}

/** Why `text` is not a value of the knob, or undefined when it is one. */
function problemWith(spec: ParamSpec, text: string): string | undefined {
  switch (spec.type) {
    case 'number': {
      const n = text.trim() === '' ? NaN : Number(text);
      const fits =
        Number.isFinite(n) &&
        (spec.min === undefined || n >= spec.min) &&
        (spec.max === undefined || n <= spec.max) &&
        (!spec.integer || Number.isInteger(n));
      return fits ? undefined : `must be ${rangeOf(spec)}`;
    }
    case 'duration': {
      const ms = parseDuration(text);
      const max = spec.max === undefined ? '' : ` and at most ${formatDuration(spec.max)}`;
      const fits =
        ms !== undefined && ms >= MIN_KNOB_DURATION_MS && (spec.max === undefined || ms <= spec.max);
      return fits ? undefined : `must be a duration of at least 1s${max}, e.g. 30s or 10m`;
    }
    case 'enum':
      return spec.values.includes(text) ? undefined : `must be one of ${spec.values.join(', ')}`;
  }
}

/**
 * `--knob name=value` pairs checked against the loaded systems' knobs (name, type and range), before
 * anything starts; every error is one line naming the pair and the fix. Values stay in input form (the
 * simulation reads `90s` as a duration, a bare number as seconds).
 */
export function parseKnobs(
  pairs: readonly string[],
  specs: Readonly<Record<string, ParamSpec>>,
): Record<string, string> {
  const names = Object.keys(specs);
  const knobs: Record<string, string> = {};
  for (const pair of pairs) {
    const eq = pair.indexOf('=');
    const name = (eq === -1 ? pair : pair.slice(0, eq)).trim();
    if (eq === -1) throw new UserError(`--knob "${pair}" has no value; write it as --knob ${name}=VALUE`);
    if (name === '') {
      const example = names[0] === undefined ? '' : `, e.g. --knob ${names[0]}${pair}`;
      throw new UserError(`--knob "${pair}" names no knob; write it as --knob NAME=VALUE${example}`);
    }
    const spec = Object.hasOwn(specs, name) ? specs[name] : undefined;
    if (!spec)
      throw new UserError(`--knob ${name}: unknown traffic knob${didYouMean(name, names)}; ${LIST_HINT}`);
    const value = pair.slice(eq + 1).trim();
    const problem = problemWith(spec, value);
    if (problem !== undefined) {
      throw new UserError(`--knob ${name}=${value}: ${name} ${problem} (${spec.description}); ${LIST_HINT}`);
    }
    knobs[name] = value;
  }
  return knobs;
}
