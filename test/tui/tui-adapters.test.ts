import { parser as promql } from '@prometheus-io/lezer-promql';
import { describe, expect, it } from 'vitest';
import { FaultCatalogue } from '../../generators/model/faults/fault-catalogue.js';
import { defaultSystems } from '../../generators/systems/index.js';
import type { LiveReplayEvent } from '../../sandbox/replay/live/live-replay.js';
import type { ScenarioResult } from '../../sandbox/replay/replay-scenarios.js';
import { scenarioSchema } from '../../sandbox/scenario/scenario-schema.js';
import type { ApiAlert, ApiAlertingRule } from '../../sandbox/stack/prometheus-api.js';
import { alertRows } from '../../sandbox/session/alert-rows.js';
import { defaultRequest, faultViews } from '../../sandbox/session/fault-views.js';
import { ScenarioTracker } from '../../sandbox/session/scenario-tracker.js';
import { TRAFFIC_QUERIES } from '../../sandbox/session/traffic-tracker.js';

/** As Prometheus writes activeAt: RFC 3339 with nanoseconds. */
const T0 = '2025-06-01T12:00:00.123456789Z';
const T1 = '2025-06-01T12:02:30.5Z';
const T2 = '2025-06-01T12:05:00Z';
const ms = (rfc3339: string) => Date.parse(rfc3339);

function alert(state: ApiAlert['state'], activeAt: string, labels: Record<string, string>): ApiAlert {
  return { state, activeAt, labels, annotations: { summary: 'x' }, value: '1e+00' };
}

function rule(
  name: string,
  state: ApiAlertingRule['state'],
  duration: number,
  severity: string,
  alerts: ApiAlert[] = [],
): ApiAlertingRule {
  return { type: 'alerting', name, query: `${name}_expr > 0`, duration, labels: { severity }, state, alerts };
}

/** An alert's labels as Prometheus gives them: the rule's, the target's (job, instance) and the series'. */
const labels = (alertname: string, severity: string, extra: Record<string, string> = {}) => ({
  alertname,
  severity,
  job: 'vaultmesh-guardian',
  instance: '127.0.0.1:9472',
  ...extra,
});
const nodeLabels = (node: string) => labels('NodeDown', 'critical', { node });

describe('alertRows', () => {
  const nodeDown = rule('NodeDown', 'firing', 900, 'critical', [
    alert('firing', T1, nodeLabels('node-sin-04')),
    alert('firing', T0, nodeLabels('node-ams-01')),
    alert('pending', T2, nodeLabels('node-fra-02')),
  ]);
  const emergency = rule('EmergencyActive', 'firing', 0, 'warning', [
    alert('firing', T2, { alertname: 'EmergencyActive', severity: 'warning', job: 'vaultmesh-guardian' }),
  ]);
  const anchorDelayed = rule('AnchorDelayed', 'pending', 600, 'warning', [
    alert('pending', T1, labels('AnchorDelayed', 'warning', { scroll: 'treasury' })),
  ]);
  const inactive = ['ReceiptWriteFailure', 'AnchorFailure', 'OracleHighLatency'].map((n) =>
    rule(n, 'inactive', 300, n === 'ReceiptWriteFailure' ? 'critical' : 'warning'),
  );
  const rows = alertRows([...inactive, anchorDelayed, emergency, nodeDown]);

  it('counts the firing alerts of a firing rule, since the earliest activeAt plus for:', () => {
    const row = rows.find((r) => r.name === 'NodeDown')!;
    expect(row).toEqual({
      name: 'NodeDown',
      state: 'firing',
      severity: 'critical',
      sinceMs: ms(T0) + 900_000,
      labels: { node: 'node-ams-01' },
      count: 2,
    });
  });

  it('keeps only the labels that tell instances apart', () => {
    expect(rows.find((r) => r.name === 'EmergencyActive')!.labels).toEqual({});
    expect(rows.find((r) => r.name === 'AnchorDelayed')!.labels).toEqual({ scroll: 'treasury' });
  });

  it('dates a pending rule from its activeAt, without for:', () => {
    expect(rows.find((r) => r.name === 'AnchorDelayed')).toMatchObject({
      state: 'pending',
      sinceMs: ms(T1),
      count: 1,
      severity: 'warning',
    });
  });

  it('shows an inactive rule with its severity, no count, no time and no labels', () => {
    expect(rows.find((r) => r.name === 'ReceiptWriteFailure')).toEqual({
      name: 'ReceiptWriteFailure',
      state: 'inactive',
      severity: 'critical',
      count: 0,
    });
  });

  it('sorts firing (longest first), then pending, then inactive by name', () => {
    // NodeDown fires since T0 + 15m = 12:15, EmergencyActive since T2 = 12:05.
    expect(rows.map((r) => `${r.state}:${r.name}`)).toEqual([
      'firing:EmergencyActive',
      'firing:NodeDown',
      'pending:AnchorDelayed',
      'inactive:AnchorFailure',
      'inactive:OracleHighLatency',
      'inactive:ReceiptWriteFailure',
    ]);
  });

  it('breaks ties in time by name', () => {
    const a = rule('Bravo', 'pending', 60, 'warning', [alert('pending', T0, { alertname: 'Bravo' })]);
    const b = rule('Alpha', 'pending', 60, 'warning', [alert('pending', T0, { alertname: 'Alpha' })]);
    expect(alertRows([a, b]).map((r) => r.name)).toEqual(['Alpha', 'Bravo']);
  });
});

