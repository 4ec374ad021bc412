/** Every listener the stack's configurations and command lines declare is on loopback (issue 11). */
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { SERVICE_MODULES } from '../../../sandbox/stack/services/registry.js';
import { nativeContext } from '../services/native-context.js';

const spec = (service: string) => SERVICE_MODULES.find((s) => s.name === service)!;
const ctx = (service: string) => nativeContext(spec(service), '/run');
const args = (service: string) => spec(service).native.args(ctx(service), { path: `/bin/${service}` });
const nativeFile = (service: string, file: string) => spec(service).native.files!(ctx(service))[file]!;
const containerFile = async (service: string, file: string) =>
  (await spec(service).container.files({ ...ctx(service), image: spec(service).image }))[file]!;
const flag = (args: string[], name: string) =>
  args.find((a) => a.startsWith(`${name}=`))?.slice(name.length + 1);

/** Every value under a key that names where to listen, with its path. */
function listenValues(node: unknown, path = ''): [string, unknown][] {
  if (node === null || typeof node !== 'object') return [];
  return Object.entries(node).flatMap(([key, value]) => {
    const here = path ? `${path}.${key}` : key;
    const own: [string, unknown][] =
      /(^|_)(endpoint|listen_address|bind_addr|address)$/.test(key) && typeof value !== 'object'
        ? [[here, value]]
        : [];
    return [...own, ...listenValues(value, here)];
  });
}

const loopbackHost = (value: unknown) => /^127\.0\.0\.1(:\d+)?$/.test(String(value));

describe('Loki', () => {
  const native = parse(nativeFile('loki', 'loki.yaml')) as {
    server: Record<string, unknown>;
    memberlist?: unknown;
  };

  it('declares an address on loopback for every port it listens on, gRPC included', () => {
    const ports = Object.keys(native.server).filter((k) => k.endsWith('_listen_port'));
    expect(ports.sort()).toEqual(['grpc_listen_port', 'http_listen_port']);
    for (const port of ports)
      expect(native.server[port.replace('_port', '_address')], port).toBe('127.0.0.1');
    expect(native.memberlist).toBeUndefined();
    expect(listenValues(native).filter(([, v]) => !loopbackHost(v))).toEqual([]);
  });

  it('keeps gRPC on loopback in a container too, where only HTTP is published', async () => {
    const container = parse(await containerFile('loki', '/etc/loki/loki.yaml')) as {
      server: Record<string, unknown>;
    };
    expect(container.server.grpc_listen_address).toBe('127.0.0.1');
  });

  it('is started with nothing on its command line that listens elsewhere', () => {
    expect(args('loki')).toEqual(['-config.file=/run/loki/loki.yaml']);
  });
});

describe('Jaeger', () => {
  const native = parse(nativeFile('jaeger', 'jaeger.yaml')) as {
    service: { extensions: string[]; telemetry: { metrics: { level: string } } };
  };

  it('declares every listener of every extension and receiver it runs, each on loopback', () => {
    const endpoints = listenValues(native);
    expect(endpoints.map(([path]) => path).sort()).toEqual([
      'extensions.healthcheckv2.http.endpoint',
      'extensions.jaeger_query.grpc.endpoint',
      'extensions.jaeger_query.http.endpoint',
      'receivers.otlp.protocols.grpc.endpoint',
      'receivers.otlp.protocols.http.endpoint',
    ]);
    expect(endpoints.filter(([, v]) => !loopbackHost(v))).toEqual([]);
    expect(native.service.extensions.sort()).toEqual(['healthcheckv2', 'jaeger_query', 'jaeger_storage']);
  });

  it('runs no metrics server of its own (8888, on every interface in some versions)', () => {
    expect(native.service.telemetry.metrics.level).toBe('none');
  });

  it('checks every port it listens on before it starts', () => {
    const declared = listenValues(native).map(([, v]) => Number(String(v).split(':')[1]));
    expect(Object.values(ctx('jaeger').ports).sort()).toEqual(declared.sort());
  });

  it('keeps its query gRPC API on loopback in a container too', async () => {
    const container = await containerFile('jaeger', '/etc/jaeger/jaeger.yaml');
    expect(
      listenValues(parse(container)).filter(([, v]) => !/^(0\.0\.0\.0|127\.0\.0\.1):/.test(String(v))),
    ).toEqual([]);
    expect(container).toContain('endpoint: 127.0.0.1:16685');
  });
});

describe('Prometheus, Alertmanager and Grafana', () => {
  it('Prometheus listens on 127.0.0.1', () => {
    expect(flag(args('prometheus'), '--web.listen-address')).toBe('127.0.0.1:9090');
  });

  it('Alertmanager listens on 127.0.0.1 and opens no cluster listener', () => {
    expect(flag(args('alertmanager'), '--web.listen-address')).toBe('127.0.0.1:9093');
    expect(flag(args('alertmanager'), '--cluster.listen-address')).toBe('');
  });

  it('Grafana listens on 127.0.0.1', () => {
    expect(spec('grafana').native.env?.(ctx('grafana')).GF_SERVER_HTTP_ADDR).toBe('127.0.0.1');
  });
});
