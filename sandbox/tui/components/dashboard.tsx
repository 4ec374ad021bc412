import { Box } from 'ink';
import type { TuiViewModel } from '../view-model.js';
import { AlertsPanel } from './alerts-panel.js';
import { FaultsPanel } from './faults-panel.js';
import type { UiState } from './keymap.js';
import { dashboardLayout, progressLayout } from './layout.js';
import { LogTail } from './log-tail.js';
import { ScenarioPanel } from './scenario-panel.js';
import { ServicesPanel } from './services-panel.js';
import { StartupPanel } from './startup-panel.js';
import { TrafficPanel } from './traffic-panel.js';

export interface DashboardProps {
  view: TuiViewModel;
  ui: UiState;
  width: number;
  bodyRows: number;
}

const PROGRESS_TITLE: Record<Exclude<TuiViewModel['phase'], 'running'>, string> = {
  starting: 'Starting the sandbox',
  stopping: 'Stopping the sandbox',
  stopped: 'Sandbox stopped',
  failed: 'The sandbox failed',
};

/** Start-up, shutdown or failure: the steps, prominently, then the services. */
function ProgressView({ view, title, width, bodyRows }: Omit<DashboardProps, 'ui'> & { title: string }) {
  const layout = progressLayout(view, bodyRows, width);
  return (
    <Box flexDirection="column">
      <StartupPanel title={title} steps={view.progress} width={width} maxRows={layout.startup} />
      <ServicesPanel
        services={view.services}
        grafanaLogin={view.grafanaLogin}
        outputs={view.outputs}
        compact={layout.servicesCompact}
        maxRows={layout.services}
        width={width}
      />
    </Box>
  );
}

/** The running sandbox: every panel with the rows the layout gave it (0 hides one). */
export function Dashboard({ view, ui, width, bodyRows }: DashboardProps) {
  if (view.phase !== 'running') {
    const title = `${PROGRESS_TITLE[view.phase]}${view.runtime ? ` (${view.runtime})` : ''}`;
    return <ProgressView view={view} title={title} width={width} bodyRows={bodyRows} />;
  }
  const layout = dashboardLayout(view, ui.focus, width, bodyRows);
  const rightWidth = layout.columns === 2 ? layout.rightWidth : layout.leftWidth;
  const overview = (
    <>
      <ServicesPanel
        services={view.services}
        grafanaLogin={view.grafanaLogin}
        outputs={view.outputs}
        compact={layout.servicesCompact}
        maxRows={layout.services}
        width={layout.leftWidth}
      />
      <TrafficPanel series={view.traffic} width={layout.leftWidth} maxRows={layout.traffic} />
      <AlertsPanel
        alerts={view.alerts}
        notifications={view.notifications}
        nowMs={view.nowMs}
        maxRows={layout.alerts}
        rulesLoading={view.rulesLoading}
      />
    </>
  );
  const interactive = (
    <>
      <ScenarioPanel
        scenarios={view.scenarios}
        selected={Math.min(ui.selectedScenario, view.scenarios.length - 1)}
        run={view.scenario}
        focused={ui.focus === 'scenario'}
        width={rightWidth}
        maxRows={layout.scenario}
      />
      <FaultsPanel
        faults={view.faults}
        focused={ui.focus === 'faults'}
        width={rightWidth}
        maxRows={layout.faults}
      />
      <LogTail logs={view.logs} filter={ui.logFilter} focused={ui.focus === 'logs'} maxRows={layout.logs} />
    </>
  );
  if (layout.columns === 1) {
    return (
      <Box flexDirection="column">
        {overview}
        {interactive}
      </Box>
    );
  }
  return (
    <Box flexDirection="row" columnGap={1}>
      <Box flexDirection="column" width={layout.leftWidth}>
        {overview}
      </Box>
      <Box flexDirection="column" width={layout.rightWidth}>
        {interactive}
      </Box>
    </Box>
  );
}
