import type { LogLevel } from '../../generators/model/types.js';
import type { ServiceStatus } from '../../sandbox/stack/native/native-stack.js';
import type { Notification } from '../../sandbox/stack/webhook-receiver.js';
import type {
  AlertRow,
  FaultView,
  LogLineView,
  ProgressStep,
  ScenarioRunView,
  TrafficSeries,
  TuiActions,
  TuiViewModel,
} from '../../sandbox/tui/view-model.js';

/** 2025-06-01 12:00:00 local time: log lines print as HH:MM:SS in the local zone. */
export const NOW = new Date(2025, 5, 1, 12, 0, 0).getTime();
export const SECOND = 1000;
export const MINUTE = 60 * SECOND;

export const SERVICES: ServiceStatus[] = [
  {
    service: 'prometheus',
    state: 'running',
    runtime: 'native',
    version: '3.5.0',
    url: 'http://127.0.0.1:9090',
  },
  {
    service: 'alertmanager',
    state: 'running',
    runtime: 'native',
    version: '0.28.1',
    url: 'http://127.0.0.1:9093',
  },
  {
    service: 'grafana',
    state: 'running',
    runtime: 'native',
    version: '12.1.1',
    url: 'http://127.0.0.1:3000',
  },
  { service: 'loki', state: 'running', runtime: 'native', version: '3.5.3', url: 'http://127.0.0.1:3100' },
  { service: 'jaeger', state: 'running', runtime: 'native', version: '2.9.0', url: 'http://127.0.0.1:16686' },
];

export const TRAFFIC: TrafficSeries[] = [
  { id: 'requests', label: 'requests', unit: '/s', current: 8.1, history: [6, 7, 8, 7.5, 8.2, 8.1] },
  { id: 'errors', label: 'error ratio', unit: '%', current: 0, history: [0, 0, 0, 0], warnAbove: 5 },
  { id: 'receipts', label: 'receipts written', unit: '/s', current: 42.7, history: [40, 41, 43, 42.7] },
  { id: 'anchors', label: 'anchors', unit: '/min', current: 2, history: [2, 2, 1, 2, 2] },
];

const ALERT_NAMES = [
  'ReceiptWriteFailure',
  'AnchorDelayed',
  'NodeDown',
  'HighErrorRate',
  'ScrollLagging',
  'ProofLatencyHigh',
  'MerkleRootMismatch',
  'LedgerDiskFull',
  'WitnessQuorumLost',
  'ReplicationLag',
  'CheckpointStale',
  'ApiLatencyHigh',
  'QueueBacklog',
  'CertificateExpiring',
  'GossipPartition',
  'SignerUnavailable',
  'ClockSkew',
  'IndexerBehind',
  'SnapshotFailed',
  'RateLimited',
];

/** 20 rules: NodeDown and ReceiptWriteFailure firing, AnchorDelayed pending, the rest inactive. */
export function alerts(): AlertRow[] {
  const active: Record<string, Omit<AlertRow, 'name'>> = {
    ReceiptWriteFailure: {
      state: 'firing',
      severity: 'critical',
      sinceMs: NOW - 130 * SECOND,
      count: 2,
      labels: { scroll: 'main' },
    },
    NodeDown: {
      state: 'firing',
      severity: 'critical',
      sinceMs: NOW - 5 * MINUTE,
      count: 1,
      labels: { node: 'ledger-2' },
    },
    AnchorDelayed: { state: 'pending', severity: 'warning', sinceMs: NOW - 40 * SECOND, count: 1 },
  };
  return ALERT_NAMES.map((name, i): AlertRow => {
    const rule = active[name];
    if (rule) return { name, ...rule };
    return { name, state: 'inactive', severity: i % 2 ? 'warning' : 'critical', count: 0 };
  });
}

