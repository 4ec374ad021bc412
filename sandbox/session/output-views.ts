import type { LiveGenerators } from '../../generators/live/live-generators.js';
import type { OutputView } from '../tui/view-model.js';

/** The state of the generators' pushes to receivers outside the stack (none when there are none). */
export function outputViews(generators: LiveGenerators): OutputView[] {
  const views: OutputView[] = [];
  const remote = generators.remoteWriteStats();
  if (remote)
    views.push({
      name: 'remote write',
      url: remote.url,
      sent: remote.sent,
      queued: remote.queued,
      dropped: remote.dropped,
      lastError: remote.lastError,
    });
  const loki = generators.extraLokiStats();
  if (loki)
    views.push({
      name: 'loki',
      url: loki.url,
      sent: loki.sent,
      queued: loki.buffered,
      dropped: loki.dropped,
      lastError: loki.lastError,
    });
  const otlp = generators.extraOtlpStats();
  if (otlp)
    views.push({
      name: 'otlp',
      url: otlp.url,
      sent: otlp.exported,
      queued: otlp.queued,
      dropped: otlp.dropped,
      lastError: otlp.lastError,
    });
  return views;
}
