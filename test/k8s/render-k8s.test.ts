import { mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { runInNewContext } from 'node:vm';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { Model } from '@kubernetes-models/base';
import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import { ServiceMonitor } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/ServiceMonitor';
import { StatefulSet } from 'kubernetes-models/apps/v1/StatefulSet';
import { ConfigMap } from 'kubernetes-models/v1/ConfigMap';
import { Service } from 'kubernetes-models/v1/Service';
import { parse, parseAllDocuments } from 'yaml';
import { afterAll, describe, expect, it } from 'vitest';
import { defaultK8sOptions, type K8sOptions } from '../../sandbox/k8s/k8s-options.js';
import { loadK8sSources, type K8sSources } from '../../sandbox/k8s/k8s-sources.js';
import { renderK8s } from '../../sandbox/k8s/render-k8s.js';
import { extractPrometheusRules } from '../../sandbox/rules/prometheus-rule-resource.js';
import { SystemCatalogue } from '../../sandbox/systems/system-catalogue.js';
import { readTokenFile } from '../../sandbox/generate-control/token-file.js';
import { parseProjectFile } from '../../sandbox/systems/project-file.js';

/** The schema of each kind the manifests may hold: Kubernetes' own and prometheus-operator's. */
const MODELS: Record<string, new (data: never) => Model<unknown>> = {
  'apps/v1/StatefulSet': StatefulSet,
  'v1/Service': Service,
  'v1/ConfigMap': ConfigMap,
  'monitoring.coreos.com/v1/PrometheusRule': PrometheusRule,
  'monitoring.coreos.com/v1/ServiceMonitor': ServiceMonitor,
};

interface K8sObject {
  apiVersion: string;
  kind: string;
  metadata: { name: string; namespace?: string; labels?: Record<string, string> };
  spec?: Record<string, unknown>;
  data?: Record<string, string>;
}

function objectsOf(files: Record<string, string>): K8sObject[] {
  const { resources } = parse(files['kustomization.yaml']!) as { resources: string[] };
  return resources.flatMap((file) =>
    parseAllDocuments(files[file]!).map((doc) => {
      expect(doc.errors, file).toEqual([]);
      return doc.toJS() as K8sObject;
    }),
  );
}

function byKind(objects: K8sObject[], kind: string): K8sObject[] {
  return objects.filter((o) => o.kind === kind);
}

/** The pod template's single container. */
function containerOf(objects: K8sObject[]) {
  const [set] = byKind(objects, 'StatefulSet');
  const spec = set!.spec as {
    replicas: number;
    template: {
      spec: {
        securityContext: Record<string, unknown>;
        containers: Record<string, unknown>[];
        initContainers?: Record<string, unknown>[];
        volumes: Record<string, unknown>[];
      };
    };
  };
  return { replicas: spec.replicas, pod: spec.template.spec, container: spec.template.spec.containers[0]! };
}

/** The NODE_OPTIONS a generator container is given. */
const nodeOptionsOf = (container: Record<string, unknown>) =>
  (container.env as { name: string; value?: string }[]).find((e) => e.name === 'NODE_OPTIONS')?.value;

/** Every rule group of the rule files, in order, as Prometheus reads them. */
function groupsOf(ruleFiles: readonly string[]): unknown[] {
  return ruleFiles.flatMap((f) => (parse(readFileSync(f, 'utf8')) as { groups: unknown[] }).groups);
}

const REMOTE: K8sOptions = {
  ...defaultK8sOptions(),
  replicas: 4,
  scale: 100,
  remoteWrite: 'http://mimir-nginx.mimir.svc/api/v1/push',
  tenant: 'team-a',
  loki: 'http://loki-gateway.loki.svc',
  lokiTenant: 'logs-a',
  otlp: 'http://tempo.tempo.svc:4318',
  namespace: 'load-test',
  release: 'prom',
};

describe('sandbox k8s manifests', async () => {
  const sources = await loadK8sSources();
  const scrape = await renderK8s(defaultK8sOptions(), sources);
  const remote = await renderK8s(REMOTE, sources);

  it('k8s/ is exactly what the code renders (run `sandbox k8s` after changing the catalogue)', () => {
    const checkedIn = Object.fromEntries(
      readdirSync('k8s').map((f) => [f, readFileSync(join('k8s', f), 'utf8')]),
    );
    expect(Object.keys(checkedIn).sort()).toEqual(Object.keys(scrape).sort());
    for (const [path, content] of Object.entries(scrape)) expect(checkedIn[path], path).toBe(content);
  });

  it.each([
    ['scrape mode', scrape],
    ['remote-write mode', remote],
  ])('%s: kustomization.yaml lists every manifest, and nothing else', (_, files) => {
    const { resources, namespace } = parse(files['kustomization.yaml']!) as {
      resources: string[];
      namespace: string;
    };
    const manifests = Object.keys(files).filter((f) => f.endsWith('.yaml') && f !== 'kustomization.yaml');
    expect([...resources].sort()).toEqual(manifests.sort());
    expect(namespace).toBe(files === scrape ? 'obs-sandbox' : 'load-test');
    expect(Object.keys(files).sort()).toEqual([...manifests, 'Dockerfile', 'kustomization.yaml'].sort());
  });

  it.each([
    ['scrape mode', scrape],
    ['remote-write mode', remote],
  ])('%s: every object validates against its Kubernetes or prometheus-operator schema', (_, files) => {
    const objects = objectsOf(files);
    expect(objects.length).toBeGreaterThan(4);
    for (const object of objects) {
      const Model = MODELS[`${object.apiVersion}/${object.kind}`];
      expect(Model, `${object.apiVersion} ${object.kind}`).toBeDefined();
      expect(() => new Model!(object as never).validate(), object.metadata.name).not.toThrow();
    }
  });

  it('the schema check can fail: a string for replicas is refused', () => {
    const [set] = byKind(objectsOf(scrape), 'StatefulSet');
    const broken = { ...set!, spec: { ...set!.spec, replicas: 'four' } };
    expect(() => new StatefulSet(broken as never).validate()).toThrow(/replicas must be integer/);
  });

  it('the PrometheusRules read back as the loaded rules, labelled with the release', () => {
    const rules = byKind(objectsOf(remote), 'PrometheusRule');
    expect(rules.length).toBe(sources.ruleFiles.length);
    const extracted = extractPrometheusRules('prometheusrule.yaml', remote['prometheusrule.yaml']!);
    expect((parse(extracted!) as { groups: unknown[] }).groups).toEqual(groupsOf(sources.ruleFiles));
    for (const rule of rules) expect(rule.metadata.labels?.release).toBe('prom');
  });

  it('scrape mode: a ServiceMonitor scrapes every target port of every pod under its job name', () => {
    const objects = objectsOf(scrape);
    const [monitor] = byKind(objects, 'ServiceMonitor');
    const endpoints = monitor!.spec!.endpoints as { port: string; relabelings: { replacement: string }[] }[];
    expect(endpoints.map((e) => e.relabelings[0]!.replacement)).toEqual(sources.jobs);
    expect(monitor!.metadata.labels?.release).toBe('kube-prometheus-stack');
    const [service] = byKind(objects, 'Service');
    const ports = (service!.spec!.ports as { name: string }[]).map((p) => p.name);
    // Every port but the control API's, which answers the token only.
    expect([...endpoints.map((e) => e.port), 'control']).toEqual(ports);
    expect((service!.spec!.selector as object)).toEqual(
      (monitor!.spec!.selector as { matchLabels: object }).matchLabels,
    );
    const { container } = containerOf(objects);
    expect(container.args).toEqual(expect.arrayContaining(['--bind', '0.0.0.0', '--allow-remote']));
    expect(container.args).not.toContain('--shard');
    expect(container.args).not.toContain('--scale');
  });

  it('remote-write mode: pod i of 4 runs shard i/4 of --scale 100, pushes, serves no scrape target, reads its endpoints from the ConfigMap', () => {
    const objects = objectsOf(remote);
    expect(byKind(objects, 'ServiceMonitor')).toEqual([]);
    const { replicas, container } = containerOf(objects);
    expect(replicas).toBe(4);
    const args = container.args as string[];
    expect(args.slice(args.indexOf('--scale'), args.indexOf('--shard') + 2)).toEqual([
      '--scale',
      '100',
      '--shard',
      '$(POD_INDEX)/4',
    ]);
    expect(args).toEqual(
      expect.arrayContaining(['--remote-write', '$(REMOTE_WRITE_URL)', '--no-scrape', '--loki', '$(LOKI_URL)']),
    );
    expect(args.join(' ')).toMatch(/--remote-write-tenant \$\(REMOTE_WRITE_TENANT\)/);
    expect(args.join(' ')).toMatch(/--loki-tenant \$\(LOKI_TENANT\)/);
    const env = container.env as { name: string; valueFrom: Record<string, { fieldPath?: string }> }[];
    expect(env[0]).toEqual({
      name: 'POD_INDEX',
      valueFrom: { fieldRef: { fieldPath: "metadata.labels['apps.kubernetes.io/pod-index']" } },
    });
    const settings = byKind(objects, 'ConfigMap').find((c) => c.metadata.name === 'obs-sandbox-generators')!;
    expect(settings.data).toMatchObject({
      REMOTE_WRITE_URL: REMOTE.remoteWrite,
      REMOTE_WRITE_TENANT: 'team-a',
      LOKI_URL: REMOTE.loki,
      LOKI_TENANT: 'logs-a',
      OTLP_URL: REMOTE.otlp,
    });
    for (const { name } of env.slice(1, -1)) expect(settings.data, name).toHaveProperty(name);
    expect(parse(settings.data!['obs-sandbox.yaml']!)).toEqual({ systems: sources.systems });
    for (const object of objects) expect(object.metadata.namespace).toBe('load-test');
  });

  it('the generators run non-root on a read-only root filesystem, without privilege escalation, within limits', () => {
    const { pod, container } = containerOf(objectsOf(scrape));
    expect(pod.securityContext).toMatchObject({ runAsNonRoot: true, seccompProfile: { type: 'RuntimeDefault' } });
    expect(container.securityContext).toEqual({
      allowPrivilegeEscalation: false,
      readOnlyRootFilesystem: true,
      capabilities: { drop: ['ALL'] },
    });
    const resources = container.resources as { requests: object; limits: object };
    expect(Object.keys(resources.requests).sort()).toEqual(['cpu', 'memory']);
    expect(Object.keys(resources.limits).sort()).toEqual(['cpu', 'memory']);
    // V8's heap is capped below the memory limit, leaving room for what is not heap.
    const [, size, unit] = /^(\d+)(Mi|Gi)$/.exec((resources.limits as { memory: string }).memory)!;
    const limitMib = Number(size) * (unit === 'Gi' ? 1024 : 1);
    const heapMib = Number(/--max-old-space-size=(\d+)/.exec(nodeOptionsOf(container) ?? "")![1]);
    expect(heapMib).toBeGreaterThanOrEqual(512);
    expect(heapMib).toBeLessThanOrEqual(limitMib - 128);
    const { container: shard } = containerOf(objectsOf(remote));
    expect(nodeOptionsOf(shard)).toBe(nodeOptionsOf(container));
    expect(container.image).toBe(`obs-sandbox:${defaultK8sOptions().image.split(':')[1]}`);
    expect(scrape.Dockerfile).toContain(`obs-sandbox-${defaultK8sOptions().image.split(':')[1]}.tgz`);
    expect(scrape.Dockerfile).toMatch(/^USER node$/m);
  });

  it.each([
    ['scrape mode', scrape],
    ['remote-write mode', remote],
  ])("%s: each pod's control API on 9469, in the headless Service, its token a 0600 copy of the Secret's", async (_, files) => {
    const objects = objectsOf(files);
    const { pod, container } = containerOf(objects);
    const args = (container.args as string[]).join(' ');
    expect(args).toContain('--control-port 9469 --control-token-file /run/obs-sandbox/control-token');
    expect(args).toContain('--bind 0.0.0.0 --allow-remote');
    expect(container.ports).toContainEqual({ name: 'control', containerPort: 9469, protocol: 'TCP' });
    const [service] = byKind(objects, 'Service');
    expect(service!.spec).toMatchObject({ clusterIP: 'None' });
    expect(service!.spec!.ports).toContainEqual({ name: 'control', port: 9469, targetPort: 'control', protocol: 'TCP' });
    const [set] = byKind(objects, 'StatefulSet');
    expect((set!.spec as { serviceName: string }).serviceName).toBe(service!.metadata.name);
    const volumes = pod.volumes as { name: string; secret?: { secretName: string; defaultMode: number } }[];
    expect(volumes.find((v) => v.secret)?.secret).toMatchObject({
      secretName: 'obs-sandbox-generators-control',
      defaultMode: 0o440,
    });
    // Kubernetes takes the mode as a decimal int32; the octal is a comment for the reader.
    expect(files['statefulset.yaml']).toContain('defaultMode: 288 # 0440\n');
    expect(pod.securityContext).toMatchObject({ runAsUser: 1000, fsGroup: 1000 });
    // The init container's script, run on this machine with its paths moved: generate takes the file it makes.
    const [init] = pod.initContainers as { command: string[]; securityContext: unknown }[];
    expect(init!.securityContext).toEqual(container.securityContext);
    const secretDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-k8s-secret-'));
    const tokenDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-k8s-token-'));
    try {
      writeFileSync(join(secretDir, 'token'), 'c0ntrol-t0ken\n', { mode: 0o440 });
      const script = init!.command[2]!
        .replaceAll('/etc/obs-sandbox/control', secretDir)
        .replaceAll('/run/obs-sandbox', tokenDir);
      expect(init!.command.slice(0, 2)).toEqual(['node', '-e']);
      runInNewContext(script, { require: createRequire(import.meta.url) });
      const copied = join(tokenDir, 'control-token');
      expect(statSync(copied).mode & 0o777).toBe(0o600);
      expect(await readTokenFile(copied, '--control-token-file')).toBe('c0ntrol-t0ken');
      await expect(readTokenFile(join(secretDir, 'token'), '--control-token-file')).rejects.toThrow(/chmod 600/);
    } finally {
      rmSync(secretDir, { recursive: true, force: true });
      rmSync(tokenDir, { recursive: true, force: true });
    }
  });

  it('--no-control: no control API, no Secret, no init container; remote-write pods then listen on loopback only', async () => {
    const objects = objectsOf(await renderK8s({ ...REMOTE, controlPort: undefined }, sources));
    const { pod, container } = containerOf(objects);
    expect(container.args).not.toContain('--control-port');
    expect(container.args).not.toContain('--bind');
    expect(pod.initContainers).toBeUndefined();
    expect(JSON.stringify(objects)).not.toContain('obs-sandbox-generators-control');
    expect(pod.securityContext).not.toHaveProperty('fsGroup');
  });

  it("every dashboard is a ConfigMap with the label kube-prometheus-stack's Grafana sidecar watches", () => {
    const dashboards = byKind(objectsOf(scrape), 'ConfigMap').filter((c) => c.metadata.name !== 'obs-sandbox-generators');
    expect(dashboards.length).toBe(Object.keys(sources.dashboards).length);
    for (const map of dashboards) {
      expect(map.metadata.labels?.grafana_dashboard).toBe('1');
      const [[file, json]] = Object.entries(map.data!) as [[string, string]];
      expect(json).toBe(sources.dashboards[file]);
      expect((JSON.parse(json) as { title: string }).title).toBeTruthy();
    }
  });
});

describe('sandbox k8s with a project file', () => {
  const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-k8s-'));
  afterAll(() => rmSync(dir, { recursive: true, force: true }));

  it("carries the project's own rules (as given, PrometheusRule resources too) and leaves out the bundled ones", async () => {
    writeFileSync(
      join(dir, 'team.yaml'),
      'groups:\n  - name: team\n    rules:\n      - alert: TeamDown\n        expr: up == 0\n        for: 5m\n',
    );
    writeFileSync(
      join(dir, 'resource.yaml'),
      'apiVersion: monitoring.coreos.com/v1\nkind: PrometheusRule\nmetadata:\n  name: x\nspec:\n  groups:\n    - name: res\n      rules:\n        - record: job:up:sum\n          expr: sum by (job) (up)\n',
    );
    const projectFile = join(dir, 'obs-sandbox.yaml');
    const project = parseProjectFile(projectFile, 'rules: [team.yaml, resource.yaml]\nbundled_rules: false\nseed: 7\n');
    const sources: K8sSources = await loadK8sSources(SystemCatalogue.defaults(), project);
    const files = await renderK8s(defaultK8sOptions(), sources);
    const extracted = extractPrometheusRules('prometheusrule.yaml', files['prometheusrule.yaml']!);
    expect((parse(extracted!) as { groups: { name: string }[] }).groups.map((g) => g.name)).toEqual([
      'team',
      'res',
    ]);
    const names = byKind(objectsOf(files), 'PrometheusRule').map((r) => r.metadata.name);
    expect(names).toEqual(['obs-sandbox-rules-team', 'obs-sandbox-rules-resource']);
    const settings = byKind(objectsOf(files), 'ConfigMap')[0]!;
    expect(parse(settings.data!['obs-sandbox.yaml']!)).toEqual({ systems: ['vaultmesh', 'zkp'], seed: 7 });
  });
});
