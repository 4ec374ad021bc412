import { execFile } from 'node:child_process';
import { mkdir, mkdtemp, readdir, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import {
  findDebianMirror,
  privateSourcesFile,
  readAptSources,
  readMachineSuite,
  type AptMirror,
} from './apt-sources.js';
import type { DebianSource } from './binary-catalogue.js';
import { reasonOf } from './binary-errors.js';

const RUN_TIMEOUT_MS = 10 * 60_000;

export interface DebianExtraction {
  sources: readonly DebianSource[];
  /** Checks that an extracted executable runs here and returns its version; throws otherwise. */
  verify(path: string): Promise<string>;
}

export interface ExtractedPackage {
  /** Executable path relative to the staging directory. */
  binary: string;
  assets?: string;
  version: string;
  origin: string;
}

/**
 * Downloads a Debian package with `apt-get download` and unpacks it with `dpkg-deb -x` into `staging`,
 * trying each source in order. Needs no root and leaves the system's apt state alone: every suite gets
 * a private sources file (the system's own mirror, suite swapped), package lists and archive cache.
 */
export async function extractFromDebian(
  request: DebianExtraction,
  staging: string,
): Promise<ExtractedPackage> {
  const machineSuite = await readMachineSuite();
  if (machineSuite === undefined) throw new Error('no VERSION_CODENAME in /etc/os-release');
  const mirror = findDebianMirror(await readAptSources(), machineSuite);
  if (mirror === undefined) throw new Error(`no apt source for suite ${machineSuite} with component main`);

  const work = await mkdtemp(join(tmpdir(), 'obs-sandbox-apt-'));
  const suites = new Map<string, Promise<string[]>>();
  const failures: string[] = [];
  try {
    for (const source of request.sources) {
      const suite = source.suite === 'machine' ? machineSuite : source.suite;
      try {
        if (!suites.has(suite)) suites.set(suite, prepareSuite(work, mirror, suite));
        const aptOptions = await (suites.get(suite) as Promise<string[]>);
        const debDir = join(work, 'debs', `${suite}-${source.package}`);
        await mkdir(debDir, { recursive: true });
        await runApt([...aptOptions, 'download', source.package], debDir, RUN_TIMEOUT_MS);
        const deb = (await readdir(debDir)).find((file) => file.endsWith('.deb'));
        if (deb === undefined) throw new Error(`apt-get download left no .deb for ${source.package}`);
        await run('dpkg-deb', ['-x', join(debDir, deb), staging], RUN_TIMEOUT_MS);
        const version = await request.verify(join(staging, source.binary));
        return {
          binary: source.binary,
          ...(source.assets ? { assets: source.assets } : {}),
          version,
          origin: `debian ${suite} ${deb}`,
        };
      } catch (error) {
        failures.push(`${suite}/${source.package}: ${reasonOf(error)}`);
        await rm(staging, { recursive: true, force: true });
        await mkdir(staging, { recursive: true });
      }
    }
    throw new Error(failures.join('; '));
  } finally {
    await rm(work, { recursive: true, force: true });
  }
}

/** Writes the private sources file, runs `apt-get update` and returns the options for later apt-get runs. */
async function prepareSuite(work: string, mirror: AptMirror, suite: string): Promise<string[]> {
  const dir = join(work, suite);
  await mkdir(join(dir, 'lists', 'partial'), { recursive: true });
  await mkdir(join(dir, 'cache', 'archives', 'partial'), { recursive: true });
  const sourcesFile = join(dir, 'private.sources');
  await writeFile(sourcesFile, privateSourcesFile(mirror, suite));
  const options = [
    `Dir::Etc::sourcelist=${sourcesFile}`,
    'Dir::Etc::sourceparts=/dev/null',
    `Dir::State::Lists=${join(dir, 'lists')}`,
    `Dir::Cache=${join(dir, 'cache')}`,
    'Dir::Cache::pkgcache=',
    'Dir::Cache::srcpkgcache=',
    // Our private directories need no lock, and as root apt would otherwise hand the download to the
    // unprivileged _apt user, who cannot write into them.
    'Debug::NoLocking=1',
    'APT::Sandbox::User=root',
  ].flatMap((option) => ['-o', option]);
  await runApt(['-q', ...options, 'update'], dir, RUN_TIMEOUT_MS);
  return ['-q', ...options];
}

/** Runs apt-get; it reports problems as `E:` lines on stderr, sometimes even when exiting with 0. */
async function runApt(args: string[], cwd: string, timeoutMs: number): Promise<void> {
  const { stderr } = await run('apt-get', args, timeoutMs, cwd);
  const firstError = stderr.split('\n').find((line) => line.startsWith('E:'));
  if (firstError !== undefined) throw new Error(firstError.slice(2).trim());
}

function run(command: string, args: string[], timeoutMs: number, cwd?: string): Promise<{ stderr: string }> {
  return new Promise((resolve, reject) => {
    execFile(
      command,
      args,
      { cwd, timeout: timeoutMs, maxBuffer: 16 * 1024 * 1024 },
      (error, _stdout, stderr) => {
        if (error === null) {
          resolve({ stderr });
          return;
        }
        const lines = stderr.split('\n').filter((line) => line.trim() !== '');
        const detail = lines.find((line) => line.startsWith('E:'))?.slice(2) ?? lines.at(-1);
        if ((error as NodeJS.ErrnoException).code === 'ENOENT')
          reject(new Error(`${command} is not installed`));
        else if (error.killed) reject(new Error(`${command} timed out after ${timeoutMs} ms`));
        else reject(new Error(`${command} failed: ${detail?.trim() ?? error.message}`));
      },
    );
  });
}
