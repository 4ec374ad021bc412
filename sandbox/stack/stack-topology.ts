/** A service's ports by name; the first is the one users open (its URL). */
export type PortMap = Readonly<Record<string, number>>;

/**
 * How services and generators reach each other. In containers they use service names on the sandbox
 * network and reach the host's generators through a gateway name; natively everything is on 127.0.0.1.
 */
export interface StackAddresses {
  /** host:port of a service (one of its ports by name; default: its first) as the other services see it. */
  service(name: string, port?: string): string;
  /** host:port of each generator target as Prometheus sees it (a job with several targets: each, in order). */
  generators: readonly { job: string; address: string }[];
  /** URL of the sandbox's webhook receiver for Alertmanager notifications. */
  webhookUrl: string;
}

function portOf(ports: Readonly<Record<string, number | PortMap>>, name: string, port?: string): number {
  const own = ports[name];
  const found = typeof own === 'number' ? own : own && (port ? own[port] : Object.values(own)[0]);
  if (found === undefined) throw new Error(`no port ${port ?? ''} of stack service ${name}`);
  return found;
}

/** Services reached by name on the sandbox network, on their own ports. */
export function containerAddresses(
  ports: Readonly<Record<string, PortMap>>,
  generators: readonly { job: string; port: number }[],
  hostGateway: string,
  webhookPort: number,
  webhookPath = '/alertmanager',
): StackAddresses {
  return {
    service: (name, port) => `${name}:${portOf(ports, name, port)}`,
    generators: generators.map((g) => ({ job: g.job, address: `${hostGateway}:${g.port}` })),
    webhookUrl: `http://${hostGateway}:${webhookPort}${webhookPath}`,
  };
}

/** Everything on 127.0.0.1; a service's ports by name, or just the port it is reached on. */
export function nativeAddresses(
  ports: Readonly<Record<string, number | PortMap>>,
  generators: readonly { job: string; port: number }[],
  webhookPort: number,
  webhookPath = '/alertmanager',
): StackAddresses {
  return {
    service: (name, port) => `127.0.0.1:${portOf(ports, name, port)}`,
    generators: generators.map((g) => ({ job: g.job, address: `127.0.0.1:${g.port}` })),
    webhookUrl: `http://127.0.0.1:${webhookPort}${webhookPath}`,
  };
}
