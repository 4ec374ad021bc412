import { formatDuration } from '../../../generators/model/duration.js';
import type { SessionEvent } from '../../session/session.js';
import type { CliIo } from '../io.js';
import type { ServiceStatus } from '../../stack/native/native-stack.js';
import { stateFile, type PublicSandboxState } from '../../stack/state.js';

export function serviceLine(s: ServiceStatus): string {
  const name = s.service.padEnd(13);
  if (s.state !== 'running') return `  ${name}${s.state}: ${s.reason ?? ''}`;
  const ready = s.readyMs !== undefined ? ` (ready in ${(s.readyMs / 1000).toFixed(1)}s)` : '';
  return `  ${name}running  ${(s.version ?? '').padEnd(8)} ${s.url ?? ''}${ready}`;
}

/** Only what may be printed (to CI logs): URLs and the Grafana login, never the tokens of the state file. */
export function printSummary(
  state: Pick<PublicSandboxState, 'pid' | 'runtime' | 'services' | 'generators' | 'grafana'>,
  io: CliIo,
): void {
  io.out(`sandbox running (pid ${state.pid}, ${state.runtime} runtime)`);
  for (const s of state.services) io.out(serviceLine(s));
  for (const g of state.generators) io.out(`  ${g.job.padEnd(22)} ${g.url}`);
  const grafana = state.services.find((s) => s.service === 'grafana' && s.state === 'running');
  if (grafana)
    io.out(`Grafana: ${grafana.url}  user ${state.grafana.user}  password ${state.grafana.password}`);
  io.out(`state (mode 0600): ${stateFile()}`);
}

const stamp = (date = new Date()) => date.toISOString().slice(11, 19);

/** Without a terminal (CI, pipes): one timestamped line per event. */
export function plainPrinter(io: CliIo): (event?: SessionEvent) => void {
  const line = (text: string) => io.out(`${stamp()} ${text}`);
  return (event) => {
    if (!event) return;
    switch (event.type) {
      case 'service':
        if (event.status.state !== 'starting') line(serviceLine(event.status).trimStart());
        break;
      case 'message':
        line(event.text);
        break;
      case 'ready':
        printSummary(event.sandbox, { out: line, status: io.status });
        break;
      case 'rules':
        rulesLine(event, line);
        break;
      case 'alert': {
        const labels = Object.entries(event.labels ?? {}).map(([k, v]) => `${k}=${v}`);
        line(
          `alert ${event.name} ${event.state}${event.severity ? ` (${event.severity})` : ''} ${labels.join(' ')}`.trim(),
        );
        break;
      }
      case 'notification':
        line(
          `notification ${event.notification.status}: ${event.notification.alertname} via ${event.notification.receiver}`,
        );
        break;
      case 'fault':
        line(`fault ${event.name} ${event.active ? `on (${event.params})` : 'off'}`);
        break;
      case 'scenario':
        scenarioLine(event.event, line);
        break;
      case 'stopping':
        line('stopping');
        break;
      case 'stopped':
        line('stopped');
    }
  };
}

function rulesLine(event: Extract<SessionEvent, { type: 'rules' }>, line: (t: string) => void) {
  if (event.state === 'loading')
    line(
      `alert rules: loading after Prometheus' first scrapes (at most ${formatDuration(event.waitMs)}); alerts are judged once they are`,
    );
  else if (event.state === 'loaded')
    line(`alert rules loaded (${(event.afterReadyMs / 1000).toFixed(1)}s after ready)`);
  else line(`alert rules could not be loaded: ${event.error}`);
}

function scenarioLine(
  event: Extract<SessionEvent, { type: 'scenario' }>['event'],
  line: (t: string) => void,
) {
  if (event.type === 'started')
    line(
      `scenario ${event.scenario} started (${formatDuration(event.durationMs)}, for-scale ${event.forScale})`,
    );
  else if (event.type === 'step')
    line(
      `scenario step at ${formatDuration(event.atMs)}: ${event.action}${event.caption ? `: ${event.caption}` : ''}`,
    );
  else if (event.type === 'finished') {
    const r = event.result;
    line(`scenario ${r.name} ${r.passed ? 'passed' : 'failed'}`);
    for (const check of [...r.results, ...r.unexpected])
      line(`  ${check.passed ? 'ok  ' : 'FAIL'}  ${check.expectation}: ${check.detail}`);
  }
}

/** `--json`: every event as one JSON object per line, with its time. */
export function jsonPrinter(io: CliIo): (event?: SessionEvent) => void {
  return (event) => {
    if (event) io.out(JSON.stringify({ time: new Date().toISOString(), ...event }));
  };
}
