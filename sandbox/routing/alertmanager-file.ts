import { execFile } from 'node:child_process';
import { readUserFile } from '../../generators/model/user-file.js';
import { resolve } from 'node:path';
import { promisify } from 'node:util';
import { UserError } from '../../generators/user-error.js';
import { findAmtool } from '../binaries/amtool.js';
import { YamlSource, fieldPath } from '../scenario/source-map.js';

const execFileAsync = promisify(execFile);

/** A user's Alertmanager configuration, checked by the real `amtool check-config`. */
export interface AlertmanagerFile {
  file: string;
  config: Record<string, unknown>;
  /** Receiver names, as the file declares them. */
  receivers: string[];
}

const isObject = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);

/** Reads an Alertmanager configuration; errors are `file:line:col: field: what is wrong`. */
export async function loadAlertmanagerFile(file: string, amtool: string): Promise<AlertmanagerFile> {
  const path = resolve(file);
  const text = await readUserFile(path, 'Alertmanager configuration');
  const parsed = YamlSource.parse(file, text);
  if ('error' in parsed) throw new UserError(parsed.error);
  const { source } = parsed;
  const config = source.toJS();
  const fail = (at: PropertyKey[], message: string): never => {
    throw new UserError(`${source.position(at)}: ${fieldPath(at) || '(top)'}: ${message}`);
  };
  if (!isObject(config))
    return fail([], 'an Alertmanager configuration is a mapping with route and receivers');
  if (!isObject(config.route)) fail([], 'needs a route (the routing tree)');
  if (!Array.isArray(config.receivers) || config.receivers.length === 0) fail([], 'needs receivers');
  const receivers = (config.receivers as unknown[]).map((r, i) =>
    isObject(r) && typeof r.name === 'string' ? r.name : fail(['receivers', i], 'a receiver needs a name'),
  );
  await checkConfig(amtool, file, path);
  return {
    file,
    config,
    receivers,
  };
}

/** Runs `amtool check-config`; its one-line reason becomes the error (with the line when it names one). */
async function checkConfig(amtool: string, file: string, path: string): Promise<void> {
  try {
    await execFileAsync(amtool, ['check-config', path], { timeout: 30_000 });
  } catch (error) {
    const output = `${(error as { stdout?: string }).stdout ?? ''}`;
    const reason = /FAILED:\s*(.*)/.exec(output)?.[1]?.trim() ?? (error as Error).message.split('\n')[0];
    const line = /\byaml: line (\d+):/.exec(reason ?? '')?.[1];
    throw new UserError(`${file}${line ? `:${line}:1` : ''}: amtool check-config: ${reason}`);
  }
}

/**
 * The configuration Alertmanager runs in the sandbox: the user's routes, inhibit rules and time intervals,
 * with every receiver replaced by the sandbox's webhook under the same name (so nothing is really paged).
 */
export function withWebhookReceivers(user: AlertmanagerFile, webhookUrl: string): Record<string, unknown> {
  const { global, templates: _templates, receivers: _receivers, ...rest } = user.config;
  const resolveTimeout = isObject(global) ? global.resolve_timeout : undefined;
  return {
    ...(resolveTimeout !== undefined ? { global: { resolve_timeout: resolveTimeout } } : {}),
    ...rest,
    receivers: user.receivers.map((name) => ({
      name,
      webhook_configs: [{ url: `${webhookUrl}/${encodeURIComponent(name)}`, send_resolved: true }],
    })),
  };
}

/** The Alertmanager configuration given to a command (--alertmanager-config or the project file's), checked. */
export async function commandAlertmanager(file: string | undefined): Promise<AlertmanagerFile | undefined> {
  return file === undefined ? undefined : loadAlertmanagerFile(file, (await findAmtool()).path);
}
