import type { Command } from 'commander';
import { UserError } from '../../generators/user-error.js';
import type { PushHeadersConfig } from '../../generators/outputs/push-headers.js';
import type { PushTlsConfig } from '../../generators/outputs/push-tls.js';
import { parseHeader } from './options.js';

/** The camel-cased option keys of one push output: `loki`, `lokiHeader`, `lokiCa`, ... */
export type PushFlags<K extends string> = Partial<
  Record<
    | K
    | `${K}Tenant`
    | `${K}User`
    | `${K}PasswordFile`
    | `${K}BearerTokenFile`
    | `${K}Ca`
    | `${K}Cert`
    | `${K}Key`,
    string
  >
> &
  Partial<Record<`${K}Header`, Record<string, string>>> &
  Partial<Record<`${K}InsecureSkipVerify`, boolean>>;

/** How one push output is named: its option key, its flags' prefix, what receives its pushes. */
export interface PushOutputNames<K extends string> {
  /** The URL option's key as commander camel-cases it: `remoteWrite`. */
  key: K;
  /** The flags' common prefix: `--remote-write`. */
  flag: string;
  /** What receives the pushes, in the tenant's help: `Mimir/Cortex`. */
  receiver: string;
  /** What the URL is, in the refusal of a flag given without it: `the receiver's URL`. */
  urlName: string;
  /** Environment variable read for the basic-auth password when no password file is given. */
  passwordEnv: string;
}

/** Each setting: its option key's suffix, its field in the config, its flag's suffix. */
const SETTINGS = [
  ['Header', 'headers', '-header'],
  ['Tenant', 'tenant', '-tenant'],
  ['User', 'user', '-user'],
  ['PasswordFile', 'passwordFile', '-password-file'],
  ['BearerTokenFile', 'bearerTokenFile', '-bearer-token-file'],
  ['Ca', 'caFile', '-ca'],
  ['Cert', 'certFile', '-cert'],
  ['Key', 'keyFile', '-key'],
  ['InsecureSkipVerify', 'insecureSkipVerify', '-insecure-skip-verify'],
] as const;

/** The header, tenant and auth flags of one push output: `${flag}-header` and so on. */
export function withPushHeaderOptions<K extends string>(
  command: Command,
  names: PushOutputNames<K>,
): Command {
  const { flag } = names;
  return command
    .option(`${flag}-header <name=value>`, 'add this HTTP header to every push (repeatable)', parseHeader)
    .option(`${flag}-tenant <id>`, `tenant for ${names.receiver} (the X-Scope-OrgID header)`)
    .option(
      `${flag}-user <name>`,
      `basic auth user; the password comes from ${flag}-password-file or ${names.passwordEnv}`,
    )
    .option(`${flag}-password-file <path>`, 'basic auth password (a file of mode 0600)')
    .option(`${flag}-bearer-token-file <path>`, 'bearer token (a file of mode 0600)');
}

/** The TLS flags of one push output, for an https receiver: `${flag}-ca` and so on. */
export function withPushTlsOptions<K extends string>(command: Command, names: PushOutputNames<K>): Command {
  const { flag } = names;
  return command
    .option(`${flag}-ca <path>`, "PEM CA certificates the receiver's certificate must chain to")
    .option(`${flag}-cert <path>`, `client certificate (PEM) for mutual TLS, with ${flag}-key`)
    .option(`${flag}-key <path>`, "the client certificate's key (PEM, a file of mode 0600)")
    .option(`${flag}-insecure-skip-verify`, "do not verify the receiver's TLS certificate");
}

/**
 * The URL and settings of one push output as the user gave them (files not yet read); undefined without its
 * URL, when every other flag of it is refused (it would be ignored).
 */
export function pushConfigOf<K extends string>(
  flags: PushFlags<K>,
  names: PushOutputNames<K>,
): (PushHeadersConfig & PushTlsConfig & { url: string }) | undefined {
  const given = flags as Record<string, unknown>;
  const config: Record<string, unknown> = {};
  for (const [suffix, field] of SETTINGS) config[field] = given[`${names.key}${suffix}`];
  const url = given[names.key] as string | undefined;
  if (url !== undefined) return { ...(config as PushHeadersConfig & PushTlsConfig), url };
  const first = SETTINGS.find(([, field]) => config[field] !== undefined);
  if (first)
    throw new UserError(`${names.flag}${first[2]} needs ${names.flag} URL: give ${names.urlName} too`);
  return undefined;
}
