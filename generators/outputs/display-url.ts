const NOT_HTTP = '(not an http(s) URL)';

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
  if (parsed === undefined || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return NOT_HTTP;
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  parsed.hash = '';
  const shown = parsed.toString();
  // URL adds the root path: `http://host:3100` stays as typed, not `http://host:3100/`.
  return parsed.pathname === '/' && !/^[a-z]+:\/\/[^/]*\/(?:[?#]|$)/i.test(url) ? shown.slice(0, -1) : shown;
}

/**
 * Text given where a URL was expected, as an error about it may show it: what `displayUrl` shows when it
 * parses; else, when it looks like `scheme://host...`, its scheme, host and path as typed, without the
 * user, password, query or fragment; else nothing (undefined): it may be a token pasted in the wrong place.
 */
export function displayUrlText(text: string): string | undefined {
  const shown = displayUrl(text);
  if (shown !== NOT_HTTP) return shown;
  const match = /^([a-z][a-z0-9+.-]*:\/\/)([^?#\s]*)$/i.exec(text.trim().replace(/[?#].*$/s, ''));
  if (!match) return undefined;
  return `${match[1]}${match[2]!.slice(match[2]!.lastIndexOf('@') + 1)}`;
}

/**
 * A line with every URL in it shown without user, password or query: the last guard of an error line that
 * quotes a URL it was not written to hide (a library's message, say).
 */
export function redactUrlsIn(line: string): string {
  return line.replace(/\b([a-z][a-z0-9+.-]*:\/\/)([^\s'"<>]*)/gi, (_, scheme: string, rest: string) => {
    const unquery = rest.replace(/[?#][^)\]]*/, '');
    return `${scheme}${unquery.slice(unquery.lastIndexOf('@') + 1)}`;
  });
}
