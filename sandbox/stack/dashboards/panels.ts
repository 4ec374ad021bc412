/** A small builder for Grafana dashboard JSON (schema as Grafana exports it), so dashboards stay short. */
export interface Target {
  expr: string;
  legendFormat?: string;
  datasource?: DatasourceRef;
  instant?: boolean;
  format?: string;
  queryType?: string;
  service?: string;
}

export interface DatasourceRef {
  type: string;
  uid: string;
}

export const PROMETHEUS: DatasourceRef = { type: 'prometheus', uid: 'prometheus' };
export const LOKI: DatasourceRef = { type: 'loki', uid: 'loki' };
export const JAEGER: DatasourceRef = { type: 'jaeger', uid: 'jaeger' };

export interface Panel {
  title: string;
  type: string;
  gridPos: { h: number; w: number; x: number; y: number };
  datasource: DatasourceRef;
  targets: (Target & { refId: string; datasource: DatasourceRef })[];
  fieldConfig?: unknown;
  options?: unknown;
  description?: string;
}

let nextId = 1;

export function panel(
  type: string,
  title: string,
  at: [x: number, y: number, w: number, h: number],
  targets: Target[],
  extra: Partial<Panel> = {},
): Panel & { id: number } {
  const datasource = targets[0]?.datasource ?? PROMETHEUS;
  return {
    id: nextId++,
    title,
    type,
    gridPos: { x: at[0], y: at[1], w: at[2], h: at[3] },
    datasource,
    targets: targets.map((t, i) => ({
      ...t,
      refId: String.fromCharCode(65 + i),
      datasource: t.datasource ?? datasource,
    })),
    ...extra,
  };
}

export const unit = (u: string) => ({ fieldConfig: { defaults: { unit: u }, overrides: [] } });

export function dashboard(uid: string, title: string, tags: string[], panels: Panel[], description: string) {
  nextId = 1;
  return {
    uid,
    title,
    description,
    tags,
    timezone: 'browser',
    schemaVersion: 39,
    refresh: '10s',
    time: { from: 'now-30m', to: 'now' },
    panels,
  };
}
