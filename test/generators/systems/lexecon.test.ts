import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import { describe, expect, it } from 'vitest';
import { loadSystem } from '../../../generators/declared/load-system.js';

const DIR = join(import.meta.dirname, '..', '..', '..', 'generators', 'systems', 'lexecon');
const FILE = join(DIR, 'lexecon.system.yaml');

type Expected = [name: string, type: string, help: string, labels: string[]];

/**
 * The metric tables of seed 004 ("Available Metrics"), with their descriptions as help texts. Label names
 * are those of the exporter the seed documents (the tables say "by type, severity, component"; the exporter
 * names them error_type, severity, component).
 */
// prettier-ignore
const SEED_CATALOGUE: Expected[] = [
  // HTTP & API
  ['lexecon_http_requests_total', 'counter', 'Total HTTP requests by method, endpoint, status', ['method', 'endpoint', 'status']],
  ['lexecon_http_request_duration_seconds', 'histogram', 'HTTP request duration', ['method', 'endpoint']],
  ['lexecon_api_latency_summary', 'summary', 'API latency summary statistics', ['endpoint', 'method']],
  ['lexecon_api_response_size_bytes', 'histogram', 'API response size distribution', ['endpoint']],
  ['lexecon_concurrent_requests', 'gauge', 'Current concurrent requests', []],
  // Decision engine
  ['lexecon_decisions_total', 'counter', 'Total decisions by allowed/denied, actor, risk level', ['allowed', 'actor', 'risk_level']],
  ['lexecon_decision_evaluation_duration_seconds', 'histogram', 'Decision evaluation latency', ['policy_mode']],
  ['lexecon_decisions_denied_total', 'counter', 'Total denied decisions by reason, actor', ['reason_category', 'actor']],
  // Errors & exceptions
  ['lexecon_errors_total', 'counter', 'Total errors by type, severity, component', ['error_type', 'severity', 'component']],
  ['lexecon_exceptions_total', 'counter', 'Total exceptions by class, endpoint', ['exception_class', 'endpoint']],
  ['lexecon_error_recovery_total', 'counter', 'Successful error recoveries', ['error_type', 'recovery_method']],
  // Cache
  ['lexecon_cache_hits_total', 'counter', 'Cache hits by cache name', ['cache_name']],
  ['lexecon_cache_misses_total', 'counter', 'Cache misses by cache name', ['cache_name']],
  ['lexecon_cache_evictions_total', 'counter', 'Cache evictions by cache name, reason', ['cache_name', 'reason']],
  ['lexecon_cache_size_bytes', 'gauge', 'Current cache size', ['cache_name']],
  ['lexecon_cache_items', 'gauge', 'Number of cached items', ['cache_name']],
  // Authentication & security
  ['lexecon_auth_attempts_total', 'counter', 'Authentication attempts by method, result', ['method', 'result']],
  ['lexecon_auth_failures_total', 'counter', 'Authentication failures by method, reason', ['method', 'reason']],
  ['lexecon_mfa_challenges_total', 'counter', 'MFA challenges issued', ['method']],
  ['lexecon_mfa_verifications_total', 'counter', 'MFA verifications by result', ['method', 'result']],
  ['lexecon_active_sessions', 'gauge', 'Number of active user sessions', []],
  ['lexecon_rate_limit_hits_total', 'counter', 'Rate limit hits (blocked requests)', ['limiter_type']],
  // Database
  ['lexecon_db_connections_active', 'gauge', 'Active database connections', []],
  ['lexecon_db_connections_idle', 'gauge', 'Idle database connections', []],
  ['lexecon_db_query_duration_seconds', 'histogram', 'Database query duration', ['operation', 'table']],
  ['lexecon_db_errors_total', 'counter', 'Database errors by type', ['error_type', 'operation']],
  ['lexecon_db_transaction_duration_seconds', 'histogram', 'Transaction duration', []],
  // Business & compliance
  ['lexecon_compliance_violations_total', 'counter', 'Compliance violations by type, severity', ['violation_type', 'severity']],
  ['lexecon_audit_log_entries_total', 'counter', 'Audit log entries by event type', ['event_type']],
  ['lexecon_risk_assessments_total', 'counter', 'Risk assessments by level', ['risk_level']],
  ['lexecon_ledger_entries_total', 'counter', 'Total ledger entries', []],
  ['lexecon_ledger_integrity_checks_total', 'counter', 'Ledger integrity checks by result', ['result']],
  // Feature flags
  ['lexecon_feature_flag_evaluations_total', 'counter', 'Feature flag evaluations by flag, result', ['flag_name', 'result']],
  ['lexecon_feature_flag_errors_total', 'counter', 'Feature flag errors by flag, type', ['flag_name', 'error_type']],
];

/** Metrics the seed's tables lack but its dashboard needs ("Active Policies", "Uptime"). */
const ADDED = ['lexecon_active_policies', 'lexecon_node_uptime_seconds'];

/** The seed's two alert tables: name, severity (critical pages, warning goes to chat) and duration. */
const ALERTS: [name: string, severity: 'critical' | 'warning', forDuration: string][] = [
  ['LexeconServiceDown', 'critical', '1m'],
  ['LexeconCriticalErrorRate', 'critical', '2m'],
  ['LexeconDatabaseErrors', 'critical', '2m'],
  ['LexeconComplianceViolations', 'critical', '2m'],
  ['LexeconLedgerVerificationFailure', 'critical', '1m'],
  ['LexeconHighErrorRate', 'warning', '5m'],
  ['LexeconHighLatency', 'warning', '5m'],
  ['LexeconVeryHighLatency', 'warning', '2m'],
  ['LexeconSlowDecisions', 'warning', '5m'],
  ['LexeconDatabaseConnectionsHigh', 'warning', '5m'],
  ['LexeconLowCacheHitRate', 'warning', '10m'],
  ['LexeconHighAuthFailureRate', 'warning', '5m'],
];

