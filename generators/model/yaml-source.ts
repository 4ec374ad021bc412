import { isNode, LineCounter, parseDocument, visit, type Document } from 'yaml';
import { UserError } from '../user-error.js';

/** Aliases (`*name`) a file may expand, as the yaml library counts them: a YAML alias bomb stops here. */
export const MAX_YAML_ALIASES = 100;

/** A parsed YAML file that can say where a value came from (file:line:column). */
export class YamlSource {
  private constructor(
    readonly file: string,
    readonly document: Document,
    private readonly lines: LineCounter,
  ) {}

  /** Parses YAML; a syntax error becomes `file:line:col: message`. */
  static parse(file: string, text: string): { source: YamlSource } | { error: string } {
    const lines = new LineCounter();
    const document = parseDocument(text, { lineCounter: lines, prettyErrors: false, uniqueKeys: true });
    const problem = document.errors[0];
    if (problem) {
      const pos = lines.linePos(problem.pos[0]);
      const message = problem.message.split('\n')[0]!.replace(/ at line \d+, column \d+.*$/, '');
      return { error: `${file}:${pos.line}:${pos.col}: invalid YAML: ${message}` };
    }
    return { source: new YamlSource(file, document, lines) };
  }

  /** `file:line:col` of the value at `path`, or of its closest ancestor that exists. */
  position(path: readonly PropertyKey[]): string {
    for (let depth = path.length; depth >= 0; depth--) {
      const node = this.document.getIn(path.slice(0, depth) as unknown[], true);
      if (isNode(node) && node.range) {
        const pos = this.lines.linePos(node.range[0]);
        return `${this.file}:${pos.line}:${pos.col}`;
      }
    }
    return `${this.file}:1:1`;
  }

  /** The position of a key in a map (for unknown keys), falling back to the map itself. */
  keyPosition(path: readonly PropertyKey[], key: string): string {
    const map = this.document.getIn(path as unknown[], true) as { items?: { key: unknown }[] } | undefined;
    const pair = map?.items?.find(
      (item) => isNode(item.key) && (item.key as { value?: unknown }).value === key,
    );
    if (pair && isNode(pair.key) && pair.key.range) {
      const pos = this.lines.linePos(pair.key.range[0]);
      return `${this.file}:${pos.line}:${pos.col}`;
    }
    return this.position(path);
  }

  /** `file:line:col` of the first alias (`*name`), where an alias bomb starts going off. */
  private firstAlias(): string {
    let at: number | undefined;
    visit(this.document, {
      Alias: (_, node) => {
        at = node.range?.[0];
        return visit.BREAK;
      },
    });
    if (at === undefined) return this.file;
    const pos = this.lines.linePos(at);
    return `${this.file}:${pos.line}:${pos.col}`;
  }

  /** The document as plain values; a file expanding more aliases than MAX_YAML_ALIASES is refused. */
  toJS(): unknown {
    try {
      return this.document.toJS({ maxAliasCount: MAX_YAML_ALIASES });
    } catch (error) {
      if (!(error instanceof ReferenceError)) throw error;
      throw new UserError(
        `${this.firstAlias()}: YAML aliases expand too far (more than ${MAX_YAML_ALIASES}); write the values out instead of nesting aliases`,
      );
    }
  }
}

/** `steps[2].fault` from a path. */
export function fieldPath(path: readonly PropertyKey[]): string {
  return path
    .map((p, i) => (typeof p === 'number' ? `[${p}]` : `${i === 0 ? '' : '.'}${String(p)}`))
    .join('');
}
