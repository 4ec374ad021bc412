import { spawn } from 'node:child_process';
import { openSync, readFileSync } from 'node:fs';
import { mkdir } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, Option, type Command } from 'commander';
import { parseDuration } from '../../../generators/model/duration.js';
import { UserError } from '../../../generators/user-error.js';
import { commandAlertmanager } from '../../routing/alertmanager-file.js';
import { historyWarnings } from '../../rules/history-warnings.js';
import { collectRuleFiles } from '../../rules/rule-files.js';
import { loadRuleSet } from '../../rules/rule-set.js';
import { chooseRuntime } from '../../stack/choose-runtime.js';
import { readUserDashboards } from '../../stack/dashboards/user-dashboards.js';
import { checkHistoryBudget } from '../../stack/history-blocks.js';
import { startReaper } from '../../stack/reaper.js';
import { readState, stateDir } from '../../stack/state.js';
import {
  bundledScenarioNames,
  resolveScenarioRef,
  scenarioFilesIn,
} from '../../scenario/scenario-catalogue.js';
import { SandboxSession } from '../../session/session.js';
import { commandSetup, seedOf, withSystemOption } from '../command-setup.js';
import {
  lokiOutputOf,
  otlpOutputOf,
  remoteWriteOf,
  withLokiOptions,
  withOtlpOptions,
  withRemoteWriteOptions,
  type LokiFlags,
  type OtlpFlags,
  type RemoteWriteFlags,
} from '../remote-write-options.js';
import { targetsOf } from '../../../generators/systems/targets.js';
import { DEFAULT_TRACES, HIGHEST_DEFAULT_PORT, TRACE_BACKENDS } from '../../stack/services/registry.js';
import {
  assertPortsFit,
  collect,
  parseForScale,
  parseHistory,
  parseInterval,
  parsePort,
  parseSeed,
} from '../options.js';
import { jsonPrinter, plainPrinter, printSummary } from './start-output.js';
import { exitOnSignals } from '../../cleanup.js';
import { onShutdown } from '../shutdown.js';
import { interactiveTerminal } from '../splash.js';
import type { CliIo } from '../io.js';
import { summaryOf } from '../command-table.js';

interface StartCliOptions extends RemoteWriteFlags, LokiFlags, OtlpFlags {
  tui: boolean;
  demo?: boolean;
  interval: string;
  history: string;
  scenario: string[];
  forScale?: number;
  runtime: 'auto' | 'native' | 'docker';
  traces: string;
  seed: number | string;
  port: number;
  portOffset: number;
  rules: string[];
  dashboards?: string;
  alertmanagerConfig?: string;
  fault: string[];
  detach?: boolean;
  json?: boolean;
}

function parsePortOffset(value: string): number {
  const offset = /^\d{1,5}$/.test(value) ? Number(value) : NaN;
  if (!(offset <= 65535 - HIGHEST_DEFAULT_PORT)) {
    throw new InvalidArgumentError(
      `must be a number from 0 to ${65535 - HIGHEST_DEFAULT_PORT}: every service's default port plus the offset must be at most 65535 (the highest is ${HIGHEST_DEFAULT_PORT})`,
    );
  }
  return offset;
}

async function detach(argv: readonly string[], io: CliIo): Promise<void> {
  await mkdir(stateDir(), { recursive: true, mode: 0o700 });
  const logFile = join(stateDir(), 'sandbox.log');
  const log = openSync(logFile, 'w');
  const args = [...process.execArgv, process.argv[1]!, ...argv.filter((a) => a !== '--detach'), '--no-tui'];
  const child = spawn(process.execPath, args, { detached: true, stdio: ['ignore', log, log] });
  child.unref();
  const deadline = Date.now() + 120_000;
  while (Date.now() < deadline) {
    const state = await readState();
    if (state !== undefined && state.pid === child.pid && state.phase === 'running') {
      printSummary(state, io);
      io.out('running in the background; `sandbox status` shows it, `sandbox down` stops it');
      return;
    }
    if (child.exitCode !== null) break;
    await new Promise((r) => setTimeout(r, 200));
  }
  const tail = readFileSync(logFile, 'utf8').trim().split('\n').slice(-1)[0] ?? '';
  throw new UserError(`the sandbox did not start in the background: ${tail.replace(/^sandbox: /, '')}`, 1);
}

