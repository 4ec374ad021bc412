import { stringify } from 'yaml';

/**
 * Single-process Loki for local use: in-memory ring, filesystem store under `dataDir`, 24 h retention. HTTP
 * listens on `listenAddress`; gRPC, which only Loki's own components use, on loopback whatever it is.
 */
export function lokiConfig(dataDir: string, port: number, listenAddress: string): string {
  return stringify({
    auth_enabled: false,
    server: {
      http_listen_address: listenAddress,
      http_listen_port: port,
      grpc_listen_address: '127.0.0.1',
      grpc_listen_port: 0,
      log_level: 'warn',
    },
    common: {
      instance_addr: '127.0.0.1',
      path_prefix: dataDir,
      storage: { filesystem: { chunks_directory: `${dataDir}/chunks`, rules_directory: `${dataDir}/rules` } },
      replication_factor: 1,
      ring: { kvstore: { store: 'inmemory' } },
    },
    schema_config: {
      configs: [
        {
          from: '2024-01-01',
          store: 'tsdb',
          object_store: 'filesystem',
          schema: 'v13',
          index: { prefix: 'index_', period: '24h' },
        },
      ],
    },
    limits_config: { retention_period: '24h', allow_structured_metadata: true, volume_enabled: true },
    compactor: {
      working_directory: `${dataDir}/compactor`,
      retention_enabled: true,
      delete_request_store: 'filesystem',
    },
    analytics: { reporting_enabled: false },
  });
}
