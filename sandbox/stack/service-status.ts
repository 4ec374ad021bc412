import type { ProcessIdentity } from './process-identity.js';
import type { StackService } from './services/registry.js';

export interface ServiceStatus {
  service: StackService;
  state: 'starting' | 'running' | 'unavailable' | 'failed' | 'crashed';
  runtime: 'native' | 'docker';
  url?: string;
  version?: string;
  reason?: string;
  /** What to do about it (an install hint), for views with no room for the whole reason. */
  fix?: string;
  /** Process group id (native) for `sandbox down`. */
  pid?: number;
  /** Native: the process' start time and command line, so that `sandbox down` never kills a reused pid. */
  process?: ProcessIdentity;
  readyMs?: number;
}
