import { createHash } from 'node:crypto';
import { mkdir, readFile, rename, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import type { SystemDefinition } from '../../generators/model/system.js';
import { codeFingerprint } from './code-fingerprint.js';

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

  /** Another cache in a folder of this one's. */
  within(folder: string): ReplayCache {
    return new ReplayCache(join(this.dir, folder));
  }

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