describe('faultViews and defaultRequest against the real fault catalogue', () => {
  const catalogue = new FaultCatalogue(defaultSystems().flatMap((s) => s.faults));
  const definitions = catalogue.list();
  const views = faultViews(definitions, []);

  it('gives every fault its own key, none of them a key the panels use', () => {
    expect(views).toHaveLength(definitions.length);
    expect(definitions.length).toBeGreaterThan(9);
    const keys = views.map((v) => v.key);
    for (const key of keys) expect(key).toMatch(/^[0-9a-z]$/);
    expect(new Set(keys).size).toBe(keys.length);
    for (const reserved of [...'q?flsjkvx']) expect(keys).not.toContain(reserved);
    expect(keys.slice(0, 9)).toEqual([...'123456789']);
  });

  it('fills the first choice of the required service_down service, which the catalogue accepts', () => {
    const request = defaultRequest(catalogue.get('service_down'));
    expect(request).toEqual({ name: 'service_down', params: { service: 'portal' } });
    expect(() => catalogue.validate(request.name, request.params)).not.toThrow();
    expect(() => catalogue.validate('service_down', {})).toThrow(/service is required/);
  });

  it('asks for a request every fault of the catalogue validates', () => {
    for (const def of definitions) {
      const request = defaultRequest(def);
      expect(request.name).toBe(def.name);
      expect(() => catalogue.validate(request.name, request.params), def.name).not.toThrow();
    }
  });

  it('shows inactive faults with their default parameters', () => {
    const byName = new Map(views.map((v) => [v.name, v]));
    expect(byName.get('receipt_write_errors')).toMatchObject({
      active: false,
      service: 'portal',
      params: 'ratio=0.25 scroll=all error_type=storage_timeout',
    });
    expect(byName.get('anchor_failures')!.params).toBe('reason=rpc_timeout retry_after=2m');
    expect(byName.get('service_down')!.params).toBe('service=portal');
    expect(byName.get('emergency')!.params).toBe('');
  });

  it('shows active faults with the parameters they were switched on with', () => {
    const active = faultViews(definitions, [
      { name: 'receipt_write_errors', params: { ratio: 0.9, scroll: 'treasury' } },
      { name: 'service_down', params: { service: 'zkp' } },
      { name: 'emergency', params: {} },
    ]);
    const byName = new Map(active.map((v) => [v.name, v]));
    expect(byName.get('receipt_write_errors')).toMatchObject({
      active: true,
      params: 'ratio=0.9 scroll=treasury error_type=storage_timeout',
    });
    expect(byName.get('service_down')).toMatchObject({ active: true, params: 'service=zkp' });
    expect(byName.get('emergency')!.active).toBe(true);
    expect(active.filter((v) => v.active).map((v) => v.name)).toHaveLength(3);
    expect(active.map((v) => v.key)).toEqual(views.map((v) => v.key));
  });
});

