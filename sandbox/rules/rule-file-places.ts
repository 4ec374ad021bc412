import { isMap, isScalar, isSeq, LineCounter, parseDocument, type Node, type Pair } from 'yaml';

/** Where something sits in a rule file, and in which group and rule. */
export interface RulePlace {
  line: number;
  col: number;
  /** `group "g", rule 2, "B"` as promtool words it; '' outside a group. */
  context: string;
}

/** A duration field of a rule file, e.g. a rule's `for:` or a group's `interval:`. */
export interface DurationField {
  field: string;
  text: string;
  place: RulePlace;
}

const DURATION_FIELDS = new Set(['for', 'keep_firing_for', 'interval', 'query_offset']);

interface Entry {
  key: string;
  keyPlace: RulePlace;
  value: unknown;
}

function scalarText(node: unknown): string | undefined {
  return isScalar(node) && node.value !== null && typeof node.value !== 'object'
    ? String(node.value)
    : undefined;
}

/**
 * A rule file's YAML as written (the yaml library's CST ranges), to find what promtool only names by a
 * line, a group name or nothing at all: the line and column, the group and the rule. Tolerates any shape,
 * since it explains files promtool refused.
 */
export class RuleFilePlaces {
  private readonly entries: Entry[] = [];
  private readonly groupNames: { name: string; place: RulePlace }[] = [];
  private rules = 0;

  constructor(text: string) {
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: false });
    const placeOf = (node: Node | null | undefined, context: string): RulePlace | undefined => {
      if (!node?.range) return undefined;
      const { line, col } = lines.linePos(node.range[0]);
      return { line, col, context };
    };
    const walk = (node: unknown, context: string): void => {
      if (isMap(node)) {
        for (const pair of node.items) this.addPair(pair, placeOf(pair.key as Node, context), context, walk);
      } else if (isSeq(node)) {
        for (const item of node.items) walk(item, context);
      }
    };
    const top = document.contents;
    if (!isMap(top)) {
      walk(top, '');
      return;
    }
    for (const pair of top.items) {
      this.addPair(pair, placeOf(pair.key as Node, ''), '', () => undefined);
      if (scalarText(pair.key) !== 'groups' || !isSeq(pair.value)) walk(pair.value, '');
      else for (const group of pair.value.items) this.addGroup(group, placeOf, walk);
    }
  }

  private addGroup(
    group: unknown,
    placeOf: (node: Node | null | undefined, context: string) => RulePlace | undefined,
    walk: (node: unknown, context: string) => void,
  ): void {
    const name = isMap(group) ? (scalarText(group.get('name', true)) ?? '') : '';
    const groupContext = `group "${name}"`;
    if (isMap(group)) {
      const namePlace = placeOf(group.get('name', true) as Node, groupContext);
      if (namePlace) this.groupNames.push({ name, place: namePlace });
    }
    const rules = isMap(group) ? group.get('rules', true) : undefined;
    if (!isMap(group) || !isSeq(rules)) return walk(group, groupContext);
    for (const pair of group.items) {
      const isRules = scalarText(pair.key) === 'rules';
      this.addPair(
        pair,
        placeOf(pair.key as Node, groupContext),
        groupContext,
        isRules ? () => undefined : walk,
      );
    }
    rules.items.forEach((rule, r) => {
      this.rules++;
      const ruleName = isMap(rule) ? scalarText(rule.get('alert', true) ?? rule.get('record', true)) : '';
      walk(rule, `group "${name}", rule ${r + 1}${ruleName ? `, "${ruleName}"` : ''}`);
    });
  }

  private addPair(
    pair: Pair,
    keyPlace: RulePlace | undefined,
    context: string,
    walk: (node: unknown, context: string) => void,
  ): void {
    const key = scalarText(pair.key);
    if (key !== undefined && keyPlace) this.entries.push({ key, keyPlace, value: pair.value });
    walk(pair.value, context);
  }

  /** How many rules the file's groups hold. */
  ruleCount(): number {
    return this.rules;
  }

  /** The first key written on `line` (what Go's YAML decoder names by its line), if any. */
  atLine(line: number): RulePlace | undefined {
    const onLine = this.entries.filter((e) => e.keyPlace.line === line);
    return onLine.sort((a, b) => a.keyPlace.col - b.keyPlace.col)[0]?.keyPlace;
  }

  /** The name of the `occurrence`-th group (1: the first) called `name`. */
  groupName(name: string, occurrence: number): RulePlace | undefined {
    return this.groupNames.filter((g) => g.name === name)[occurrence - 1]?.place;
  }

  /** The first key of rule `index` (1: the first) of the group called `group`. */
  rule(group: string, index: number): RulePlace | undefined {
    const context = `group "${group}", rule ${index}`;
    return this.entries.find(
      (e) => e.keyPlace.context === context || e.keyPlace.context.startsWith(`${context}, `),
    )?.keyPlace;
  }

  /** Every `for:`, `keep_firing_for:`, `interval:` and `query_offset:` written as a scalar. */
  durations(): DurationField[] {
    return this.entries.flatMap((e) => {
      const text = DURATION_FIELDS.has(e.key) ? scalarText(e.value) : undefined;
      return text === undefined ? [] : [{ field: e.key, text, place: e.keyPlace }];
    });
  }
}

/** `file:line:col: group "g", rule 1, "A"` of a place. */
export function describePlace(file: string, place: RulePlace): string {
  return `${file}:${place.line}:${place.col}${place.context ? `: ${place.context}` : ''}`;
}
