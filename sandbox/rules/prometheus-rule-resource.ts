import { mkdtempSync } from 'node:fs';
import { writeFile } from 'node:fs/promises';
import { readUserFile } from '../../generators/model/user-file.js';
import { tmpdir } from 'node:os';
import { basename, join } from 'node:path';
import { isMap, isSeq, LineCounter, parseAllDocuments, type Scalar } from 'yaml';
import { UserError } from '../../generators/user-error.js';
import { removeOnExit } from '../cleanup.js';

const KIND = 'PrometheusRule';
const API_GROUP = 'monitoring.coreos.com/';

/** Generated rule file → the file the user gave, for messages. */
const originals = new Map<string, string>();
let outDir: string | undefined;

/**
 * The plain rule file (`groups:`) of a file of Kubernetes resources: the `spec.groups` of every
 * PrometheusRule in it (prometheus-operator, kube-prometheus-stack), several per file. Every rule keeps its
 * line: lines outside the groups are blanked and the first becomes `groups:`, so promtool's file:line
 * positions hold in the original file. Undefined for a file that is not resources (no `kind:`).
 */
export function extractPrometheusRules(file: string, text: string): string | undefined {
  const lineCounter = new LineCounter();
  const documents = parseAllDocuments(text, { lineCounter });
  if (!Array.isArray(documents)) return undefined;
  const kinds = documents.map((d) =>
    isMap(d.contents) ? (d.get('kind', true) as Scalar | undefined) : undefined,
  );
  if (!kinds.some((k) => k !== undefined)) return undefined;
  const at = (offset: number) => {
    const { line, col } = lineCounter.linePos(offset);
    return `${file}:${line}:${col}`;
  };
  const blocks: { first: number; last: number; indent: number }[] = [];
  documents.forEach((doc, i) => {
    if (doc.errors.length > 0)
      throw new UserError(
        `${at(doc.errors[0]!.pos[0])}: invalid YAML: ${doc.errors[0]!.message.split('\n')[0]}`,
      );
    const kind = doc.get('kind');
    const apiVersion = String(doc.get('apiVersion') ?? '');
    if (kind !== KIND || !apiVersion.startsWith(API_GROUP)) return;
    const groups = doc.getIn(['spec', 'groups'], true);
    if (!isSeq(groups) || !groups.range)
      throw new UserError(
        `${at(kinds[i]!.range?.[0] ?? 0)}: spec.groups: a PrometheusRule needs a list of rule groups`,
      );
    if (groups.items.length === 0) return;
    if (groups.flow)
      throw new UserError(
        `${at(groups.range[0])}: spec.groups: write the groups as a block list (- name: …), not [ … ]`,
      );
    const start = lineCounter.linePos(groups.range[0]);
    blocks.push({
      first: start.line,
      last: lineCounter.linePos(groups.range[1] - 1).line,
      indent: start.col - 1,
    });
  });
  if (blocks.length === 0) {
    const other = kinds.find((k) => k !== undefined && k !== null);
    const where = other?.range ? at(other.range[0]) : `${file}:1:1`;
    throw new UserError(
      `${where}: kind: no ${KIND} (${API_GROUP}v1) with rule groups in this file; --rules takes rule files (groups:) and ${KIND} resources`,
    );
  }
  const lines = text.split('\n');
  const out = lines.map(() => '');
  const indent = Math.min(...blocks.map((b) => b.indent));
  for (const { first, last, indent: own } of blocks)
    for (let n = first; n <= last; n++)
      out[n - 1] = lines[n - 1]!.slice(Math.min(own - indent, leading(lines[n - 1]!)));
  // The groups never start on the first line: apiVersion, kind and spec come before them.
  out[0] = 'groups:';
  return out.join('\n');
}

const leading = (line: string) => line.length - line.trimStart().length;

/** The rule file promtool and Prometheus read for `file`: itself, or its PrometheusRule groups extracted. */
export async function ruleFileFor(file: string): Promise<string> {
  const extracted = extractPrometheusRules(file, await readUserFile(file, 'rule file'));
  if (extracted === undefined) return file;
  if (outDir === undefined) {
    outDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-prometheus-rules-'));
    removeOnExit(outDir);
  }
  const generated = join(mkdtempSync(join(outDir, 'r-')), basename(file));
  await writeFile(generated, extracted);
  originals.set(generated, file);
  return generated;
}

/** The file the user gave for a rule file the sandbox read (the same path unless extracted). */
export function originalRuleFile(path: string): string {
  return originals.get(path) ?? path;
}

/** A message naming extracted rule files, naming the user's files instead (lines are the same). */
export function withOriginalRuleFiles(message: string): string {
  let text = message;
  for (const [generated, original] of originals) text = text.split(generated).join(original);
  return text;
}
