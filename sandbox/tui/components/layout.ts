import type { PanelFocus, TuiViewModel } from '../view-model.js';
import { faultsPanelMinRows } from './faults-panel.js';
import { servicesPanelRows } from './services-panel.js';

/** Terminals at least this wide get the dashboard in two columns. */
export const TWO_COLUMNS_MIN_WIDTH = 120;

const SINGLE_COLUMN_MAX_TRAFFIC_ROWS = 5;
const MAX_NOTIFICATIONS = 3;

/**
 * Rows per panel. Each panel renders at most its budget; the wanted heights below are only what the panels
 * would fill given room, so that small panels leave the rest to the others.
 */
export interface DashboardLayout {
  columns: 1 | 2;
  leftWidth: number;
  rightWidth: number;
  servicesCompact: boolean;
  services: number;
  traffic: number;
  alerts: number;
  scenario: number;
  faults: number;
  logs: number;
}

export interface ProgressLayout {
  servicesCompact: boolean;
  services: number;
  startup: number;
}

function rowBudget(total: number) {
  let left = Math.max(0, total);
  return {
    take(rows: number): number {
      const taken = Math.min(left, Math.max(0, rows));
      left -= taken;
      return taken;
    },
    get left(): number {
      return left;
    },
  };
}

function wantedRows(view: TuiViewModel): Record<PanelFocus | 'traffic' | 'alerts', number> {
  const run = view.scenario;
  const failedDetails = run?.expectations.filter((e) => e.status === 'failed' && e.detail).length ?? 0;
  const runRows = run ? 2 + (run.caption ? 1 : 0) + run.expectations.length + failedDetails : 0;
  return {
    traffic: 1 + view.traffic.length,
    alerts: 1 + Math.max(1, view.alerts.length) + Math.min(view.notifications.length, MAX_NOTIFICATIONS),
    scenario: 1 + runRows + (run?.state === 'running' ? 0 : Math.max(1, view.scenarios.length)),
    faults: 1 + Math.max(1, view.faults.length),
    logs: 1 + Math.max(1, view.logs.length),
  };
}

function servicesRows(view: TuiViewModel, compact: boolean, width: number): number {
  return servicesPanelRows(view.services, view.grafanaLogin !== undefined, compact, width, view.outputs);
}

/** Start-up, shutdown or failure: the steps first, then the services (compact when they would crowd them). */
export function progressLayout(view: TuiViewModel, bodyRows: number, width = 80): ProgressLayout {
  const budget = rowBudget(bodyRows);
  const servicesCompact = servicesRows(view, false, width) > Math.floor(bodyRows / 2);
  const services = budget.take(servicesRows(view, servicesCompact, width));
  return { servicesCompact, services, startup: budget.left };
}

/**
 * Narrow: services compact, traffic, alerts, then the focused panel takes the rest (plus one line for a
 * scenario running in the background); alerts yield rows, down to 4, so that the focused panel fits.
 * Wide: services, traffic and alerts on the left; scenario, faults and logs on the right, the focused one
 * taking the most room.
 */
export function dashboardLayout(
  view: TuiViewModel,
  focus: PanelFocus,
  columns: number,
  bodyRows: number,
): DashboardLayout {
  const wanted = wantedRows(view);
  if (columns < TWO_COLUMNS_MIN_WIDTH) {
    const budget = rowBudget(bodyRows);
    const services = budget.take(servicesRows(view, true, columns));
    const traffic = Math.min(wanted.traffic, SINGLE_COLUMN_MAX_TRAFFIC_ROWS);
    const rest = budget.left - traffic;
    const focusedNeeds = {
      scenario: wanted.scenario,
      faults: faultsPanelMinRows(view.faults.length, columns),
      logs: Math.ceil(rest * 0.55),
    };
    const alerts = budget.take(Math.min(wanted.alerts, Math.max(4, rest - focusedNeeds[focus])));
    const layout: DashboardLayout = {
      columns: 1,
      leftWidth: columns,
      rightWidth: 0,
      servicesCompact: true,
      services,
      alerts,
      traffic: budget.take(traffic),
      scenario: focus !== 'scenario' && view.scenario?.state === 'running' ? budget.take(1) : 0,
      faults: 0,
      logs: 0,
    };
    layout[focus] = budget.take(budget.left);
    return layout;
  }

  const leftWidth = Math.floor((columns - 1) / 2);
  const left = rowBudget(bodyRows);
  const servicesCompact = servicesRows(view, false, leftWidth) > Math.floor(bodyRows / 2);
  const services = left.take(servicesRows(view, servicesCompact, leftWidth));
  const traffic = left.take(Math.min(wanted.traffic, Math.floor(bodyRows / 3)));
  const right = rowBudget(bodyRows);
  const unfocusedCap = Math.max(3, Math.floor(bodyRows / 4));
  const unfocused = (['scenario', 'faults', 'logs'] as const).filter((panel) => panel !== focus);
  const unfocusedRows = unfocused.map((panel) => Math.min(wanted[panel], unfocusedCap));
  const rows = { scenario: 0, faults: 0, logs: 0 };
  rows[focus] = right.take(Math.min(wanted[focus], bodyRows - unfocusedRows[0]! - unfocusedRows[1]!));
  unfocused.forEach((panel, i) => (rows[panel] = right.take(unfocusedRows[i]!)));
  rows.logs += right.take(right.left);
  return {
    columns: 2,
    leftWidth,
    rightWidth: columns - 1 - leftWidth,
    servicesCompact,
    services,
    traffic,
    alerts: left.take(left.left),
    ...rows,
  };
}