export const NOTIFICATIONS: Notification[] = [
  {
    receivedAt: NOW - 4 * MINUTE,
    receiver: 'webhook',
    status: 'firing',
    alertname: 'NodeDown',
    labels: {},
    startsAt: '',
  },
  {
    receivedAt: NOW - 12 * SECOND,
    receiver: 'webhook',
    status: 'firing',
    alertname: 'ReceiptWriteFailure',
    labels: {},
    startsAt: '',
  },
];

const FAULT_NAMES: [string, string, string][] = [
  ['receipt_write_errors', 'ledger', 'ratio=0.25 scroll=all'],
  ['anchor_stall', 'anchor', 'for=5m'],
  ['node_down', 'ledger', 'node=ledger-2'],
  ['slow_disk', 'ledger', 'latency=200ms'],
  ['proof_timeout', 'prover', 'ratio=0.1'],
  ['merkle_mismatch', 'ledger', 'scroll=main'],
  ['gossip_partition', 'gossip', 'nodes=2'],
  ['witness_offline', 'witness', 'count=1'],
  ['signer_down', 'signer', ''],
  ['queue_backlog', 'ingest', 'depth=5000'],
  ['clock_skew', 'ledger', 'skew=3s'],
  ['api_latency', 'api', 'p99=2s'],
  ['cert_expiry', 'api', 'days=3'],
  ['disk_full', 'ledger', 'used=0.98'],
  ['replication_lag', 'replica', 'lag=30s'],
  ['checkpoint_stale', 'checkpointer', 'age=1h'],
  ['indexer_behind', 'indexer', 'blocks=500'],
  ['snapshot_fail', 'snapshotter', 'ratio=1'],
  ['rate_limit', 'api', 'rps=10'],
  ['dns_failure', 'resolver', 'ratio=0.5'],
  ['memory_leak', 'ledger', 'mb_per_min=20'],
  ['cpu_throttle', 'prover', 'share=0.2'],
];

/** The keys the sandbox gives faults: '1'-'9', then letters not used elsewhere. */
const FAULT_KEYS = [...'123456789', ...'abdeghimnoprtuwyz'];

export function faults(): FaultView[] {
  return FAULT_NAMES.map(([name, service, params], i) => ({
    name,
    key: FAULT_KEYS[i]!,
    service,
    summary: `${name.replaceAll('_', ' ')} on ${service}`,
    active: name === 'receipt_write_errors' || name === 'node_down',
    params,
  }));
}

const JOBS = ['ledger', 'anchor', 'api'];
const LEVELS: LogLevel[] = ['debug', 'info', 'info', 'warn', 'error'];

/** `count` lines, one a second up to NOW, cycling through jobs and levels; every third carries a trace. */
export function logs(count = 300): LogLineView[] {
  return Array.from({ length: count }, (_, i) => ({
    timeMs: NOW - (count - i) * SECOND,
    job: JOBS[i % JOBS.length]!,
    level: LEVELS[i % LEVELS.length]!,
    message: `line ${i}: receipt ${i * 7} appended to scroll main after ${i % 40}ms, batch of ${i % 9} entries`,
    ...(i % 3 === 0 ? { traceId: `4bf92f3577b34da6a3ce929d0e0e${String(i).padStart(4, '0')}` } : {}),
  }));
}

export const SCENARIOS = [
  'node-outage',
  'receipt-write-errors',
  'anchor-stall',
  'slow-disk',
  'gossip-partition',
  'witness-offline',
  'cert-expiry',
  'my-scenario',
];

export function scenarioRun(overrides: Partial<ScenarioRunView> = {}): ScenarioRunView {
  return {
    name: 'node-outage',
    description: 'A ledger node goes down and comes back',
    elapsedMs: 70 * SECOND,
    durationMs: 3 * MINUTE,
    steps: [
      { atMs: 30 * SECOND, label: 'node_down on', done: true },
      { atMs: 2 * MINUTE, label: 'node_down off', done: false },
    ],
    caption: 'ledger-2 stops answering scrapes',
    expectations: [
      { expectation: 'NodeDown fires within 1m', status: 'passed' },
      { expectation: 'ReceiptWriteFailure stays inactive', status: 'failed', detail: 'it fired at 1m5s' },
      { expectation: 'NodeDown resolves after recovery', status: 'waiting' },
    ],
    state: 'running',
    forScale: 1,
    ...overrides,
  };
}

