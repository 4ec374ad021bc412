/** The external programs the sandbox runs, and every place we know how to get each of them from. */

export const BINARY_NAMES = [
  'prometheus',
  'promtool',
  'alertmanager',
  'grafana',
  'loki',
  'jaeger',
  'tempo',
] as const;
export type BinaryName = (typeof BINARY_NAMES)[number];

/** An official release: a tar.gz archive next to a checksum file, in one directory per version. */
export interface ReleaseSpec {
  /** URL of the directory holding the archive and checksum file of `version`. */
  directoryUrl(version: string): string;
  /** Archive file name; `platform` is e.g. `linux-amd64`. */
  archive(version: string, platform: string): string;
  /** Checksum file name: either `sha256sum` lines (`<hex>  <file>`) or a bare hex digest. */
  checksums(version: string, platform: string): string;
  /** Path of the executable inside the unpacked archive. */
  binary(version: string, platform: string): string;
}

export interface DebianSource {
  /** `machine` is the suite this machine's apt sources are configured for (e.g. bookworm). */
  suite: 'sid' | 'machine';
  package: string;
  /** Path of the executable inside the package, relative to its root. */
  binary: string;
  /** Data directory the Debian build reads at its absolute path (e.g. Alertmanager's templates). */
  assets?: string;
}

export interface BinarySpec {
  name: BinaryName;
  /** Version downloaded from the official release. */
  version: string;
  /** Oldest version accepted from PATH, the cache or Debian. */
  minVersion: string;
  /** Executable names to look for on PATH, in order. */
  executables: readonly string[];
  versionArgs: readonly string[];
  release?: ReleaseSpec;
  /** Tried in order; sid first because it carries the 3.x line users' official images run. */
  debian: readonly DebianSource[];
  /** How a user installs it by hand, used in error messages. */
  installHint: string;
}

function githubRelease(repo: string, project: string): ReleaseSpec {
  return {
    directoryUrl: (version) => `https://github.com/prometheus/${repo}/releases/download/v${version}`,
    archive: (version, platform) => `${project}-${version}.${platform}.tar.gz`,
    checksums: () => 'sha256sums.txt',
    binary: (version, platform) => `${project}-${version}.${platform}/${project}`,
  };
}

const prometheusRelease = githubRelease('prometheus', 'prometheus');

const CATALOGUE: Record<BinaryName, BinarySpec> = {
  prometheus: {
    name: 'prometheus',
    version: '3.5.0',
    minVersion: '2.42.0',
    executables: ['prometheus'],
    versionArgs: ['--version'],
    release: prometheusRelease,
    debian: [
      { suite: 'sid', package: 'prometheus', binary: 'usr/bin/prometheus', assets: 'usr/share/prometheus' },
      {
        suite: 'machine',
        package: 'prometheus',
        binary: 'usr/bin/prometheus',
        assets: 'usr/share/prometheus',
      },
    ],
    installHint: 'Install it with `apt-get install prometheus`',
  },
  promtool: {
    name: 'promtool',
    version: '3.5.0',
    minVersion: '2.42.0',
    executables: ['promtool'],
    versionArgs: ['--version'],
    release: { ...prometheusRelease, binary: (v, p) => `prometheus-${v}.${p}/promtool` },
    // Newer suites ship promtool as its own package; bookworm keeps it inside `prometheus`.
    debian: [
      { suite: 'sid', package: 'promtool', binary: 'usr/bin/promtool' },
      { suite: 'machine', package: 'promtool', binary: 'usr/bin/promtool' },
      { suite: 'machine', package: 'prometheus', binary: 'usr/bin/promtool' },
    ],
    installHint: 'Install it with `apt-get install prometheus`',
  },
  alertmanager: {
    name: 'alertmanager',
    version: '0.28.1',
    minVersion: '0.25.0',
    executables: ['alertmanager', 'prometheus-alertmanager'],
    versionArgs: ['--version'],
    release: githubRelease('alertmanager', 'alertmanager'),
    debian: [
      {
        suite: 'sid',
        package: 'prometheus-alertmanager',
        binary: 'usr/bin/prometheus-alertmanager',
        assets: 'usr/share/prometheus/alertmanager',
      },
      {
        suite: 'machine',
        package: 'prometheus-alertmanager',
        binary: 'usr/bin/prometheus-alertmanager',
        assets: 'usr/share/prometheus/alertmanager',
      },
    ],
    installHint: 'Install it with `apt-get install prometheus-alertmanager`',
  },
  grafana: {
    name: 'grafana',
    version: '12.0.2',
    minVersion: '11.0.0',
    executables: ['grafana'],
    versionArgs: ['--version'],
    release: {
      directoryUrl: () => 'https://dl.grafana.com/oss/release',
      archive: (version, platform) => `grafana-${version}.${platform}.tar.gz`,
      checksums: (version, platform) => `grafana-${version}.${platform}.tar.gz.sha256`,
      binary: (version) => `grafana-v${version}/bin/grafana`,
    },
    debian: [],
    installHint: 'Install Grafana from grafana.com/grafana/download',
  },
  // Loki ships zip archives and Jaeger's checksum files cover the archive contents rather than the
  // archive, so neither fits the verified tar.gz download; they come from a path, PATH or the cache.
  loki: {
    name: 'loki',
    version: '3.5.0',
    minVersion: '3.0.0',
    executables: ['loki', 'loki-linux-amd64'],
    versionArgs: ['-version'],
    debian: [],
    installHint: 'Download Loki from github.com/grafana/loki/releases',
  },
  jaeger: {
    name: 'jaeger',
    version: '2.8.0',
    minVersion: '2.0.0',
    executables: ['jaeger'],
    versionArgs: ['--version'],
    debian: [],
    installHint: 'Download Jaeger from github.com/jaegertracing/jaeger/releases',
  },
  // No release download is wired for it: it comes from OBS_SANDBOX_TEMPO_PATH, PATH or the cache.
  tempo: {
    name: 'tempo',
    version: '2.8.2',
    minVersion: '2.0.0',
    executables: ['tempo'],
    versionArgs: ['-version'],
    debian: [],
    installHint: 'Download Tempo from github.com/grafana/tempo/releases',
  },
};

export function binarySpec(name: BinaryName): BinarySpec {
  return CATALOGUE[name];
}

/** Environment variable that points at a binary by hand, e.g. OBS_SANDBOX_PROMETHEUS_PATH. */
export function pathEnvVar(name: BinaryName): string {
  return `OBS_SANDBOX_${name.toUpperCase()}_PATH`;
}

/** Release platform name for this machine, e.g. `linux-amd64`. */
export function releasePlatform(platform: string = process.platform, arch: string = process.arch): string {
  const goArch: Record<string, string> = { x64: 'amd64', arm64: 'arm64', arm: 'armv7', ia32: '386' };
  return `${platform}-${goArch[arch] ?? arch}`;
}
