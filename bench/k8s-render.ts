/**
 * `sandbox k8s` for 4 replicas: the time to render the manifests (in process, and the built CLI end to
 * end, start-up included) and the size of what it writes, in remote-write and in scrape mode.
 *
 *   npx tsx bench/k8s-render.ts [rounds]
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { defaultK8sOptions, type K8sOptions } from '../sandbox/k8s/k8s-options.js';
import { loadK8sSources } from '../sandbox/k8s/k8s-sources.js';
import { renderK8s } from '../sandbox/k8s/render-k8s.js';
import { isMain, percentile } from './support.js';

const CLI = 'dist/sandbox/cli/main.js';
const REMOTE_WRITE = 'http://kube-prometheus-stack-prometheus.monitoring:9090/api/v1/write';

const kb = (bytes: number) => Math.round(bytes / 102.4) / 10;

async function inProcess(options: K8sOptions, rounds: number) {
  const times: number[] = [];
  // The first renders load the rule files and schemas and warm the JIT; the figure is a warm render.
  let files: Record<string, string> = {};
  for (let i = 0; i < 10; i++) files = await renderK8s(options, await loadK8sSources());
  for (let i = 0; i < rounds; i++) {
    const start = performance.now();
    files = await renderK8s(options, await loadK8sSources());
    times.push(performance.now() - start);
  }
  const sizes = Object.entries(files).map(([file, text]) => [file, Buffer.byteLength(text)] as const);
  const bytes = sizes.reduce((sum, [, n]) => sum + n, 0);
  const objects = Object.entries(files)
    .filter(([file]) => file !== 'kustomization.yaml')
    .reduce((n, [, text]) => n + (text.match(/^kind: /gm)?.length ?? 0), 0);
  return { medianMs: percentile(times, 50), files: sizes.length, objects, bytes, sizes };
}

function cliEndToEnd(args: readonly string[], rounds: number): number | undefined {
  if (!existsSync(join(CLI, '..', 'commands', 'k8s.js'))) return undefined;
  const times: number[] = [];
  for (let i = 0; i < rounds; i++) {
    const out = mkdtempSync(join(tmpdir(), 'obs-sandbox-k8s-bench-'));
    const start = performance.now();
    const run = spawnSync(process.execPath, [CLI, 'k8s', '--out', out, ...args], { encoding: 'utf8' });
    times.push(performance.now() - start);
    rmSync(out, { recursive: true, force: true });
    if (run.status !== 0) throw new Error(`sandbox k8s failed: ${run.stderr}`);
  }
  return percentile(times, 50);
}

export async function main(rounds = 20) {
  const modes = {
    'remote write': { ...defaultK8sOptions(), replicas: 4, remoteWrite: REMOTE_WRITE },
    scrape: { ...defaultK8sOptions(), replicas: 4 },
  };
  const result: Record<string, unknown> = {};
  for (const [mode, options] of Object.entries(modes)) {
    const render = await inProcess(options, rounds);
    const args = ['--replicas', '4', ...(options.remoteWrite ? ['--remote-write', REMOTE_WRITE] : [])];
    const cliMs = cliEndToEnd(args, Math.min(rounds, 5));
    console.log(
      `sandbox k8s --replicas 4 (${mode}): render ${render.medianMs.toFixed(1)} ms median in process, ` +
        (cliMs === undefined
          ? 'CLI not built (npm run build), '
          : `${cliMs.toFixed(0)} ms via the built CLI, `) +
        `${render.files} files, ${render.objects} objects, ${kb(render.bytes)} KB ` +
        `(${render.sizes.map(([f, n]) => `${f} ${kb(n)} KB`).join(', ')})`,
    );
    result[mode] = { ...render, cliMs };
  }
  return result;
}

if (isMain(import.meta.url)) await main(Number(process.argv[2] ?? 20));