export function registerStart(program: Command, io: CliIo): void {
  const command = program
    .command('start')
    .description(summaryOf('start'))
    .option('--no-tui', 'plain timestamped lines instead of the terminal UI (the default without a terminal)')
    .option('--demo', 'run the guided tour: a scenario whose captions say what happens and where to look')
    .addOption(
      new Option('--runtime <runtime>', 'where the stack runs')
        .choices(['auto', 'native', 'docker'])
        .default('auto'),
    )
    .addOption(
      new Option('--traces <backend>', 'where the generators send their traces')
        .choices(TRACE_BACKENDS)
        .default(DEFAULT_TRACES),
    )
    .option('--seed <n>', 'random seed of the generators', parseSeed, 1)
    .option('--port <n>', "port of the generators' first target", parsePort, 9470)
    .option(
      '--port-offset <n>',
      `add N to every stack service's default port (when 9090 and co. are taken; at most ${65535 - HIGHEST_DEFAULT_PORT})`,
      parsePortOffset,
      0,
    )
    .option('--interval <duration>', "Prometheus' scrape and rule evaluation interval", parseInterval, '15s')
    .option(
      '--history <duration>',
      'simulate this much traffic before now and load it into Prometheus (0: none)',
      parseHistory,
      '1h10m',
    )
    .option('--rules <path>', 'also load these rule files or directories (repeatable)', collect, [])
    .option('--dashboards <dir>', 'also provision the Grafana dashboards in this directory')
    .option(
      '--alertmanager-config <file>',
      'your Alertmanager configuration: its routing, every receiver replaced by the sandbox webhook',
    )
    .option('--fault <name[:k=v,...]>', 'start with a fault switched on (repeatable)', collect, [])
    .option(
      '--scenario <file>',
      'also offer this scenario file in the scenario panel (repeatable)',
      collect,
      [],
    )
    .option(
      '--for-scale <x>',
      "multiply rules' for: by X in (0, 1] while a scenario runs from the UI",
      parseForScale,
    )
    .option('--detach', 'start in the background and return')
    .option('--json', 'print every event as a JSON line (no terminal UI)');
  withLokiOptions(command, "also push the generators' logs to this Loki, beside the sandbox's own");
  withOtlpOptions(
    command,
    "also export the generators' traces over OTLP/HTTP to this endpoint, beside the sandbox's own",
  );
  withRemoteWriteOptions(command);
  withSystemOption(command).action(async (options: StartCliOptions, cmd: Command) => {
    const { project, catalogue } = await commandSetup(cmd);
    const targetCount = targetsOf(catalogue.systems).length;
    assertPortsFit('--port', options.port, targetCount, `the generators' ${targetCount} scrape targets`);
    const faults = options.fault.map((spec) => catalogue.faults.parse(spec));
    const remoteWrite = remoteWriteOf(options);
    const loki = lokiOutputOf(options);
    const otlp = otlpOutputOf(options);
    const historyMs = parseDuration(options.history) ?? 0;
    const tui = !options.detach && options.tui && !options.json && interactiveTerminal();
    const print = options.json ? jsonPrinter(io) : plainPrinter(io);
    // Rules that look back further than the history are said as the session starts (in the TUI too), since
    // they otherwise sit pending or misfire with no word why.
    // Parsed once: the sandbox's scenario vocabulary takes the same rule set.
    const ruleFiles = await collectRuleFiles(
      [...(project?.rules ?? []), ...options.rules],
      project?.bundledRules === false ? [] : catalogue.ruleFiles,
    );
    const ruleSet = { files: ruleFiles, rules: await loadRuleSet(ruleFiles) };
    const warnings = historyWarnings(ruleSet.rules, historyMs);
    if (options.detach) {
      // Refused here, with exit 2, rather than by the background process after this one has returned.
      await checkHistoryBudget({
        systems: catalogue.systems,
        seed: seedOf(cmd, project),
        historyMs,
        scrapeIntervalMs: parseDuration(options.interval) ?? 15_000,
      });
      warnings.forEach((text) => io.status(`warning: ${text}`));
      return detach(process.argv.slice(2), io);
    }
    await Promise.all(options.scenario.map(resolveScenarioRef));
    // The user's files are checked before the runtime is chosen, which may print a line of its own: a
    // refusal stays one line.
    const dashboards = options.dashboards ?? project?.dashboards;
    if (dashboards) await readUserDashboards(dashboards);
    await commandAlertmanager(options.alertmanagerConfig ?? project?.alertmanagerConfig);
    const runtime = await chooseRuntime(options.runtime, io.status);
    // Cleans up if this process is SIGKILLed; ended by the exit hooks however else it ends.
    startReaper(stateDir(), { onMessage: io.status });
    const session = new SandboxSession({
      runtime,
      traces: options.traces,
      systems: catalogue,
      seed: seedOf(cmd, project),
      generatorPort: options.port,
      portOffset: options.portOffset,
      interval: options.interval,
      historyMs,
      rules: [...(project?.rules ?? []), ...options.rules],
      bundledRules: project?.bundledRules,
      projectAlerts: project?.alerts,
      ruleSet,
      dashboards,
      alertmanagerConfig: options.alertmanagerConfig ?? project?.alertmanagerConfig,
      faults,
      scenarios: [
        ...options.scenario,
        ...(await scenarioFilesIn(project?.scenarios ?? [])),
        ...(await bundledScenarioNames()),
      ],
      forScale: options.forScale ?? 1,
      remoteWrite,
      loki,
      otlp,
      warnings,
    });
    const demo = options.demo ? 'demo' : undefined;
    if (tui) {
      // The UI's modules (ink, React) load only for the UI: main.ts has loaded them for its early frame.
      const { runTui } = await import('../../tui/run-tui.js');
      process.exit(await runTui(session, { autoRunScenario: demo }));
    }
    session.subscribe(print);
    // Until the shutdown handler is in place, a signal exits at once; the exit hooks kill the service
    // process groups and remove the run's data.
    const removeEarly = exitOnSignals();
    await session.start();
    // The shutdown handler first: a signal that came meanwhile is still pending, and Node drops it when the
    // last listener goes (a SIGTERM right at ready was lost).
    const removeShutdown = onShutdown(() => session.stop(), io.status);
    removeEarly();
    // Rules that cannot load after ready end the sandbox as a failed start does: nothing judges alerts then.
    void session.failed.then(async (error) => {
      removeShutdown();
      await session.stop().catch(() => undefined);
      io.status(`sandbox: the alert rules could not be loaded: ${error.message}`);
      process.exit(1);
    });
    if (demo) session.runScenario(demo);
  });
}
