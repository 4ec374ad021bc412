import { parseDuration } from '../../generators/model/duration.js';
import { describePlace, type RuleFilePlaces } from '../rules/rule-file-places.js';

/** Go's time.Duration ends at about 292 years (2^63 - 1 ns). */
const GO_MAX_DURATION_MS = 9_223_372_036_854;

/** One error promtool printed for a file: its first line and the indented lines under it. */
interface CheckError {
  file: string;
  lines: string[];
}

/** The errors of `promtool check rules` output, per file, in order, without the repeats promtool prints. */
export function checkErrors(output: string, ruleFiles: readonly string[]): CheckError[] {
  const errors: CheckError[] = [];
  let current: CheckError | undefined;
  for (const raw of output.split('\n')) {
    const file = ruleFiles.find((f) => raw.startsWith(`${f}: `));
    if (file !== undefined) {
      current = { file, lines: [raw.slice(file.length + 2).trim()] };
      errors.push(current);
    } else if (current && /^\s+\S/.test(raw) && !/^\s+(FAILED|SUCCESS)/.test(raw)) {
      current.lines.push(raw.trim());
    } else {
      current = undefined;
    }
  }
  // promtool checks strictly, then leniently: the second report repeats part of the first.
  return errors.filter(
    (e, i) =>
      !errors
        .slice(0, i)
        .some((earlier) => earlier.file === e.file && e.lines.every((line) => earlier.lines.includes(line))),
  );
}

const POSITION = /^(\d+):(\d+): (.*)$/;

function fallback(file: string, line: number): string {
  return `${file}:${line}:1`;
}

/** `line 6: cannot unmarshal ...` items of Go's YAML decoder, each at its file:line:col. */
function unmarshalItems(error: CheckError, places: RuleFilePlaces): string {
  const items = error.lines.slice(1).map((item, i) => {
    const match = /^line (\d+): (.*)$/.exec(item);
    if (!match) return item;
    const line = Number(match[1]);
    const place = places.atLine(line);
    const where = place ? describePlace(error.file, place) : fallback(error.file, line);
    return `${where}: ${i === 0 ? 'yaml: unmarshal errors: ' : ''}${match[2]}`;
  });
  return items.join('; ');
}

/** promtool's message, with the position it gives or one found in the file, on one line. */
function explain(error: CheckError, places: RuleFilePlaces | undefined): string {
  const { file } = error;
  const first = error.lines[0] ?? '';
  if (first === 'yaml: unmarshal errors:' && places) return unmarshalItems(error, places);
  // A position of 0:0 is none, and may come before the real one (`0:0: 6:16: group "g", rule 2, ...`).
  let rest = first;
  for (let located = POSITION.exec(rest); located; located = POSITION.exec(rest)) {
    if (located[1] !== '0') return `${file}:${located[1]}:${located[2]}: ${located[3]}`;
    rest = located[3]!;
  }
  const message = [rest, ...error.lines.slice(1)].join(' ');
  const repeated = /^groupname: "(.*)" is repeated in the same file$/.exec(message);
  const place = repeated
    ? places?.groupName(repeated[1]!, 2)
    : /^Groupname must not be empty$/i.test(message)
      ? places?.groupName('', 1)
      : undefined;
  if (place) return `${file}:${place.line}:${place.col}: ${message}`;
  if (message === 'duration out of range' && places) {
    const overflows = places.durations().filter((d) => (parseDuration(d.text) ?? 0) > GO_MAX_DURATION_MS);
    if (overflows.length > 0) {
      return overflows
        .map((d) => `${describePlace(file, d.place)}: ${d.field}: ${d.text}: duration out of range`)
        .join('; ');
    }
  }
  // A rule promtool names but does not place (a missing expr, a bad template): its first key.
  const rule = /^group "(.*)", rule (\d+)[,:]/.exec(message);
  const rulePlace = rule ? places?.rule(rule[1]!, Number(rule[2])) : undefined;
  if (rulePlace) return `${file}:${rulePlace.line}:${rulePlace.col}: ${message}`;
  // A duration promtool cannot read (`unknown unit "e" in duration "1e308s"`, `not a valid duration
  // string: "-1m"`), where it is written.
  const duration = /duration(?: string:)? "([^"]*)"/.exec(message);
  const written = duration ? places?.durations().find((d) => d.text === duration[1]) : undefined;
  if (written) return `${describePlace(file, written.place)}: ${written.field}: ${message}`;
  const yamlLine = /^yaml: line (\d+): (.*)$/.exec(message);
  if (yamlLine) {
    const line = Number(yamlLine[1]);
    const at = places?.atLine(line);
    return `${at ? describePlace(file, at) : fallback(file, line)}: yaml: ${yamlLine[2]}`;
  }
  return `${file}: ${message}`;
}

/**
 * What `promtool check rules` refused, as one line: every error it printed (its whole message), each at
 * file:line:col and naming the group and rule where promtool or the file's YAML tells where.
 */
export function explainCheckFailure(
  output: string,
  ruleFiles: readonly string[],
  placesOf: (file: string) => RuleFilePlaces | undefined,
): string | undefined {
  const errors = checkErrors(output, ruleFiles);
  if (errors.length === 0) return undefined;
  return errors.map((e) => explain(e, placesOf(e.file))).join('; ');
}
