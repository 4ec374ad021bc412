import { join } from 'node:path';
import { packageRoot } from '../package-root.js';

/** Absolute path of a file the package ships in sandbox/assets (rules, seed dashboards). */
export const assetFile = (...parts: string[]) => join(packageRoot(), 'sandbox', 'assets', ...parts);
