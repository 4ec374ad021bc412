import { readdir, readFile } from 'node:fs/promises';
import { join } from 'node:path';

/** One entry of the system's apt configuration, in either the one-line or the deb822 format. */
export interface AptSource {
  types: string[];
  uris: string[];
  suites: string[];
  components: string[];
  /** Keyring path, or an inline key block with its deb822 continuation lines kept verbatim. */
  signedBy?: string;
}

export interface AptMirror {
  uri: string;
  signedBy?: string;
}

/** Parses `deb [signed-by=...] URI SUITE COMPONENT...` lines. */
export function parseOneLineSources(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const raw of text.split('\n')) {
    const line = raw.replace(/#.*/, '').trim();
    const match = /^(deb|deb-src)\s+(?:\[([^\]]*)\]\s+)?(\S+)\s+(\S+)\s*(.*)$/.exec(line);
    if (!match) continue;
    const [, type = '', options = '', uri = '', suite = '', components = ''] = match;
    const signedBy = /(?:^|\s)signed-by=(\S+)/.exec(options)?.[1];
    sources.push({
      types: [type],
      uris: [uri],
      suites: [suite],
      components: components.split(/\s+/).filter(Boolean),
      ...(signedBy ? { signedBy } : {}),
    });
  }
  return sources;
}

/** Parses deb822 `.sources` paragraphs, skipping those with `Enabled: no`. */
export function parseDeb822Sources(text: string): AptSource[] {
  const sources: AptSource[] = [];
  for (const paragraph of text.split(/\n\s*\n/)) {
    const fields = new Map<string, string>();
    let current: string | undefined;
    for (const line of paragraph.split('\n')) {
      if (line.startsWith('#')) continue;
      if (/^\s/.test(line) && current !== undefined) {
        fields.set(current, `${fields.get(current) ?? ''}\n${line}`);
        continue;
      }
      const field = /^([\w-]+):\s*(.*)$/.exec(line);
      if (!field) continue;
      current = (field[1] ?? '').toLowerCase();
      fields.set(current, (field[2] ?? '').trim());
    }
    if (!fields.has('uris') || fields.get('enabled')?.toLowerCase() === 'no') continue;
    const words = (key: string) => (fields.get(key) ?? '').split(/\s+/).filter(Boolean);
    const signedBy = fields.get('signed-by');
    sources.push({
      types: words('types'),
      uris: words('uris'),
      suites: words('suites'),
      components: words('components'),
      ...(signedBy ? { signedBy } : {}),
    });
  }
  return sources;
}

/** Everything in `sources.list` and `sources.list.d/*.{list,sources}`; unreadable files are skipped. */
export async function readAptSources(etcApt = '/etc/apt'): Promise<AptSource[]> {
  const read = (path: string) => readFile(path, 'utf8').catch(() => '');
  const sources = parseOneLineSources(await read(join(etcApt, 'sources.list')));
  const partsDir = join(etcApt, 'sources.list.d');
  const parts = (await readdir(partsDir).catch(() => [])).sort();
  for (const part of parts) {
    if (part.endsWith('.list')) sources.push(...parseOneLineSources(await read(join(partsDir, part))));
    if (part.endsWith('.sources')) sources.push(...parseDeb822Sources(await read(join(partsDir, part))));
  }
  return sources;
}

/** The machine's release codename (VERSION_CODENAME in os-release), e.g. `bookworm`. */
export async function readMachineSuite(osRelease = '/etc/os-release'): Promise<string | undefined> {
  const text = await readFile(osRelease, 'utf8').catch(() => '');
  return /^VERSION_CODENAME="?([^"\n]+)"?$/m.exec(text)?.[1];
}

/**
 * The archive the machine installs its own release from: the binary source carrying exactly that suite
 * (not `-security`/`-updates`, not third-party repositories with their own suite names) and `main`.
 */
export function findDebianMirror(sources: readonly AptSource[], machineSuite: string): AptMirror | undefined {
  const source = sources.find(
    (s) => s.types.includes('deb') && s.suites.includes(machineSuite) && s.components.includes('main'),
  );
  const uri = source?.uris[0];
  if (source === undefined || uri === undefined) return undefined;
  return { uri, ...(source.signedBy ? { signedBy: source.signedBy } : {}) };
}

/** A deb822 sources file for `suite` of the mirror, for a private apt state directory. */
export function privateSourcesFile(mirror: AptMirror, suite: string): string {
  const lines = ['Types: deb', `URIs: ${mirror.uri}`, `Suites: ${suite}`, 'Components: main'];
  if (mirror.signedBy) lines.push(`Signed-By: ${mirror.signedBy}`);
  return `${lines.join('\n')}\n`;
}