export const STARTUP_STEPS: ProgressStep[] = [
  { id: 'binaries', label: 'Download binaries', state: 'done', elapsedMs: 1200 },
  { id: 'prometheus', label: 'prometheus', state: 'done', elapsedMs: 850 },
  { id: 'alertmanager', label: 'alertmanager', state: 'running', elapsedMs: 400 },
  {
    id: 'grafana',
    label: 'grafana',
    state: 'failed',
    elapsedMs: 3100,
    reason: 'port 3000 is in use; free it or pass --grafana-port',
  },
  { id: 'jaeger', label: 'jaeger', state: 'skipped', elapsedMs: 0, reason: 'disabled with --no-traces' },
];

/** A running sandbox with everything populated: 20 alerts, 22 faults, 300 log lines. */
export function runningView(overrides: Partial<TuiViewModel> = {}): TuiViewModel {
  return {
    nowMs: NOW,
    phase: 'running',
    runtime: 'native',
    progress: STARTUP_STEPS,
    services: SERVICES,
    grafanaLogin: { url: 'http://127.0.0.1:3000', user: 'admin', password: 'sandbox-7f3a' },
    traffic: TRAFFIC,
    alerts: alerts(),
    notifications: NOTIFICATIONS,
    scenarios: SCENARIOS,
    faults: faults(),
    logs: logs(),
    message: 'fault receipt_write_errors on',
    ...overrides,
  };
}

export interface RecordedActions extends TuiActions {
  calls: string[];
}

/** Actions that only record what was asked, as `runScenario(node-outage)`. */
export function recordingActions(): RecordedActions {
  const calls: string[] = [];
  return {
    calls,
    runScenario: (name) => calls.push(`runScenario(${name})`),
    stopScenario: () => calls.push('stopScenario()'),
    toggleFault: (name) => calls.push(`toggleFault(${name})`),
    quit: () => calls.push('quit()'),
  };
}

// eslint-disable-next-line no-control-regex
const ANSI = /\u001B\[[0-9;]*m/g;

export function stripAnsi(text: string): string {
  return text.replace(ANSI, '');
}

/** The frame's lines without colours. */
export function plainLines(frame: string | undefined): string[] {
  return stripAnsi(frame ?? '').split('\n');
}

export const tick = () => new Promise((resolve) => setTimeout(resolve, 20));

const FOREGROUND: Record<string, string> = {
  '30': 'black',
  '31': 'red',
  '32': 'green',
  '33': 'yellow',
  '34': 'blue',
  '35': 'magenta',
  '36': 'cyan',
  '37': 'white',
  '90': 'gray',
};

/** The foreground colour (by name) the first character of `text` is printed in, if `text` is in the frame. */
export function colorOf(frame: string | undefined, text: string): string | undefined {
  let current: string | undefined;
  let plain = '';
  const colors: (string | undefined)[] = [];
  // eslint-disable-next-line no-control-regex
  for (const part of (frame ?? '').split(/(\u001B\[[0-9;]*m)/)) {
    // eslint-disable-next-line no-control-regex
    const codes = /^\u001B\[([0-9;]*)m$/.exec(part)?.[1];
    if (codes !== undefined) {
      for (const code of codes.split(';')) {
        if (FOREGROUND[code]) current = FOREGROUND[code];
        else if (code === '39' || code === '0' || code === '') current = undefined;
      }
      continue;
    }
    plain += part;
    colors.push(...Array.from({ length: part.length }, () => current));
  }
  const at = plain.indexOf(text);
  return at === -1 ? undefined : colors[at];
}
