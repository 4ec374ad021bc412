import type { StackAddresses } from '../stack-topology.js';
import type { ComposeService, Ingest } from './service-module.js';

/** How one trace backend differs from another in what they share. */
export interface TraceBackendSpec<Name extends string> {
  name: Name;
  title: string;
  /** The port Grafana queries traces on. */
  queryPort: string;
  /** The flag that names its configuration file (`--config`, `-config.file`). */
  configFlag: string;
  /** Its configuration file in a container and in the compose export. */
  containerConfig(): string;
  /** The ports the compose export publishes. */
  composePublish: readonly string[];
}

/**
 * What every trace backend (`--traces`) has alike: OTLP over HTTP in, a Grafana datasource whose uid and type
 * are its name with traces-to-logs links into Loki (service.name → job), and one configuration file under
 * `/etc/<name>/` in a container and in the compose export.
 */
export function traceBackend<Name extends string>(spec: TraceBackendSpec<Name>) {
  const root = `/etc/${spec.name}`;
  const file = `${spec.name}.yaml`;
  const command = [`${spec.configFlag}=${root}/${file}`];
  return {
    module: {
      name: spec.name,
      title: spec.title,
      required: false,
      traceBackend: true,
      ingest: { kind: 'traces', port: 'otlpHttp' } satisfies Ingest,
      datasource: (addresses: StackAddresses) => ({
        name: spec.title,
        type: spec.name,
        uid: spec.name,
        access: 'proxy',
        url: `http://${addresses.service(spec.name, spec.queryPort)}`,
        jsonData: {
          tracesToLogsV2: {
            datasourceUid: 'loki',
            spanStartTimeShift: '-5m',
            spanEndTimeShift: '5m',
            filterByTraceID: true,
            filterBySpanID: false,
            tags: [{ key: 'service.name', value: 'job' }],
          },
        },
        editable: false,
      }),
      compose: (): ComposeService => ({
        command,
        volumes: [`./config/${spec.name}:${root}:ro`],
        publish: spec.composePublish,
        files: { [`config/${spec.name}/${file}`]: spec.containerConfig() },
      }),
    },
    /** The container's configuration: merge with its published ports and health check. */
    container: {
      root,
      files: async () => ({ [`${root}/${file}`]: spec.containerConfig() }),
      command,
    },
  };
}
