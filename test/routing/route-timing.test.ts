import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { groupKey, routesFor } from '../../sandbox/routing/route-timing.js';

const config = (file: string) => parse(readFileSync(file, 'utf8')) as Record<string, unknown>;
const timing = (c: Record<string, unknown>, labels: Record<string, string>) =>
  routesFor(c, labels).map(({ path, receiver, groupWaitMs, groupIntervalMs }) => ({
    path,
    receiver,
    groupWaitMs,
    groupIntervalMs,
  }));

describe('routesFor (the Alertmanager route tree)', () => {
  it("takes a child's group_wait, else the parent's (a long root and a short child)", () => {
    const inhibiting = config('test/fixtures/routing/inhibiting-alertmanager.yml');
    expect(timing(inhibiting, { alertname: 'A', severity: 'critical' })).toEqual([
      { path: 'route.routes[0]', receiver: 'pager', groupWaitMs: 5_000, groupIntervalMs: 300_000 },
    ]);
    expect(timing(inhibiting, { alertname: 'A', severity: 'warning' })).toEqual([
      { path: 'route', receiver: 'chat', groupWaitMs: 120_000, groupIntervalMs: 300_000 },
    ]);
  });

  it("uses Alertmanager's default group_wait (30s) when the tree sets none, and match: maps", () => {
    const legacy = config('test/fixtures/routing/inhibiting-legacy-alertmanager.yml');
    expect(timing(legacy, { severity: 'critical' })).toEqual([
      { path: 'route.routes[0]', receiver: 'pager', groupWaitMs: 30_000, groupIntervalMs: 300_000 },
    ]);
    const lexecon = config('generators/systems/lexecon/lexecon-alertmanager.yml');
    expect(timing(lexecon, { severity: 'warning' })[0]).toMatchObject({
      receiver: 'slack-notifications',
      groupWaitMs: 30_000,
    });
  });

  it('follows continue: true to every matching route, the first match otherwise', () => {
    const tree = {
      route: {
        receiver: 'default',
        group_wait: '10s',
        routes: [
          { matchers: ['team=~"db|api"'], receiver: 'audit', continue: true, group_wait: '1m' },
          {
            matchers: ['team="db"'],
            receiver: 'db',
            routes: [{ match_re: { env: 'prod.*' }, receiver: 'db-prod', group_wait: '0s' }],
          },
          { matchers: ['team="db"'], receiver: 'never' },
        ],
      },
    };
    expect(timing(tree, { team: 'db', env: 'production' }).map((t) => [t.receiver, t.groupWaitMs])).toEqual([
      ['audit', 60_000],
      ['db-prod', 0],
    ]);
    expect(timing(tree, { team: 'db', env: 'dev' }).map((t) => [t.receiver, t.groupWaitMs])).toEqual([
      ['audit', 60_000],
      ['db', 10_000],
    ]);
    expect(timing(tree, { team: 'web' }).map((t) => t.receiver)).toEqual(['default']);
  });

  it('keys groups by the route and its group_by values (all labels for ...)', () => {
    const tree = { route: { receiver: 'r', group_by: ['alertname'] } };
    const [route] = routesFor(tree, { alertname: 'A', instance: '1' });
    expect(groupKey(route!, { alertname: 'A', instance: '1' })).toBe(
      groupKey(route!, { alertname: 'A', instance: '2' }),
    );
    const [all] = routesFor({ route: { receiver: 'r', group_by: ['...'] } }, {});
    expect(groupKey(all!, { alertname: 'A', instance: '1' })).not.toBe(
      groupKey(all!, { alertname: 'A', instance: '2' }),
    );
  });
});
