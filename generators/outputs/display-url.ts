/**
 * A push URL as it may be shown (stdout, stderr, --json, logs, the TUI, `sandbox status`): any user,
 * password, query (which may hold a key) or fragment left out. Every place that shows a push URL goes
 * through here.
 */
export function displayUrl(url: string): string {
  let parsed: URL | undefined;
  try {
    parsed = new URL(url);
  } catch {
    parsed = undefined;
  }
  // Text that is no http(s) URL (`bob:pw@host` parses as scheme `bob:`) may still hold a secret: show none.
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:'))
    return '(not an http(s) URL)';
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  const shown = parsed.toString();
  // URL adds the root path: `http://host:3100` stays as typed, not `http://host:3100/`.
  return parsed.pathname === '/' && !/^[a-z]+:\/\/[^/]*\/(?:[?#]|$)/i.test(url) ? shown.slice(0, -1) : shown;
}
