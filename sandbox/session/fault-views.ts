import type { FaultRequest } from '../../generators/model/faults/fault-catalogue.js';
import { describeDefault, type FaultDefinition } from '../../generators/model/faults/definition.js';
import type { FaultView } from '../tui/view-model.js';

/** Keys that toggle faults: 1-9, then the letters no panel uses (q quits; f, l, s focus; j, k, v, x act). */
export const FAULT_KEYS = [...'123456789abcdeghimnoprtuwyz'];

/** Parameters of a fault switched on from the UI: the defaults, and the first choice where one is required. */
export function defaultRequest(definition: FaultDefinition): FaultRequest {
  const params: Record<string, unknown> = {};
  for (const [name, spec] of Object.entries(definition.params)) {
    if (spec.default === undefined && spec.type === 'enum') params[name] = spec.values[0];
  }
  return { name: definition.name, params };
}

const paramText = (params: Readonly<Record<string, unknown>>) =>
  Object.entries(params)
    .map(([k, v]) => `${k}=${String(v)}`)
    .join(' ');

export function faultViews(
  definitions: readonly FaultDefinition[],
  active: readonly FaultRequest[],
): FaultView[] {
  const on = new Map(active.map((f) => [f.name, f]));
  return definitions.map((def, i) => {
    const request = on.get(def.name);
    const defaults = Object.fromEntries(
      Object.entries(def.params).map(([k, spec]) => [k, describeDefault(spec)]),
    );
    return {
      name: def.name,
      key: FAULT_KEYS[i] ?? '',
      service: def.service,
      summary: def.summary,
      active: request !== undefined,
      params: paramText(
        request ? { ...defaults, ...request.params } : { ...defaults, ...defaultRequest(def).params },
      ),
    };
  });
}