describe('ScenarioTracker', () => {
  const scenario = scenarioSchema.parse({
    name: 'node-down-demo',
    description: 'a node goes quiet',
    duration: '30m',
    steps: [
      { at: '20m', clear: 'node_down' },
      { at: '10m', name: 'outage', fault: 'node_down', params: { node: 'node-sin-04' } },
      { at: '0s', caption: 'Watch {grafana}' },
      { at: '15m', traffic: { receipt_rate: 2 } },
    ],
    expect: [
      { alert: 'NodeDown', silent: { to: '10m' } },
      { alert: 'NodeDown', fires: { after: 'outage', within: '18m' } },
    ],
  });
  const result = (passed: boolean, notes: string[] = []): ScenarioResult => ({
    name: scenario.name,
    mode: 'live',
    description: scenario.description,
    file: 'node-down-demo.yaml',
    passed,
    results: [
      { alert: 'NodeDown', expectation: 'silent until 10m', passed: true, detail: 'silent' },
      { alert: 'NodeDown', expectation: 'fires within 18m after outage', passed, detail: 'fired at 26m' },
    ],
    unexpected: [
      { alert: 'NodeUnhealthy', expectation: 'unexpected', passed: false, detail: 'fired at 15m' },
    ],
    failures: [],
    virtualMs: 1_234_000,
    wallMs: 1_240_000,
    forScale: 2,
    notes,
  });
  const track = (...events: LiveReplayEvent[]) => {
    const tracker = new ScenarioTracker();
    tracker.begin(scenario, 1);
    for (const e of events) tracker.apply(e);
    return tracker.view()!;
  };
  const { name, duration: durationMs } = scenario;
  const started: LiveReplayEvent = { type: 'started', scenario: name, durationMs, forScale: 2, notes: [] };
  const step = (atMs: number, caption?: string): LiveReplayEvent => ({
    type: 'step',
    atMs,
    action: '',
    caption,
  });
  const finished = (result: ScenarioResult): LiveReplayEvent => ({ type: 'finished', result });

  it('ignores events before a scenario begins', () => {
    const tracker = new ScenarioTracker();
    tracker.apply(started);
    expect(tracker.view()).toBeUndefined();
  });

  it('begins with the steps in time order, none done', () => {
    const view = track();
    expect(view).toMatchObject({ name: 'node-down-demo', durationMs: 1_800_000, state: 'running' });
    expect(view.steps).toEqual([
      { atMs: 0, label: 'caption', done: false },
      { atMs: 600_000, label: 'outage', done: false },
      { atMs: 900_000, label: expect.any(String), done: false },
      { atMs: 1_200_000, label: 'node_down', done: false },
    ]);
  });

  it('marks steps done as they happen and keeps the last caption', () => {
    const view = track(started, step(0, 'Watch http://127.0.0.1:3000'), step(600_000));
    expect(view.forScale).toBe(2);
    expect(view.steps.map((s) => s.done)).toEqual([true, true, false, false]);
    expect(view.caption).toBe('Watch http://127.0.0.1:3000');
  });

  it('shows progress with the live statuses, and details only once decided', () => {
    const view = track(started, {
      type: 'progress',
      elapsedMs: 700_000,
      expectations: [
        { expectation: 'silent until 10m', status: 'passed', detail: 'silent' },
        { expectation: 'fires within 18m after outage', status: 'waiting', detail: 'not fired yet' },
      ],
    });
    expect(view.elapsedMs).toBe(700_000);
    expect(view.expectations).toEqual([
      { expectation: 'silent until 10m', status: 'passed', detail: 'silent' },
      { expectation: 'fires within 18m after outage', status: 'waiting', detail: undefined },
    ]);
  });

  it('ends passed, failed or aborted with the final results and the unexpected alerts', () => {
    const passed = track(started, finished(result(true, ['for-scale 1: rules as written'])));
    expect(passed.state).toBe('passed');
    expect(passed.elapsedMs).toBe(1_234_000);
    expect(passed.expectations.map((e) => e.status)).toEqual(['passed', 'passed', 'failed']);
    expect(passed.expectations[2]).toEqual({
      expectation: 'unexpected',
      status: 'failed',
      detail: 'fired at 15m',
    });
    expect(track(started, finished(result(false))).state).toBe('failed');
    const aborted = result(false, ['for-scale 1: rules as written', 'aborted after 5m']);
    expect(track(started, finished(aborted)).state).toBe('aborted');
    expect(track(started, finished({ ...result(true), notes: undefined })).state).toBe('passed');
  });
});

/** As test/dashboards.test.ts checks its queries: the lezer grammar Prometheus' own editor uses. */
const errorsIn = (expr: string) => {
  const errors: number[] = [];
  promql.parse(expr).iterate({ enter: (n) => void (n.type.isError && errors.push(n.from)) });
  return errors;
};

describe('TRAFFIC_QUERIES', () => {
  it('are PromQL that parses without errors, with distinct ids', () => {
    expect(TRAFFIC_QUERIES.length).toBeGreaterThan(5);
    expect(errorsIn('sum(rate(x[1m]) /')).not.toEqual([]);
    for (const q of TRAFFIC_QUERIES) expect(errorsIn(q.promql), `${q.id}: ${q.promql}`).toEqual([]);
    expect(new Set(TRAFFIC_QUERIES.map((q) => q.id)).size).toBe(TRAFFIC_QUERIES.length);
  });
});
