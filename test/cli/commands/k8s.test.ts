import { existsSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCliInProcess } from '../../support/cli-in-process.js';

describe('sandbox k8s', () => {
  const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-k8s-cli-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it('writes the manifests and says how to apply them', async () => {
    const out = join(dir, 'deploy');
    const result = await runCliInProcess([
      'k8s',
      '--out',
      out,
      '--replicas',
      '4',
      '--remote-write',
      'http://prometheus.monitoring:9090/api/v1/write',
    ]);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(readdirSync(out).sort()).toEqual([
      'Dockerfile',
      'configmap.yaml',
      'kustomization.yaml',
      'prometheusrule.yaml',
      'service.yaml',
      'statefulset.yaml',
    ]);
    expect(result.stdout).toContain(`kubectl apply -k ${out}`);
    // The control API's Secret is the user's to make, before the pods can start.
    expect(result.stdout).toContain(
      'create secret generic obs-sandbox-generators-control --from-literal=token=',
    );
  });

  it.each([
    [['--replicas', '0'], /--replicas.*whole number from 1 to 1000/],
    [['--replicas', '2.5'], /--replicas.*whole number/],
    [['--tenant', 'team-a'], /--tenant is the remote-write tenant; give --remote-write URL with it/],
    [['--loki-tenant', 'team-a'], /--loki-tenant needs --loki URL: give the Loki URL too/],
    [['--loki', 'http://loki', '--loki-tenant', 'a b'], /--loki-tenant.*printable characters without spaces/],
    [['--control-port', '70000'], /--control-port/],
    [['--namespace', 'Load_Test'], /--namespace.*Kubernetes namespace name/],
    [['--image', 'obs-sandbox'], /--image.*with a tag or digest/],
    [['--release', 'a b'], /--release.*label value/],
    [['--remote-write', 'ftp://x'], /--remote-write.*must be an http\(s\) URL/],
    [
      ['--replicas', '8'],
      /^sandbox: --replicas 8 leaves pods without a shard: --scale 1 makes 4 targets to share; give --scale 2 or more, or --replicas 4 or less$/m,
    ],
    [['--scale', '0'], /--scale <n>' argument '0' is invalid\. must be a whole number of at least 1/],
    [['--scale', '10001'], /--scale 10001 is over 10000; give 10000 or less/],
    [
      ['--replicas', '4', '--scale', '5000', '--remote-write', 'http://mimir/api/v1/push'],
      /--scale 5000 over --replicas 4 would push or serve about [\d,]+ series from each pod \(\d+ per replica\), over the budget of 300,000 per process: give --replicas 5 or more, or --scale \d+ or less/,
    ],
    [
      ['--remote-write', 'http://u:s3cret@mimir/api/v1/push'],
      /argument 'http:\/\/mimir\/api\/v1\/push' is invalid\. must hold no user, password or query: the rendered ConfigMap/,
    ],
    [['--loki', 'http://loki?key=s3cret'], /--loki <url>.*must hold no user, password or query/],
    [['--otlp', 'http://:s3cret@tempo:4318'], /--otlp <url>.*must hold no user, password or query/],
  ])('refuses %j in one line, exit 2, writing nothing', async (args, message) => {
    const out = join(dir, `bad-${args.join('-').replace(/\W+/g, '_')}`);
    const result = await runCliInProcess(['k8s', '--out', out, ...args]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(message);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
    expect(result.stderr).not.toContain('s3cret');
    expect(existsSync(out)).toBe(false);
  });

  it('refuses a system from a file, which the image does not hold, in one line', async () => {
    const config = join(dir, 'obs-sandbox.yaml');
    writeFileSync(config, `systems: [${resolve('test/fixtures/systems/shop.system.yaml')}]\n`);
    const out = join(dir, 'declared');
    const result = await runCliInProcess(['k8s', '--config', config, '--out', out]);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(
      /^sandbox: system shop comes from \/.*shop\.system\.yaml, .*bundled systems only \(.*lexecon/,
    );
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(existsSync(out)).toBe(false);
  });

  it('refuses an --out that is a file, in one line with the fix, exit 2, leaving the file as it was', async () => {
    const file = join(dir, 'not-a-directory');
    writeFileSync(file, 'mine\n');
    for (const out of [file, join(file, 'deploy')]) {
      const result = await runCliInProcess(['k8s', '--out', out]);
      expect(result.code).toBe(2);
      expect(result.stderr).toBe(
        `sandbox: --out ${out}: a file is in the way of that directory; give a directory (made if missing), or move the file\n`,
      );
    }
    expect(readFileSync(file, 'utf8')).toBe('mine\n');
  });
});
