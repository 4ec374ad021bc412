import { readdir, stat } from 'node:fs/promises';
import { readUserFile } from '../../../generators/model/user-file.js';
import { join } from 'node:path';
import { parseDocument } from 'yaml';
import { UserError } from '../../../generators/user-error.js';

export interface DashboardFile {
  name: string;
  content: string;
}

/** line:column of a JSON syntax error: V8 does not always say where; the YAML parser (JSON is YAML) does. */
function errorPosition(text: string, error: Error): string {
  const offset = /position (\d+)/.exec(error.message)?.[1];
  if (offset !== undefined) {
    const before = text.slice(0, Number(offset)).split('\n');
    return `${before.length}:${before.at(-1)!.length + 1}`;
  }
  const at = parseDocument(text).errors[0]?.linePos?.[0];
  return at ? `${at.line}:${at.col}` : '1:1';
}

/**
 * The user's dashboards (`--dashboards DIR`): every .json file, checked to be a dashboard Grafana can
 * provision, so that a typo is reported here with file:line:column rather than ignored by Grafana.
 */
export async function readUserDashboards(dir: string): Promise<DashboardFile[]> {
  const info = await stat(dir).catch(() => undefined);
  if (!info?.isDirectory())
    throw new UserError(
      `--dashboards ${dir} is not a directory; pass a directory of Grafana dashboard JSON files`,
    );
  const names = (await readdir(dir)).filter((f) => f.endsWith('.json')).sort();
  if (names.length === 0)
    throw new UserError(`no .json dashboards in ${dir}; export them from Grafana as JSON`);
  return Promise.all(
    names.map(async (name) => {
      const file = join(dir, name);
      const content = await readUserFile(file, 'dashboard file');
      let parsed: unknown;
      try {
        parsed = JSON.parse(content);
      } catch (error) {
        const reason = (error as Error).message.split(/,? ?(?:\.\.\.|in JSON|")/)[0];
        throw new UserError(`${file}:${errorPosition(content, error as Error)}: invalid JSON (${reason})`);
      }
      const dashboard = parsed as { title?: unknown; panels?: unknown } | null;
      if (typeof dashboard?.title !== 'string' || !Array.isArray(dashboard.panels)) {
        throw new UserError(
          `${file}: not a Grafana dashboard (needs a "title" and a "panels" list); export it with "Export > Save to file"`,
        );
      }
      return { name, content };
    }),
  );
}
