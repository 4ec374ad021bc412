import { UserError } from '../../generators/user-error.js';
import { WebhookReceiver, type Notification } from '../stack/webhook-receiver.js';
import { secretToken, type SecretToken } from './token-file.js';

export interface GeneratorWebhook {
  /**
   * Where Alertmanager posts, without the secret: `http://HOST:PORT/alertmanager/<token>/<receiver>`, with
   * `<token>` the content of `tokenFile` and `<receiver>` any receiver name.
   */
  url: string;
  /** None with `open`. */
  tokenFile?: string;
  stop(): Promise<void>;
}

/** The webhook's secret, from its token file; it goes into a URL path, so it is refused unless URL-safe. */
async function webhookToken(file: string | undefined): Promise<SecretToken> {
  const token = await secretToken(file, '--webhook-token-file', 'webhook token');
  if (/^[\w-]+$/.test(token.token)) return token;
  await token.dispose();
  throw new UserError(
    `--webhook-token-file ${token.file}: the token goes into a URL path, so it may hold only letters, digits, - and _; write such a token into it, or name a file that does not exist to have one made`,
  );
}

/**
 * Receives Alertmanager's notifications for `sandbox generate --webhook-port` on a secret path, as `start`'s
 * receiver does: the secret comes from `tokenFile` (read, or made with mode 0600; a private temporary file
 * when none is named), so that the URL a user writes into Alertmanager's configuration survives a restart.
 * `open`: no secret, for a private network where only Alertmanager reaches the port.
 */
export async function startGeneratorWebhook(options: {
  host: string;
  port: number;
  tokenFile?: string;
  open?: boolean;
  onNotification: (n: Notification) => void;
}): Promise<GeneratorWebhook> {
  const token = options.open ? undefined : await webhookToken(options.tokenFile);
  const receiver = new WebhookReceiver(options.onNotification, { secretPath: token?.token ?? false });
  let port: number;
  try {
    port = await receiver.start(options.host, options.port);
  } catch (error) {
    await receiver.stop();
    await token?.dispose();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UserError(`--webhook-port ${options.port} is in use; choose another, or 0 for any free port`);
    throw error;
  }
  const host = options.host.includes(':') ? `[${options.host}]` : options.host;
  return {
    url: `http://${host}:${port}/alertmanager/${token ? '<token>/' : ''}<receiver>`,
    tokenFile: token?.file,
    stop: async () => {
      await receiver.stop();
      await token?.dispose();
    },
  };
}
