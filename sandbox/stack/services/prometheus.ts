import { join } from 'node:path';
import { directoryArchive } from '../docker/directory-archive.js';
import { imageUser } from '../docker/image-user.js';
import type { StackRuleFile } from '../../rules/stack-rules.js';
import { prometheusConfig } from '../configs/prometheus-config.js';
import { defineService, type ServiceHandle } from './service-module.js';

const CONTAINER_DATA = '/tmp/prometheus';

/** The flags every runtime starts Prometheus with, after where its configuration and data are. */
const flags = (config: string, data: string) => [
  `--config.file=${config}`,
  `--storage.tsdb.path=${data}`,
  '--storage.tsdb.retention.time=1d',
  // Alerts that fire at once (history, for: 0m) may beat Alertmanager's discovery: resend them soon.
  '--rules.alert.resend-delay=10s',
];

const rules = (files: readonly { name: string; content: string }[]) =>
  Object.fromEntries(files.map((f) => [`rules/${f.name}`, f.content]));

export const prometheus = defineService({
  name: 'prometheus',
  title: 'Prometheus',
  image: 'prom/prometheus:v3.5.0',
  ports: { http: 9090 },
  required: true,
  scraped: true,
  datasource: (addresses) => ({
    name: 'Prometheus',
    type: 'prometheus',
    uid: 'prometheus',
    access: 'proxy',
    url: `http://${addresses.service('prometheus')}`,
    isDefault: true,
    jsonData: { httpMethod: 'POST', timeInterval: '15s' },
    editable: false,
  }),
  native: {
    binary: 'prometheus',
    // Written once the services before it run: its scrape jobs name those. The rule files are withheld: the
    // sandbox writes them after the first scrapes (rules-after-first-scrape.ts).
    lateFiles: async (ctx) => ({
      'prometheus.yml': prometheusConfig({
        addresses: ctx.addresses,
        ruleFiles: ctx.settings.ruleFiles.map((f) => join(ctx.root, 'rules', f.name)),
        scrapeInterval: ctx.settings.interval,
        evaluationInterval: ctx.settings.interval,
        selfScrape: await ctx.scrapeJobs(),
      }),
    }),
    args: (ctx) => [
      ...flags(join(ctx.root, 'prometheus.yml'), join(ctx.root, 'data')),
      `--web.listen-address=127.0.0.1:${ctx.ports.http}`,
    ],
    health: { port: 'http', path: '/-/ready' },
  },
  container: {
    root: '/etc/prometheus',
    publish: ['http'],
    // The rule files are withheld, as in the native runtime.
    files: async (ctx) => ({
      '/etc/prometheus/prometheus.yml': prometheusConfig({
        addresses: ctx.addresses,
        ruleFiles: ctx.settings.ruleFiles.map((r) => `/etc/prometheus/rules/${r.name}`),
        scrapeInterval: ctx.settings.interval,
        evaluationInterval: ctx.settings.interval,
        selfScrape: await ctx.scrapeJobs(),
      }),
    }),
    // The history blocks, owned by the user the image runs as (the official one: nobody).
    archives: async ({ settings, image }) => {
      if (!settings.historyBlocks) return [];
      const owner = await imageUser(image);
      if (!owner) {
        settings.onMessage?.(`history not loaded: cannot tell which user ${image} runs as`);
        return [];
      }
      // Extracted at the root: the archive creates the data directory itself, owned by that user.
      return [{ tar: directoryArchive(settings.historyBlocks, CONTAINER_DATA.slice(1), owner), target: '/' }];
    },
    command: flags('/etc/prometheus/prometheus.yml', CONTAINER_DATA),
    health: { port: 'http', path: '/-/ready' },
  },
  compose: (ctx) => ({
    command: flags('/etc/prometheus/prometheus.yml', '/prometheus'),
    volumes: ['./config/prometheus:/etc/prometheus:ro'],
    publish: ['http'],
    files: {
      'config/prometheus/prometheus.yml': prometheusConfig({
        addresses: ctx.addresses,
        ruleFiles: ctx.ruleFiles.map((f) => `/etc/prometheus/rules/${f.name}`),
        selfScrape: ctx.scrapeJobs,
      }),
    },
    copies: Object.fromEntries(ctx.ruleFiles.map((f) => [`config/prometheus/rules/${f.name}`, f.content])),
  }),
});

/** A running Prometheus, in either runtime. */
export class StartedPrometheus {
  constructor(private readonly handle: ServiceHandle) {}

  url(): string {
    return this.handle.url();
  }

  /** Replaces the rule files it loads (same names) and has it reload them (SIGHUP). */
  async reloadRules(files: readonly StackRuleFile[]): Promise<void> {
    await this.handle.writeFiles(rules(files));
    await this.handle.signal('SIGHUP');
  }
}
