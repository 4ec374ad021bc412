import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { InvalidArgumentError, type Command } from 'commander';
import { UserError } from '../../../generators/user-error.js';
import {
  defaultK8sOptions,
  parseImage,
  parseLabelValue,
  parseNamespace,
  parseReplicas,
  parseTenant,
  type K8sOptions,
} from '../../k8s/k8s-options.js';
import { loadK8sSources } from '../../k8s/k8s-sources.js';
import { renderK8s } from '../../k8s/render-k8s.js';
import { assertShardsFit } from '../../k8s/shard-fit.js';
import { MAX_SCALE } from '../../../generators/systems/scale.js';
import { commandSetup, withSystemOption } from '../command-setup.js';
import type { CliIo } from '../io.js';
import { parsePort, parsePositiveInteger, parseUrl } from '../options.js';
import { CONTROL_SECRET } from '../../k8s/generator-control.js';
import { summaryOf } from '../command-table.js';

/**
 * An endpoint the ConfigMap holds, in the clear for anyone who may read the namespace's ConfigMaps: so no
 * user, password or query (where a key may hide).
 */
function configMapUrl(value: string): string {
  const url = parseUrl(value);
  const parsed = new URL(url);
  if (parsed.username !== '' || parsed.password !== '' || parsed.search !== '')
    throw new InvalidArgumentError(
      'must hold no user, password or query: the rendered ConfigMap would hold them in the clear',
    );
  return url;
}

/** The options as commander gives them: --no-control makes `control` false. */
type K8sFlags = K8sOptions & { out: string; control: boolean };

export function registerK8s(program: Command, io: CliIo): void {
  const defaults = defaultK8sOptions();
  const command = program
    .command('k8s')
    .description(summaryOf('k8s'))
    .option('--out <dir>', 'directory to write to', 'k8s')
    .option('--replicas <n>', 'generator pods; pod i of N runs shard i/N', parseReplicas, defaults.replicas)
    .option(
      '--scale <n>',
      `copies of the systems the pods share (1 to ${MAX_SCALE}), as sandbox generate --scale`,
      parsePositiveInteger('100'),
      defaults.scale,
    )
    .option(
      '--remote-write <url>',
      'push metrics here (Prometheus remote write); without it a ServiceMonitor scrapes the pods',
      configMapUrl,
    )
    .option('--tenant <id>', 'remote-write tenant (X-Scope-OrgID) for Mimir or Cortex', parseTenant)
    .option('--loki <url>', 'push logs to this Loki', configMapUrl)
    .option('--loki-tenant <id>', 'Loki tenant (X-Scope-OrgID) for a multi-tenant Loki', parseTenant)
    .option(
      '--control-port <n>',
      `each pod's control API (faults, knobs; token from the Secret ${CONTROL_SECRET})`,
      parsePort,
      defaults.controlPort,
    )
    .option('--no-control', 'no control API (faults are then switched only at start-up)')
    .option('--otlp <url>', 'export traces over OTLP/HTTP to this endpoint', configMapUrl)
    .option('--namespace <ns>', 'namespace of every object', parseNamespace, defaults.namespace)
    .option(
      '--image <image>',
      "the generators' image (build it with the rendered Dockerfile)",
      parseImage,
      defaults.image,
    )
    .option(
      '--release <name>',
      "the release label on PrometheusRules and the ServiceMonitor (kube-prometheus-stack's Helm release)",
      parseLabelValue,
      defaults.release,
    );
  withSystemOption(command).action(async (flags: K8sFlags, cmd: Command) => {
    if (flags.tenant !== undefined && flags.remoteWrite === undefined)
      throw new UserError('--tenant is the remote-write tenant; give --remote-write URL with it');
    if (flags.lokiTenant !== undefined && flags.loki === undefined)
      throw new UserError('--loki-tenant needs --loki URL: give the Loki URL too');
    const { control, ...options } = { ...flags, controlPort: flags.control ? flags.controlPort : undefined };
    const { project, catalogue } = await commandSetup(cmd);
    await assertShardsFit(options, catalogue.systems, project?.seed ?? 1);
    const files = await renderK8s(options, await loadK8sSources(catalogue, project));
    await outDirectory(options.out);
    for (const [path, content] of Object.entries(files)) await writeFile(join(options.out, path), content);
    io.out(
      `wrote ${Object.keys(files).length} files to ${options.out}/; build the image (see its Dockerfile), then:`,
    );
    io.out(`  kubectl create namespace ${options.namespace}`);
    if (control)
      io.out(
        `  kubectl -n ${options.namespace} create secret generic ${CONTROL_SECRET} --from-literal=token="$(openssl rand -base64 32)"`,
      );
    io.out(`  kubectl apply -k ${options.out}`);
  });
}

/** Makes the --out directory; a file in its way is the user's to move, said in one line. */
async function outDirectory(out: string): Promise<void> {
  try {
    await mkdir(out, { recursive: true });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code !== 'EEXIST' && code !== 'ENOTDIR') throw error;
    throw new UserError(
      `--out ${out}: a file is in the way of that directory; give a directory (made if missing), or move the file`,
    );
  }
}
