import type { PushTls } from './push-tls.js';

/** Where a push output (Loki, OTLP) sends, with the headers of every request and its TLS settings, read. */
export interface PushTarget {
  url: string;
  /** Auth, the tenant (X-Scope-OrgID), the user's own. */
  headers: Readonly<Record<string, string>>;
  /** For an https receiver: its CA, a client certificate and key, or no verification. */
  tls?: PushTls;
}
