import { parseDuration } from '../../generators/model/duration.js';
import { matchesAll, parseMatchers, type LabelMatcher } from './alertmanager-matchers.js';

type Labels = Readonly<Record<string, string>>;

/** Alertmanager's defaults for a route tree that sets none. */
const DEFAULT_GROUP_WAIT_MS = 30_000;
const DEFAULT_GROUP_INTERVAL_MS = 300_000;

/** A route an alert ends on, with the timing it inherited from its parents. */
export interface RouteTiming {
  /** Where it sits in the tree: "route", "route.routes[1]", …; routes' groups are apart. */
  path: string;
  receiver: string;
  groupWaitMs: number;
  groupIntervalMs: number;
  /** The labels its groups are keyed by; undefined: all of them (`group_by: ['...']`). */
  groupBy?: readonly string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

function routeMatchers(route: Record<string, unknown>): LabelMatcher[] {
  const map = (value: unknown, op: '=' | '=~') =>
    isObject(value)
      ? Object.entries(value).flatMap(([name, v]) =>
          parseMatchers(`${JSON.stringify(name)}${op}${JSON.stringify(String(v))}`),
        )
      : [];
  return [
    ...map(route.match, '='),
    ...map(route.match_re, '=~'),
    ...(Array.isArray(route.matchers) ? route.matchers.flatMap((m) => parseMatchers(String(m))) : []),
  ];
}

const duration = (value: unknown, inherited: number) =>
  typeof value === 'string' ? (parseDuration(value) ?? inherited) : inherited;

function timingOf(route: Record<string, unknown>, parent: RouteTiming, path: string): RouteTiming {
  const groupBy = Array.isArray(route.group_by) ? route.group_by.map(String) : parent.groupBy;
  return {
    path,
    receiver: typeof route.receiver === 'string' ? route.receiver : parent.receiver,
    groupWaitMs: duration(route.group_wait, parent.groupWaitMs),
    groupIntervalMs: duration(route.group_interval, parent.groupIntervalMs),
    groupBy: groupBy?.includes('...') ? undefined : groupBy,
  };
}

function walk(route: Record<string, unknown>, timing: RouteTiming, labels: Labels): RouteTiming[] {
  const found: RouteTiming[] = [];
  const children: unknown[] = Array.isArray(route.routes) ? route.routes : [];
  for (const [i, child] of children.entries()) {
    if (!isObject(child) || !matchesAll(routeMatchers(child), labels)) continue;
    found.push(...walk(child, timingOf(child, timing, `${timing.path}.routes[${i}]`), labels));
    if (child.continue !== true) break;
  }
  return found.length > 0 ? found : [timing];
}

/**
 * The routes of an Alertmanager configuration an alert with these labels ends on (several when a route
 * says `continue: true`), as Alertmanager walks the tree: depth first, the first matching child unless
 * it continues; group_wait, group_interval and group_by inherited from the parents.
 */
export function routesFor(config: Record<string, unknown>, labels: Labels): RouteTiming[] {
  const root = isObject(config.route) ? config.route : {};
  const base: RouteTiming = {
    path: '',
    receiver: '',
    groupWaitMs: DEFAULT_GROUP_WAIT_MS,
    groupIntervalMs: DEFAULT_GROUP_INTERVAL_MS,
    groupBy: [],
  };
  return walk(root, timingOf(root, base, 'route'), labels);
}

/** The key of the group an alert joins on a route: the route and the values of its group_by labels. */
export function groupKey(route: RouteTiming, labels: Labels): string {
  const names = route.groupBy ?? Object.keys(labels).sort();
  return JSON.stringify([route.path, names.map((n) => labels[n] ?? '')]);
}
