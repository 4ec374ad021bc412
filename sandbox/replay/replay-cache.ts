import { createHash } from 'node:crypto';
import { mkdir, readdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { SystemDefinition } from '../../generators/model/system.js';

/**
 * Results of simulated replays kept by a hash of everything that decides them: the scenario file, the rule
 * files promtool read (as they were handed over), the systems (declared ones by their file's text), the
 * promtool used, and the code that simulates and judges. Any change to one of them is a miss.
 */
export interface ReplayInputs {
  scenarioFile: string;
  /** Each rule file, and the path promtool reads it from (clashing rules tagged there). */
  ruleFiles: readonly { file: string; handed: string }[];
  systems: readonly SystemDefinition[];
  /** Which promtool: its identity (promtoolIdentity), not just its path. */
  promtool: string;
  /** Files besides these that decide a result (an Alertmanager configuration for `notifies:`). */
  otherFiles: readonly string[];
  /** Choices besides the files (the project file's `alerts:`), as JSON. */
  choices: string;
}

const ROOT = fileURLToPath(new URL('../..', import.meta.url));
/**
 * All of the product's code: a result depends on the simulation, the systems, replay, judging, promtool's
 * runner and output readers, and what they import, and a list of the folders that matter would miss one (it
 * missed sandbox/promtool). A stale verdict is a false PASS; a needless replay only costs time.
 */
const CODE_DIRS = ['generators', 'sandbox'];
let codeHash: Promise<string> | undefined;

async function hashDir(hash: ReturnType<typeof createHash>, dir: string): Promise<void> {
  const entries = await readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const e of entries.sort((a, b) => a.name.localeCompare(b.name))) {
    const path = join(dir, e.name);
    if (e.isDirectory()) await hashDir(hash, path);
    else if (e.isFile()) hash.update(path).update(await readFile(path));
  }
}

function codeFingerprint(): Promise<string> {
  codeHash ??= (async () => {
    const hash = createHash('sha256');
    for (const dir of CODE_DIRS) await hashDir(hash, join(ROOT, dir));
    return hash.digest('hex');
  })();
  return codeHash;
}

export async function replayKey(inputs: ReplayInputs): Promise<string> {
  const hash = createHash('sha256');
  const part = (label: string, value: string | Buffer) => hash.update(`\0${label}\0`).update(value);
  part('code', await codeFingerprint());
  part('promtool', inputs.promtool);
  part('scenario', await readFile(inputs.scenarioFile));
  part('scenario-path', inputs.scenarioFile);
  part('choices', inputs.choices);
  for (const file of inputs.otherFiles) part('other', await readFile(file));
  for (const { file, handed } of inputs.ruleFiles) {
    part('rule-file', file);
    part('rules', await readFile(handed));
  }
  for (const s of inputs.systems)
    part('system', s.source ? `${s.source}\0${await readFile(s.source, 'utf8')}` : s.name);
  return hash.digest('hex');
}

/** A directory of results by key; unreadable or corrupt entries are misses. */
export class ReplayCache {
  constructor(private readonly dir: string) {}

  async get<T>(key: string): Promise<T | undefined> {
    const text = await readFile(join(this.dir, `${key}.json`), 'utf8').catch(() => undefined);
    if (text === undefined) return undefined;
    try {
      return JSON.parse(text) as T;
    } catch {
      return undefined;
    }
  }

  async set(key: string, value: unknown): Promise<void> {
    await mkdir(this.dir, { recursive: true });
    const file = join(this.dir, `${key}.json`);
    // Written aside and renamed, so that a parallel reader never sees half a file.
    const partial = `${file}.${process.pid}.partial`;
    await writeFile(partial, JSON.stringify(value));
    await rename(partial, file);
  }
}
