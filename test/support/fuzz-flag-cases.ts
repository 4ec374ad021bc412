import { execFileSync } from 'node:child_process';
import { mkdirSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { SeededChoices, type FuzzCase } from './fuzz-case.js';

/** Flags with a wrong value: each must make the command refuse to start. */
type Bad = string[];

const COMMON: Bad[] = [['--no-such-option'], ['--system', 'no-such-system'], ['--system', '']];
/** For the commands that read the project file (not install, down and status). */
const PROJECT: Bad[] = [
  ['--config', '/nonexistent/obs-sandbox.yaml'],
  ['--config', '/dev/zero'],
];
const READS_PROJECT = ['generate', 'start', 'replay', 'check', 'mutate', 'faults', 'compose'];

/** Found by this test once (an internal error, a command that never ended): kept as cases. */
const REGRESSIONS = (scenario: string): string[][] => [
  ['compose', '--out', '/proc/compose'],
  ['compose', '--out', '/dev/null/compose'],
  ['replay', scenario, '--keep', '/dev/null'],
  ['replay', scenario, '--keep', '/proc/keep/a'],
  ['replay', scenario, '--junit', '/nonexistent/dir/report.xml'],
  ['mutate', scenario, '--junit', '/nonexistent/dir/report.xml'],
  ['replay', scenario, '--junit', '/dev/null/report.xml'],
];

const PORTS = (flag: string): Bad[] =>
  ['', '-1', '65536', '99999', 'abc', '1.5', '0x10', '1e3', ' '].map((v) => [flag, v]);

/**
 * Per command: wrong flags, and valid ones that cost nothing (mixed in, repeated). `replay` and `mutate` always
 * get the short scenario, so that a wrong flag taken as valid never replays every bundled scenario.
 */
function commands(scenario: string, missing: string): Record<string, { bad: Bad[]; ok: Bad[] }> {
  return {
    generate: {
      bad: [
        ...PORTS('--port'),
        ['--port', '65535'],
        ['--seed', '99999999999999999999999'],
        ['--seed', ''],
        ...['0', '-1', '1e308', 'NaN', '1001', '', 'Infinity'].map((v) => ['--rate-scale', v]),
        ...['0', '1e6', '1e12', '1e308', '-1', 'Infinity', '', 'fast'].map((v) => ['--speed', v]),
        ...['receipt_rate', '=5', 'receipt_rate=', 'anchor_interval=0', 'receipt_rate=1e9', 'nope=1']
          .concat(['receipt_rate=abc', 'receipt_rate=-8', '__proto__=1'])
          .map((v) => ['--knob', v]),
        ...['nope', 'receipt_write_errors:ratio=2', 'receipt_write_errors:bogus=1', ':', 'service_down']
          .concat(['anchor_stall:since=-1m', 'receipt_write_errors:ratio=NaN'])
          .map((v) => ['--fault', v]),
        ['--bind', '0.0.0.0'],
        ['--bind', 'not-an-ip'],
        ['--bind', ''],
        ...PORTS('--webhook-port'),
        ['--loki', 'not a url'],
        ['--loki', 'ftp://127.0.0.1:1'],
        ['--otlp', 'nope'],
      ],
      ok: [['--port', '0'], ['--seed', '7'], ['--json'], ['--speed', '10'], ['--rate-scale', '2']],
    },
    start: {
      bad: [
        ...PORTS('--port-offset').concat([['--port-offset', '60000']]),
        ...PORTS('--port'),
        ...['0s', '1ms', 'abc', '9999999999y', '-15s', ''].map((v) => ['--interval', v]),
        ...['1d', '-1h', 'abc', '100000h', '9999999999y', ''].map((v) => ['--history', v]),
        ['--runtime', 'nope'],
        ['--seed', ''],
        ...['0', '2', '-1', 'abc', ''].map((v) => ['--for-scale', v]),
        ['--rules', missing],
        ['--rules', '/dev/zero'],
        ['--dashboards', missing],
        ['--alertmanager-config', missing],
        ['--alertmanager-config', '/dev/zero'],
        ['--fault', 'nope'],
        ['--scenario', missing],
      ],
      ok: [['--no-tui'], ['--json'], ['--seed', '3']],
    },
    replay: {
      bad: [
        ['no-such-scenario'],
        [''],
        ['/dev/zero'],
        ['--mode', 'nope'],
        ['--mode', 'live'],
        ...['0', '2', 'abc'].map((v) => ['--for-scale', v]),
        ['--rules', missing],
        ['--rules', '/dev/urandom'],
        ['--alertmanager-config', missing],
        ['--junit', '/nonexistent/dir/report.xml'],
        ['--keep', '/dev/null'],
        ['--keep', '/proc/keep'],
      ],
      ok: [[scenario], ['--json'], ['--strict']],
    },
    check: {
      bad: [
        ['--rules', missing],
        ['--rules', '/dev/zero'],
        ['--scenario', 'no-such-scenario'],
        ['--scenario', '/dev/zero'],
      ],
      ok: [['--json'], ['--strict'], ['--no-cache']],
    },
    mutate: {
      bad: [
        ...['-1', '101', 'abc', '', 'NaN'].map((v) => ['--min-score', v]),
        ['--alert', 'NoSuchAlert'],
        ['--rules', missing],
        ['--junit', '/nonexistent/dir/report.xml'],
      ],
      ok: [[scenario], ['--json']],
    },
    faults: { bad: [['extra-argument']], ok: [['--json']] },
    compose: {
      bad: [['--out', '/dev/null/compose'], ['--out', '/proc/compose'], ['extra-argument']],
      ok: [],
    },
    install: { bad: [['no-such-binary'], ['--json', 'promtool', 'nope']], ok: [['--offline']] },
    down: { bad: [['--json'], ['extra-argument'], ['--force']], ok: [] },
    status: { bad: [['extra-argument'], ['--watch']], ok: [['--json']] },
  };
}

/** `count` command lines, each with at least one wrong flag (or a flag missing its value, last). */
export function flagCases(count: number, seed: number, scenario: string, missing: string): FuzzCase[] {
  const choose = new SeededChoices(seed);
  const table = commands(scenario, missing);
  const names = Object.keys(table);
  const seen = new Set<string>();
  const cases: FuzzCase[] = [];
  for (let attempt = 0; cases.length < count && attempt < count * 20; attempt++) {
    const name = choose.pick(names);
    const { bad, ok } = table[name]!;
    const groups: string[][] = [];
    const wrong = [...bad, ...COMMON, ...(READS_PROJECT.includes(name) ? PROJECT : [])];
    for (let i = 0, n = 1 + choose.int(2); i < n; i++) groups.push(choose.pick(wrong));
    for (let i = 0, n = choose.int(3); i < n && ok.length > 0; i++) groups.push(choose.pick(ok));
    if (name === 'replay' || name === 'mutate') groups.push([scenario]);
    const order = groups.map((g) => [choose.int(1000), g] as const).sort((a, b) => a[0] - b[0]);
    // Should a wrong flag pass, the command must not take the ports other tests use (a later --port wins).
    const freePorts = name === 'generate' || name === 'start' ? ['--port', '0'] : [];
    const argv = [name, ...freePorts, ...order.flatMap(([, g]) => g)];
    // A value-taking flag last, without its value.
    if (choose.int(6) === 0) argv.push(choose.pick(['--seed', '--rules', '--system', '--port', '--config']));
    const key = argv.join('\u0000');
    if (seen.has(key)) continue;
    seen.add(key);
    cases.push({
      id: `flags ${cases.length}: ${JSON.stringify(argv)}`,
      kind: `flags:${name}`,
      argv,
      expect: 'refused',
    });
  }
  return cases;
}

/** The command lines this test once found wrong. */
export function flagRegressionCases(scenario: string): FuzzCase[] {
  return REGRESSIONS(scenario).map((argv) => ({
    id: `regression: ${JSON.stringify(argv)}`,
    kind: `flags:${argv[0]}`,
    argv,
    expect: 'refused',
  }));
}

/** Files that are not regular files, given as scenarios, rules and project files. */
export function specialFileCases(dir: string): FuzzCase[] {
  const fifo = join(dir, 'scenario.fifo');
  execFileSync('mkfifo', [fifo]);
  const directory = join(dir, 'a-directory.yaml');
  mkdirSync(directory);
  const link = join(dir, 'link-to-zero.yaml');
  symlinkSync('/dev/zero', link);
  const paths = ['/dev/zero', '/dev/urandom', '/dev/null', fifo, directory, link];
  const uses = (path: string): string[][] => [
    ['replay', path],
    ['check', '--no-bundled-rules', '--rules', path],
    ['--config', path, 'faults'],
  ];
  return paths.flatMap((path) =>
    uses(path).map((argv) => ({
      id: `special file: ${argv.join(' ')}`,
      kind: 'special-file',
      argv,
      expect: 'refused' as const,
      file: path,
      positioned: false,
    })),
  );
}
