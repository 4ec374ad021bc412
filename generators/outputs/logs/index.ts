export { RingBuffer } from './ring-buffer.js';
export { LOG_SOURCE, formatLogLine, lokiLabels, lokiTimestampNs, type LokiStreamLabels } from './log-line.js';
export {
  LokiPusher,
  type LokiPusherOptions,
  type LokiPusherStats,
  type LokiStatusEvent,
} from './loki-push.js';
