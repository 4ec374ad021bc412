import { readUserFile } from '../../generators/model/user-file.js';
import { isAbsolute, relative } from 'node:path';
import { UserError } from '../../generators/user-error.js';
import { YamlSource } from '../scenario/source-map.js';
import { loadAlertRulesFromText, type AlertRule } from './rule-files.js';

export interface RecordingRule {
  record: string;
  expr: string;
  file: string;
  /** `file:line:col` of its `record:` name. */
  where: string;
}

/** The rules of a run: an alerting rule is known by its file, group and name, not by its name alone. */
export interface RuleSet {
  files: readonly string[];
  alerts: readonly AlertRule[];
  records: readonly RecordingRule[];
}

/** A name defined in more than one rule file: its first definition in each file. */
export interface RuleClash {
  kind: 'alert' | 'record';
  name: string;
  definitions: { file: string; where: string }[];
}

function recordingRules(file: string, text: string): RecordingRule[] {
  const parsed = YamlSource.parse(file, text);
  if ('error' in parsed) throw new UserError(parsed.error);
  const content = parsed.source.toJS() as { groups?: { rules?: { record?: string; expr?: unknown }[] }[] };
  return (content?.groups ?? []).flatMap((group, g) =>
    (group.rules ?? []).flatMap((rule, r) =>
      rule.record
        ? [
            {
              record: rule.record,
              expr: String(rule.expr ?? ''),
              file,
              where: parsed.source.position(['groups', g, 'rules', r, 'record']),
            },
          ]
        : [],
    ),
  );
}

export async function loadRuleSet(files: readonly string[]): Promise<RuleSet> {
  const texts = await Promise.all(files.map((file) => readUserFile(file, 'rule file')));
  return {
    files,
    alerts: files.flatMap((file, i) => loadAlertRulesFromText(file, texts[i]!)),
    records: files.flatMap((file, i) => recordingRules(file, texts[i]!)),
  };
}

/** The files defining an alert, in load order. */
export function alertFiles(rules: RuleSet, alert: string): string[] {
  return [...new Set(rules.alerts.filter((r) => r.alert === alert).map((r) => r.file))];
}

/**
 * Names defined in more than one file. Several rules of one name in one file are one alert (a warning and
 * a critical threshold, say); the same name in two files is two alerts that a name alone cannot tell apart.
 */
export function ruleClashes(rules: RuleSet): RuleClash[] {
  const clashes: RuleClash[] = [];
  const collect = (
    kind: RuleClash['kind'],
    defs: readonly { name: string; file: string; where: string }[],
  ) => {
    const byName = new Map<string, Map<string, string>>();
    for (const d of defs) {
      const files = byName.get(d.name) ?? new Map<string, string>();
      if (!files.has(d.file)) files.set(d.file, d.where);
      byName.set(d.name, files);
    }
    for (const [name, files] of byName) {
      if (files.size > 1)
        clashes.push({ kind, name, definitions: [...files].map(([file, where]) => ({ file, where })) });
    }
  };
  collect(
    'alert',
    rules.alerts.map((r) => ({ name: r.alert, file: r.file, where: r.where })),
  );
  collect(
    'record',
    rules.records.map((r) => ({ name: r.record, file: r.file, where: r.where })),
  );
  return clashes;
}

/** A path as a user reads it: relative to the working directory when it is under it. */
export function shownPath(path: string): string {
  const rel = relative(process.cwd(), path);
  return rel !== '' && !rel.startsWith('..') && !isAbsolute(rel) ? rel : path;
}

/** `file:line:col` with the file as `shownPath` gives it. */
export const shownWhere = (where: string): string => {
  const m = /^(.*?)(:\d+:\d+)$/.exec(where);
  return m ? `${shownPath(m[1]!)}${m[2]}` : where;
};

/** One line for a clash: where it is, both definitions, and the ways out. */
export function clashLine(clash: RuleClash): string {
  const last = clash.definitions.at(-1)!;
  const also = clash.definitions
    .filter((d) => d !== last)
    .map((d) => shownWhere(d.where))
    .join(' and ');
  if (clash.kind === 'record') {
    return (
      `${shownWhere(last.where)}: record ${clash.name}: also defined in ${also}; recording rules of one name in ` +
      `two files write the same series: rename one, or leave the bundled rules out (--no-bundled-rules)`
    );
  }
  const base = last.file.split('/').at(-1)!;
  return (
    `${shownWhere(last.where)}: alert ${clash.name}: also defined in ${also}, so its name alone does not say ` +
    `which rule a scenario tests; leave the bundled rules out (--no-bundled-rules), or name the file: ` +
    `\`rule_file: ${base}\` in the expectation, or \`alerts: { ${clash.name}: ${shownPath(last.file)} }\` in the project file`
  );
}
