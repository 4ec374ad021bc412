import type { ServiceStatus } from '../../stack/native/native-stack.js';

export const SERVICE_STATE_COLOR: Record<ServiceStatus['state'], string> = {
  running: 'green',
  starting: 'yellow',
  unavailable: 'gray',
  failed: 'red',
  crashed: 'red',
};
