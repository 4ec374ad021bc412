import { readFile } from 'node:fs/promises';
import { displayUrlText } from '../../../../generators/outputs/display-url.js';
import { MISSING_SECRET_FILE } from '../../../../generators/outputs/push-headers.js';
import { UserError } from '../../../../generators/user-error.js';
import { readTokenFile } from '../../../generate-control/token-file.js';
import type { ApiEndpoint } from '../api-endpoint.js';
import { GeneratorClient } from './generator-client.js';

/** `sandbox replay --mode live --prometheus ...`: the environment's flags as given. */
export interface EnvironmentFlags {
  prometheus: string;
  alertmanager?: string;
  prometheusHeader: readonly string[];
  alertmanagerHeader: readonly string[];
  prometheusAuth?: string;
  alertmanagerAuth?: string;
  tenant?: string;
  generators?: string;
  generatorsTokenFile?: string;
}

export interface Environment {
  prometheus: ApiEndpoint;
  alertmanager?: ApiEndpoint;
  generators: GeneratorClient[];
}

const HEADER_NAME = /^[!#$%&'*+.^_`|~0-9A-Za-z-]+$/;

function headers(flag: string, specs: readonly string[]): Record<string, string> {
  const result: Record<string, string> = {};
  for (const spec of specs) {
    const eq = spec.indexOf('=');
    const name = spec.slice(0, Math.max(eq, 0)).trim();
    if (eq < 1 || !HEADER_NAME.test(name))
      // What was typed is not shown: it may be a token without its header name.
      throw new UserError(`${flag}: expected NAME=VALUE, e.g. ${flag} X-Scope-OrgID=team-a`);
    result[name] = spec.slice(eq + 1);
  }
  return result;
}

const AUTH = /^(bearer|basic)-(file|env):(.+)$/;

/**
 * The Authorization header of `--prometheus-auth bearer-file:PATH` (or bearer-env:VAR, basic-file:PATH,
 * basic-env:VAR, basic's secret being `user:password`): from a file or a variable, never from the command line.
 */
async function authorization(flag: string, spec: string | undefined): Promise<Record<string, string>> {
  if (spec === undefined) return {};
  const m = AUTH.exec(spec);
  if (!m) {
    // What was typed is not shown: it may be the token itself.
    throw new UserError(
      `${flag}: expected bearer-file:PATH, bearer-env:VAR, basic-file:PATH or basic-env:VAR (basic: "user:password"), never the secret itself`,
    );
  }
  const [, kind, from, source] = m as unknown as [string, 'bearer' | 'basic', 'file' | 'env', string];
  const secret =
    from === 'env'
      ? process.env[source]?.trim()
      : (
          await readFile(source, 'utf8').catch((error: NodeJS.ErrnoException) => {
            throw new UserError(
              error.code === 'ENOENT'
                ? `${flag}: ${MISSING_SECRET_FILE}`
                : `${flag}: cannot read ${source}; give a readable file holding the secret`,
            );
          })
        ).trim();
  if (!secret)
    throw new UserError(`${flag}: ${from === 'env' ? `$${source} is unset or empty` : `${source} is empty`}`);
  if (kind === 'basic' && !secret.includes(':'))
    throw new UserError(
      `${flag}: basic auth needs "user:password" in ${from === 'env' ? `$${source}` : source}`,
    );
  return {
    authorization: kind === 'bearer' ? `Bearer ${secret}` : `Basic ${Buffer.from(secret).toString('base64')}`,
  };
}

function plainUrl(flag: string, url: string, authFlag = `${flag}-auth`): string {
  const parsed = new URL(url);
  if (parsed.username || parsed.password)
    throw new UserError(
      `${flag} ${parsed.host}: the URL holds credentials; pass them with ${authFlag} instead`,
    );
  return url;
}

/** The endpoints and generators the flags name, with their headers (tenant, auth) and tokens read. */
export async function environmentOf(flags: EnvironmentFlags): Promise<Environment> {
  if (!flags.alertmanager && (flags.alertmanagerAuth !== undefined || flags.alertmanagerHeader.length > 0))
    throw new UserError('--alertmanager-auth and --alertmanager-header need --alertmanager URL');
  const tenant: Record<string, string> = flags.tenant !== undefined ? { 'X-Scope-OrgID': flags.tenant } : {};
  const prometheus = {
    url: plainUrl('--prometheus', flags.prometheus),
    headers: {
      ...tenant,
      ...headers('--prometheus-header', flags.prometheusHeader),
      ...(await authorization('--prometheus-auth', flags.prometheusAuth)),
    },
  };
  const alertmanager = flags.alertmanager && {
    url: plainUrl('--alertmanager', flags.alertmanager),
    headers: {
      ...tenant,
      ...headers('--alertmanager-header', flags.alertmanagerHeader),
      ...(await authorization('--alertmanager-auth', flags.alertmanagerAuth)),
    },
  };
  const urls = (flags.generators ?? '').split(',').filter((u) => u.trim() !== '');
  if (urls.length > 0 && flags.generatorsTokenFile === undefined)
    throw new UserError(
      '--generators needs --generators-token-file FILE (the token their --control-token-file holds)',
    );
  for (const url of urls) {
    if (!/^https?:\/\/[^/]/.test(url) || !URL.canParse(url))
      throw new UserError(
        `--generators: ${displayUrlText(url) ?? 'one'} is not an http(s) URL, e.g. http://127.0.0.1:9480`,
      );
    plainUrl('--generators', url, '--generators-token-file');
  }
  const token =
    urls.length > 0 ? await readTokenFile(flags.generatorsTokenFile!, '--generators-token-file') : '';
  return {
    prometheus,
    ...(alertmanager ? { alertmanager } : {}),
    generators: urls.map((url) => new GeneratorClient(url.trim(), token)),
  };
}
