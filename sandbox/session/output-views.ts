import type { LiveGenerators } from '../../generators/live/live-generators.js';
import type { OutputView } from '../tui/view-model.js';

/** A URL as it can be shown: any user, password or query (which may hold a key) left out. */
export function displayUrl(url: string): string {
  const parsed = new URL(url);
  parsed.username = '';
  parsed.password = '';
  parsed.search = '';
  return parsed.toString();
}

/** The state of the generators' pushes to receivers outside the stack (none when there are none). */
export function outputViews(
  generators: LiveGenerators,
  urls: { remoteWrite?: string; loki?: string },
): OutputView[] {
  const views: OutputView[] = [];
  const remote = generators.remoteWriteStats();
  if (remote && urls.remoteWrite)
    views.push({
      name: 'remote write',
      url: displayUrl(urls.remoteWrite),
      sent: remote.sent,
      queued: remote.queued,
      dropped: remote.dropped,
      lastError: remote.lastError,
    });
  const loki = generators.extraLokiStats();
  if (loki && urls.loki)
    views.push({
      name: 'loki',
      url: displayUrl(urls.loki),
      sent: loki.sent,
      queued: loki.buffered,
      dropped: loki.dropped,
      lastError: loki.reachable ? undefined : 'unreachable',
    });
  return views;
}
