import { readUserFile } from '../../generators/model/user-file.js';
import { basename, extname } from 'node:path';

/** A rule file as the stack's Prometheus loads it: a unique file name in its rules directory, and the text. */
export interface StackRuleFile {
  name: string;
  content: string;
  /** The file it was read from (what scenarios' `rule_file` and results name). */
  source?: string;
}

/** Reads rule files for the stack, renaming clashes (two `alerts.yaml` from different directories). */
export async function readStackRules(paths: readonly string[]): Promise<StackRuleFile[]> {
  const taken = new Set<string>();
  return Promise.all(
    paths.map(async (path) => {
      const ext = extname(path);
      const stem = basename(path, ext);
      let name = `${stem}${ext}`;
      for (let i = 2; taken.has(name); i++) name = `${stem}-${i}${ext}`;
      taken.add(name);
      return { name, content: await readUserFile(path, 'rule file'), source: path };
    }),
  );
}
