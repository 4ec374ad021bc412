/**
 * `--traces tempo` on the native runtime, end to end but for Tempo itself: no Tempo binary is available
 * here, so a script stands in for one built from source (no version number; /ready, /metrics and the OTLP
 * HTTP endpoint it documents), and another for Grafana, whose provisioning is read. Prometheus and
 * Alertmanager are the real ones.
 */
import { chmodSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { parse } from 'yaml';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { startSandbox, type TestSandbox } from '../../../sandbox/testing.js';
import { requireBinaries } from '../../support/binaries.js';
import { waitFor } from '../../support/ports.js';

const bins = await requireBinaries(['prometheus', 'alertmanager']);
const scratch = mkdtempSync(join(tmpdir(), 'obs-sandbox-tempo-test-'));
const spansFile = join(scratch, 'tempo-requests');
const fakeTempo = join(scratch, 'tempo');
writeFileSync(
  fakeTempo,
  `#!${process.execPath}
const fs = require('node:fs');
const http = require('node:http');
if (process.argv.includes('-version')) {
  console.log('tempo, version  (branch: , revision: )');
  process.exit(0);
}
const config = fs.readFileSync(process.argv.find((a) => a.startsWith('-config.file=')).slice(13), 'utf8');
const host = /http_listen_address: (\\S+)/.exec(config)[1];
const port = Number(/http_listen_port: (\\d+)/.exec(config)[1]);
const otlp = /endpoint: (\\S+):(\\d+)/.exec(config);
const handler = (req, res) => {
  req.resume();
  req.on('end', () => {
    if (req.method === 'POST' && req.url === '/v1/traces') {
      fs.appendFileSync(${JSON.stringify(spansFile)}, '1\\n');
      return res.writeHead(200, { 'content-type': 'application/json' }).end('{}');
    }
    res.writeHead(req.url === '/ready' || req.url === '/metrics' ? 200 : 404).end();
  });
};
http.createServer(handler).listen(port, host);
http.createServer(handler).listen(Number(otlp[2]), otlp[1]);
process.on('SIGTERM', () => process.exit(0));
`,
);
chmodSync(fakeTempo, 0o755);
process.env.OBS_SANDBOX_TEMPO_PATH = fakeTempo;
// Grafana's files are written only when it runs: a script stands in for it too (its health and metrics).
const fakeGrafana = join(scratch, 'bin', 'grafana');
mkdirSync(dirname(fakeGrafana));
writeFileSync(
  fakeGrafana,
  `#!${process.execPath}
const http = require('node:http');
if (process.argv.includes('--version')) {
  console.log('grafana version 12.1.1');
  process.exit(0);
}
http
  .createServer((req, res) => {
    req.resume();
    res.writeHead(req.url === '/api/health' || req.url === '/metrics' ? 200 : 404).end();
  })
  .listen(Number(process.env.GF_SERVER_HTTP_PORT), process.env.GF_SERVER_HTTP_ADDR);
process.on('SIGTERM', () => process.exit(0));
`,
);
chmodSync(fakeGrafana, 0o755);
process.env.OBS_SANDBOX_GRAFANA_PATH = fakeGrafana;

describe.skipIf(!bins.available)('the native sandbox with --traces tempo', () => {
  let handle: TestSandbox;
  let sandbox: TestSandbox['sandbox'];

  beforeAll(async () => {
    handle = await startSandbox({ runtime: 'native', traces: 'tempo', history: '0' });
    sandbox = handle.sandbox;
  }, 180_000);

  afterAll(async () => {
    await handle?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it('runs Tempo (built from source: version "unknown") in place of Jaeger', () => {
    const services = sandbox.stack.services().map((s) => s.service);
    expect(services).toContain('tempo');
    expect(services).not.toContain('jaeger');
    expect(sandbox.stack.statuses.get('tempo')).toMatchObject({ state: 'running', version: 'unknown' });
  });

  it('sends the generators’ spans to Tempo over OTLP', async () => {
    await waitFor(
      'spans at Tempo',
      async () => (readFileSync(spansFile, 'utf8').length > 0 ? true : undefined),
      60_000,
    );
  }, 90_000);

  it('provisions the Tempo datasource, linked to and from Loki, and has Prometheus scrape Tempo', () => {
    const dir = sandbox.state.dataDir;
    const datasources = parse(
      readFileSync(join(dir, 'grafana/provisioning/datasources/datasources.yaml'), 'utf8'),
    ) as { datasources: { uid: string; url: string }[] };
    const tempoUrl = handle.services.tempo!.url();
    expect(datasources.datasources.find((d) => d.uid === 'tempo')?.url).toBe(tempoUrl);
    expect(datasources.datasources.map((d) => d.uid)).not.toContain('jaeger');
    const prometheus = readFileSync(join(dir, 'prometheus/prometheus.yml'), 'utf8');
    expect(prometheus).toContain(`- ${new URL(tempoUrl).host}`);
  });
});
