export { OtlpTraceOutput } from './otlp-output.js';
export type { OtlpTraceOutputOptions, OtlpTraceStats } from './otlp-output.js';
export type { OtlpStatusEvent } from './guarded-exporter.js';
export {
  INSTRUMENTATION_SCOPE,
  JobResources,
  msToHrTime,
  serviceNamespace,
  toReadableSpan,
} from './readable-span.js';
export type { ResourceOptions } from './readable-span.js';
