import { readdir, stat } from 'node:fs/promises';
import { readUserFile } from '../../generators/model/user-file.js';
import { extname, join, resolve } from 'node:path';
import { parseDuration } from '../../generators/model/duration.js';
import { UserError } from '../../generators/user-error.js';
import { YamlSource } from '../scenario/source-map.js';
import { ruleFileFor } from './prometheus-rule-resource.js';

export interface AlertRule {
  alert: string;
  expr: string;
  forMs: number;
  labels: Readonly<Record<string, string>>;
  file: string;
  group: string;
  /** `file:line:col` of its `alert:` name. */
  where: string;
}

const RULE_EXTENSIONS = new Set(['.yml', '.yaml']);

async function filesIn(path: string): Promise<string[]> {
  const info = await stat(path).catch(() => undefined);
  if (!info)
    throw new UserError(
      `rules path ${path} does not exist; pass a rule file or a directory of them to --rules`,
    );
  if (info.isFile()) return [resolve(path)];
  if (!info.isDirectory()) {
    throw new UserError(
      `rules path ${path} is not a regular file or a directory (a device, FIFO or socket) and is not read; pass a rule file or a directory of them to --rules`,
    );
  }
  const entries = await readdir(path, { withFileTypes: true });
  const files = entries
    .filter((e) => e.isFile() && RULE_EXTENSIONS.has(extname(e.name)))
    .map((e) => resolve(join(path, e.name)))
    .sort();
  if (files.length === 0) throw new UserError(`no .yml or .yaml rule files in ${path}`);
  return files;
}

/**
 * The rule files that come with the loaded systems (`SystemCatalogue.ruleFiles`, or none with
 * --no-bundled-rules) plus the user's files and directories, de-duplicated.
 */
export async function collectRuleFiles(
  extra: readonly string[],
  bundled: readonly string[],
): Promise<string[]> {
  const files = [...bundled];
  // PrometheusRule resources are read as the plain rule file of their spec.groups.
  for (const path of extra) files.push(...(await Promise.all((await filesIn(path)).map(ruleFileFor))));
  return [...new Set(files)];
}

interface RuleGroupFile {
  groups?: {
    name?: string;
    rules?: { alert?: string; expr?: unknown; for?: unknown; labels?: Record<string, string> }[];
  }[];
}

/** The alerting rules in the given files (recording rules are skipped). */
export async function loadAlertRules(files: readonly string[]): Promise<AlertRule[]> {
  const rules: AlertRule[] = [];
  for (const file of files)
    rules.push(...loadAlertRulesFromText(file, await readUserFile(file, 'rule file')));
  return rules;
}

/** The alerting rules of one rule file's text; `file` names it in errors. */
export function loadAlertRulesFromText(file: string, text: string): AlertRule[] {
  const parsed = YamlSource.parse(file, text);
  if ('error' in parsed) throw new UserError(parsed.error);
  const content = parsed.source.toJS() as RuleGroupFile | null;
  return (content?.groups ?? []).flatMap((group, g) =>
    (group.rules ?? [])
      .map((rule, r) => ({ rule, r }))
      .filter(({ rule }) => rule.alert)
      .map(({ rule, r }) => ({
        alert: rule.alert!,
        expr: String(rule.expr ?? ''),
        forMs: typeof rule.for === 'string' ? (parseDuration(rule.for) ?? 0) : 0,
        labels: rule.labels ?? {},
        file,
        group: group.name ?? '',
        where: parsed.source.position(['groups', g, 'rules', r, 'alert']),
      })),
  );
}
