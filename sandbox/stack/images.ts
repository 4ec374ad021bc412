/** Kept for the TUI's import of the service names; the services themselves are in services/registry.ts. */
export type { StackService } from './services/registry.js';
