import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runCliAsync } from '../../support/cli.js';
import { freePort } from '../../support/ports.js';

const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-replay-env-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A rule evaluator that has one group (its /api/v1/rules), as a ruler would answer. */
const RULES = {
  status: 'success',
  data: {
    groups: [
      {
        name: 'mesh',
        file: '/etc/prometheus/rules/mesh.yml',
        interval: 15,
        rules: [
          {
            type: 'alerting',
            name: 'NodeDown',
            query: 'x',
            duration: 300,
            labels: { severity: 'critical' },
            alerts: [],
          },
        ],
      },
    ],
  },
};

let evaluator: Server;
let evaluatorUrl: string;
beforeAll(async () => {
  evaluator = createServer((req, res) => {
    if (req.url?.startsWith('/api/v1/rules')) res.writeHead(200).end(JSON.stringify(RULES));
    else res.writeHead(404).end('{}');
  });
  await new Promise<void>((resolve) => evaluator.listen(0, '127.0.0.1', resolve));
  evaluatorUrl = `http://127.0.0.1:${(evaluator.address() as { port: number }).port}`;
});
afterAll(() => new Promise((resolve) => evaluator.close(resolve)));

const SCENARIO = join(dir, 'node.yaml');
writeFileSync(
  SCENARIO,
  `name: node
description: a node goes down
duration: 1m
steps:
  - { at: 10s, name: fault, fault: node_down }
expect:
  - alert: NodeDown
    rule_file: mesh.yaml
    fires: { after: fault, within: 40s }
`,
);

/** Exit 2 with one line on stderr, and no stack trace. */
async function refused(args: string[], env: NodeJS.ProcessEnv = process.env): Promise<string> {
  const result = await runCliAsync(['replay', ...args], env);
  expect(result.code, result.stderr).toBe(2);
  const lines = result.stderr.trim().split('\n');
  expect(lines, result.stderr).toHaveLength(1);
  return lines[0]!;
}

const live = () => ['--mode', 'live', SCENARIO, '--prometheus', evaluatorUrl];

describe('replay --mode live against an environment of your own: bad input', () => {
  it('refuses the environment flags outside live mode, and without --prometheus', async () => {
    expect(await refused(['node-down', '--prometheus', 'http://127.0.0.1:9090'])).toMatch(
      /apply to --mode live only/,
    );
    expect(await refused(['--mode', 'live', 'node-down', '--tenant', 'a'])).toMatch(
      /--tenant need --prometheus URL/,
    );
  }, 120_000);

  it('refuses bad headers, auth sources and URLs holding credentials, saying how to fix them', async () => {
    expect(await refused([...live(), '--prometheus-header', 'no-equals'])).toMatch(/expected NAME=VALUE/);
    expect(await refused([...live(), '--prometheus-auth', 'token:abc'])).toMatch(/bearer-file:PATH/);
    expect(await refused([...live(), '--alertmanager-header', 'X-A=b'])).toMatch(/need --alertmanager URL/);
    const env = { ...process.env, OBS_TEST_UNSET_TOKEN: '' };
    expect(
      await refused(
        [
          ...live(),
          '--alertmanager',
          'http://127.0.0.1:1',
          '--alertmanager-auth',
          'bearer-env:OBS_TEST_UNSET_TOKEN',
        ],
        env,
      ),
    ).toMatch(/\$OBS_TEST_UNSET_TOKEN is unset or empty/);
    const withCredentials = await refused([
      '--mode',
      'live',
      SCENARIO,
      '--prometheus',
      'http://u:secret@127.0.0.1:1',
    ]);
    expect(withCredentials).toMatch(/holds credentials; pass them with --prometheus-auth/);
    expect(withCredentials).not.toContain('secret');
  }, 120_000);

  it('refuses --for-scale, and --generators without their token file', async () => {
    expect(await refused([...live(), '--for-scale', '0.5'])).toMatch(/short for: there/);
    expect(await refused([...live(), '--generators', 'http://127.0.0.1:1'])).toMatch(
      /--generators-token-file/,
    );
  }, 120_000);

  it('says when the evaluator cannot be read', async () => {
    const port = await freePort();
    expect(
      await refused(['--mode', 'live', SCENARIO, '--prometheus', `http://127.0.0.1:${port}/prometheus`]),
    ).toMatch(
      new RegExp(
        `cannot read the rules at http://127.0.0.1:${port}/prometheus/api/v1/rules .*check --prometheus`,
      ),
    );
  }, 120_000);

  it("checks a rule_file against the evaluator's files (did-you-mean), and asks for --generators for a fault", async () => {
    expect(await refused(live())).toMatch(
      /node\.yaml:\d+:\d+: expect\[0\]\.rule_file: no loaded rule file is mesh\.yaml \(did you mean mesh\.yml\?\)/,
    );
    writeFileSync(
      SCENARIO.replace('node', 'fixed'),
      readFileSync(SCENARIO, 'utf8').replace('mesh.yaml', 'mesh.yml'),
    );
    expect(
      await refused(['--mode', 'live', SCENARIO.replace('node', 'fixed'), '--prometheus', evaluatorUrl]),
    ).toMatch(/switches faults or traffic; name the generators with --generators/);
  }, 120_000);
});