/** The main dashboard's panels, in the seed's order. */
const PANELS = [
  'HTTP Request Rate',
  'API Latency (p95)',
  'Decision Rate',
  'Cache Hit Rate',
  'Error Rate by Type',
  'Active Sessions',
  'Active DB Connections',
  'Active Policies',
  'Uptime',
];

interface Rule {
  alert?: string;
  record?: string;
  expr: string;
  for?: string;
  labels?: Record<string, string>;
}

interface Dashboard {
  uid: string;
  refresh: string;
  tags: string[];
  panels: { title: string; targets: { expr: string }[] }[];
}

describe('the Lexecon system file', async () => {
  const system = await loadSystem(FILE);
  const byName = new Map(system.metrics.map((m) => [m.name, m]));
  const rules = (system.ruleFiles ?? []).flatMap((file) =>
    (parse(readFileSync(file, 'utf8')) as { groups: { rules: Rule[] }[] }).groups.flatMap((g) => g.rules),
  );
  const alerts = rules.filter((r) => r.alert);

  it('is named lexecon: three pods behind the one job its ServiceMonitor scrapes', () => {
    expect(system.name).toBe('lexecon');
    expect(system.jobs).toEqual({ api: 'lexecon' });
    expect(system.instances?.lexecon).toBe(3);
  });

  it.each(SEED_CATALOGUE.map((m) => [m[0], m] as const))('declares %s as the seed has it', (name, seed) => {
    const metric = byName.get(name);
    expect(metric, `${name} is not declared`).toBeDefined();
    expect(metric!.type).toBe(seed[1]);
    expect(metric!.help).toBe(seed[2]);
    expect([...metric!.labelNames].sort()).toEqual([...seed[3]].sort());
  });

  it('declares the gauges its dashboard needs beside the tables, and nothing else', () => {
    for (const name of ADDED) expect(byName.get(name)?.type, name).toBe('gauge');
    expect(system.metrics.map((m) => m.name).sort()).toEqual(
      [...SEED_CATALOGUE.map((m) => m[0]), ...ADDED].sort(),
    );
  });

  it('exports p95 from its latency summary, and histogram buckets around the alert thresholds', () => {
    expect(byName.get('lexecon_api_latency_summary')?.quantiles).toContain(0.95);
    const http = byName.get('lexecon_http_request_duration_seconds')?.buckets ?? [];
    for (const le of [1, 5]) expect(http).toContain(le);
    expect(byName.get('lexecon_decision_evaluation_duration_seconds')?.buckets).toContain(0.5);
  });

  it('brings its rule file with the twelve alerts of the seed, five critical and seven warning', () => {
    expect(system.ruleFiles?.map((f) => f.split(/[\\/]/).at(-1))).toEqual(['lexecon-alerts.yaml']);
    expect(alerts).toHaveLength(12);
    expect(alerts.filter((r) => r.labels?.severity === 'critical')).toHaveLength(5);
    expect(alerts.filter((r) => r.labels?.severity === 'warning')).toHaveLength(7);
    const actual = alerts.map((r) => [r.alert, r.labels?.severity, r.for]);
    expect(actual.sort()).toEqual(ALERTS.map((a) => [...a]).sort());
  });

  it('writes every rate with a window and sums it over the pods', () => {
    for (const rule of alerts) {
      for (const call of rule.expr.matchAll(/\b(rate|increase)\(([^()]*)\)/g))
        expect(call[2], `${rule.alert}: ${call[0]}`).toMatch(/\[\d+m\]$/);
      if (/\b(rate|increase)\(/.test(rule.expr)) expect(rule.expr, rule.alert).toMatch(/\bsum by \(/);
    }
  });

  it('has a fault meant for each alert', () => {
    const meant = new Set(system.faults.flatMap((f) => f.alerts));
    expect([...meant].sort()).toEqual(ALERTS.map((a) => a[0]).sort());
  });

  it('samples a tenth of requests for tracing by default (OTEL_SAMPLE_RATE=0.1)', () => {
    expect(system.knobs.lexecon_otel_sample_rate).toMatchObject({ type: 'number', default: 0.1 });
  });

  it("brings the seed's main dashboard: nine panels, refreshed every 5s, over its own metrics", () => {
    expect(system.dashboardFiles?.map((f) => f.split(/[\\/]/).at(-1))).toEqual(['lexecon-dashboard.json']);
    const dashboard = JSON.parse(readFileSync(join(DIR, 'lexecon-dashboard.json'), 'utf8')) as Dashboard;
    expect(dashboard.refresh).toBe('5s');
    expect(dashboard.tags).toEqual(['lexecon', 'obs-sandbox']);
    expect(dashboard.panels.map((p) => p.title)).toEqual(PANELS);
    for (const panel of dashboard.panels) {
      expect(panel.targets.length, panel.title).toBeGreaterThan(0);
      for (const { expr } of panel.targets)
        for (const [used] of expr.matchAll(/\blexecon_[a-z_]+/g))
          expect(byName.has(used.replace(/_(bucket|sum|count)$/, '')), `${panel.title}: ${used}`).toBe(true);
    }
  });
});
