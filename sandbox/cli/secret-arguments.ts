import { displayUrlText, redactUrlsIn } from '../../generators/outputs/display-url.js';

const HEADER = /^([!#$%&'*+.^_`|~0-9A-Za-z-]+)=/;

/**
 * What an error may show of an option's argument, or nothing (undefined). The arguments that may carry a
 * secret are known by their placeholder, whatever the command: a URL (a password, a token in its query),
 * a header (its value).
 */
export function shownArgument(flags: string, value: string): string | undefined {
  switch (/<([^>]+)>/.exec(flags)?.[1]) {
    case 'url':
      return displayUrlText(value);
    case 'name=value': {
      const name = HEADER.exec(value)?.[1];
      return name === undefined ? undefined : `${name}=(hidden)`;
    }
    default:
      return value;
  }
}

/**
 * One of commander's error lines with no secret in it: an invalid argument of an option that may carry
 * one shown as `shownArgument` says, the value typed after an unknown option's `=` left out, and any URL
 * without user, password or query.
 */
export function redactCommanderLine(line: string): string {
  return redactUrlsIn(
    line
      .replace(/^option '([^']+)' argument '(.*)' is invalid\./s, (_, flags: string, value: string) => {
        const shown = shownArgument(flags, value);
        return `option '${flags}' argument${shown === undefined ? '' : ` '${shown}'`} is invalid.`;
      })
      .replace(/^unknown option '(-[^'=]*)=[^']*'/s, "unknown option '$1=…'"),
  );
}
