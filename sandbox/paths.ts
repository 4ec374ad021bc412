import { join } from 'node:path';
import { packageRoot } from '../generators/package-root.js';

export const bundledScenariosDir = () => join(packageRoot(), 'scenarios');
/** Where bundled systems live: TypeScript ones, and YAML ones as `<name>/<name>.system.yaml`. */
export const bundledSystemsDir = () => join(packageRoot(), 'generators', 'systems');
