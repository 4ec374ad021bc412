import { readFileSync } from 'node:fs';
import { parse } from 'yaml';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadSystem } from '../../../generators/declared/load-system.js';
import { isProduced, metricsInExpr } from '../../../sandbox/rules/promql-metrics.js';

const DIR = join(import.meta.dirname, '..', '..', '..', 'generators', 'systems', 'sankofa-phoenix');
const FILE = join(DIR, 'sankofa-phoenix.system.yaml');

/** The metrics seed 002 names (its examples and "Real-Time Cost Tracking"), with the labels it gives them. */
const SEED_METRICS = [
  { name: 'sankofa_api_requests_total', type: 'counter', labels: ['tenant_id', 'method', 'status'] },
  { name: 'sankofa_billing_cost_usd', type: 'gauge', labels: ['tenant_id', 'service', 'resource_id'] },
  { name: 'sankofa_billing_cost_rate_usd_per_hour', type: 'gauge', labels: ['tenant_id'] },
  { name: 'sankofa_billing_budget_usd', type: 'gauge', labels: ['tenant_id'] },
  { name: 'sankofa_billing_budget_utilization_percent', type: 'gauge', labels: ['tenant_id'] },
  { name: 'sankofa_proxmox_vm_cpu_usage_percent', type: 'gauge', labels: ['tenant_id', 'vm_id'] },
  { name: 'sankofa_db_connections_active', type: 'gauge', labels: [] },
  { name: 'sankofa_db_connections_max', type: 'gauge', labels: [] },
] as const;

const RECORDS = ['sankofa:api:requests:rate5m', 'sankofa:billing:cost:rate1h', 'sankofa:proxmox:vm:count'];
const ALERTS = [
  'HighErrorRate',
  'DatabaseConnectionPoolExhausted',
  'BudgetExceeded',
  'ProxmoxNodeDown',
  'CostAnomalyDetected',
];

interface RuleFile {
  groups: {
    name: string;
    interval?: string;
    rules: { alert?: string; record?: string; expr: string; for?: string }[];
  }[];
}

interface Dashboard {
  uid: string;
  tags: string[];
  schemaVersion: number;
  panels: { title: string; datasource: { type: string }; targets: { expr: string }[] }[];
}

describe('the Sankofa Phoenix system file', async () => {
  const system = await loadSystem(FILE);
  const byName = new Map(system.metrics.map((m) => [m.name, m]));
  const produced = new Set([
    ...system.metrics.map((m) => m.name),
    ...RECORDS, // recorded by its own rule file
  ]);
  const ruleFiles = (system.ruleFiles ?? []).map((f) => parse(readFileSync(f, 'utf8')) as RuleFile);
  const groups = ruleFiles.flatMap((f) => f.groups);
  const rules = groups.flatMap((g) => g.rules);
  const dashboards = (system.dashboardFiles ?? []).map(
    (f) => [f.split(/[\\/]/).at(-1)!, JSON.parse(readFileSync(f, 'utf8')) as Dashboard] as const,
  );

  it("has the seed's API job, a billing service, the VM provider and a proxmox job of three nodes", () => {
    expect(system.name).toBe('sankofa-phoenix');
    expect(system.jobs).toEqual({
      api: 'sankofa-api',
      billing: 'sankofa-billing',
      provider: 'sankofa-crossplane-proxmox',
      proxmox: 'proxmox',
    });
    expect(system.instances?.proxmox).toBe(3);
  });

  it.each(SEED_METRICS.map((m) => [m.name, m] as const))('declares %s with its labels', (name, seed) => {
    const metric = byName.get(name);
    expect(metric, `${name} is not declared`).toBeDefined();
    expect(metric!.type).toBe(seed.type);
    expect([...metric!.labelNames].sort()).toEqual([...seed.labels].sort());
  });

  it("labels every sankofa_ metric of a tenant with tenant_id (the seed's naming convention)", () => {
    const perTenant = system.metrics.filter(
      (m) =>
        m.name.startsWith('sankofa_') &&
        !/^sankofa_(db|proxmox_node|proxmox_storage|security_incident)_/.test(m.name),
    );
    for (const m of perTenant) expect(m.labelNames, m.name).toContain('tenant_id');
  });

  it('brings its rule file with the 3 recording rules and 5 alerts of the seed, group intervals as written', () => {
    expect(system.ruleFiles?.map((f) => f.split(/[\\/]/).at(-1))).toEqual(['sankofa-phoenix-alerts.yaml']);
    expect(rules.map((r) => r.record).filter(Boolean)).toEqual(RECORDS);
    expect(rules.map((r) => r.alert).filter(Boolean)).toEqual(ALERTS);
    expect(Object.fromEntries(groups.map((g) => [g.name, g.interval]))).toEqual({
      sankofa_rules: '30s',
      sankofa_critical: '30s',
      sankofa_billing_anomalies: '1h',
    });
    expect(rules.find((r) => r.alert === 'ProxmoxNodeDown')!.expr).toContain('up{job="proxmox"}');
    expect(rules.find((r) => r.alert === 'CostAnomalyDetected')!.expr).toContain(
      'predict_linear(sankofa_billing_cost_usd[7d], 3600)',
    );
  });

  it('produces every metric its rules select', () => {
    for (const rule of rules) {
      const { metrics, error } = metricsInExpr(rule.expr);
      expect(error, rule.expr).toBeUndefined();
      for (const name of metrics) expect(isProduced(name, produced), `${name} in ${rule.expr}`).toBe(true);
    }
  });

  it('brings its five dashboards, whose Prometheus queries parse and select only metrics it produces', () => {
    expect(dashboards.map(([name]) => name)).toEqual([
      'sankofa-system-overview.json',
      'sankofa-tenant-overview.json',
      'sankofa-billing.json',
      'sankofa-proxmox-infrastructure.json',
      'sankofa-security.json',
    ]);
    for (const [name, dashboard] of dashboards) {
      expect(dashboard.tags, name).toEqual(['sankofa-phoenix', 'obs-sandbox']);
      expect(dashboard.schemaVersion).toBe(39);
      for (const panel of dashboard.panels) {
        if (panel.datasource.type !== 'prometheus') continue;
        for (const target of panel.targets) {
          const { metrics, error } = metricsInExpr(target.expr.replaceAll('$tenant', '.*'));
          expect(error, `${name} / ${panel.title}: ${target.expr}`).toBeUndefined();
          for (const metric of metrics)
            expect(isProduced(metric, produced), `${name} / ${panel.title}: ${metric}`).toBe(true);
        }
      }
    }
  });

  it('has a fault meant for each alert', () => {
    const meant = system.faults.flatMap((f) => f.alerts);
    expect([...meant].sort()).toEqual([...ALERTS].sort());
  });
});
