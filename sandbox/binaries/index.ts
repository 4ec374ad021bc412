export {
  BINARY_NAMES,
  binarySpec,
  pathEnvVar,
  type BinaryName,
  type BinarySpec,
} from './binary-catalogue.js';
export { cacheRoot } from './cache.js';
export { BinaryUnavailableError, ChecksumMismatchError } from './binary-errors.js';
export {
  ensureBinary,
  findBinary,
  type BinaryOptions,
  type BinarySource,
  type ResolvedBinary,
} from './resolve.js';
export { compareVersions, parseVersion, probeVersion } from './version.js';
export { AMTOOL_PATH_VAR, findAmtool, type ResolvedAmtool } from './amtool.js';
