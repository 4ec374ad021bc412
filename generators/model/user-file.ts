import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { UserError } from '../user-error.js';

/** A scenario, rule, system, project, Alertmanager or dashboard file larger than this is refused unread. */
export const MAX_USER_FILE_BYTES = 1_048_576;

/**
 * Reads a file the user named as UTF-8 text: only a regular file (never a FIFO, a device or a directory,
 * which could block or never end), at most MAX_USER_FILE_BYTES, strictly valid UTF-8 and without NUL
 * bytes (a replaced byte would silently never match a label value). `kind` names the file in errors
 * ("scenario file") and `fix` says what to do about a path that cannot be opened; every error is one line
 * saying what is wrong and how to fix it.
 */
export async function readUserFile(file: string, kind: string, fix = 'check the path'): Promise<string> {
  // O_NONBLOCK: opening a FIFO nobody writes to would otherwise wait forever before stat() can refuse it.
  const handle = await open(file, constants.O_RDONLY | constants.O_NONBLOCK).catch((error: unknown) => {
    const code = (error as NodeJS.ErrnoException).code;
    const why = code === 'ENOENT' ? ' (it does not exist)' : code === 'EACCES' ? ' (permission denied)' : '';
    throw new UserError(`${kind} ${file} cannot be read; ${fix}${why}`);
  });
  try {
    const info = await handle.stat();
    if (info.isDirectory())
      throw new UserError(`${kind} ${file} is not a regular file but a directory; give a file`);
    if (!info.isFile()) {
      throw new UserError(
        `${kind} ${file} is not a regular file (a device, FIFO or socket) and is not read; give a file`,
      );
    }
    if (info.size > MAX_USER_FILE_BYTES) {
      throw new UserError(
        `${kind} ${file} is ${info.size} bytes; the limit is ${MAX_USER_FILE_BYTES} (1 MiB): split it`,
      );
    }
    return decodeUserText(file, kind, await handle.readFile());
  } finally {
    await handle.close();
  }
}

/** Strict UTF-8 without NUL bytes, else a UserError naming the first bad byte's line and column. */
export function decodeUserText(file: string, kind: string, bytes: Uint8Array): string {
  let text: string;
  try {
    text = new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    throw new UserError(
      `${file}:${firstInvalidByte(bytes)}: ${kind} is not valid UTF-8 text; save it as UTF-8 (and without binary data)`,
    );
  }
  const nul = text.indexOf('\u0000');
  if (nul >= 0) {
    const lines = text.slice(0, nul).split('\n');
    throw new UserError(
      `${file}:${lines.length}:${lines.at(-1)!.length + 1}: ${kind} contains NUL bytes; it must be text`,
    );
  }
  return text;
}

/** `line:column` of the first byte that is not UTF-8: fed one byte at a time, the decoder throws on it. */
function firstInvalidByte(bytes: Uint8Array): string {
  const decoder = new TextDecoder('utf-8', { fatal: true });
  let line = 1;
  let column = 1;
  for (const byte of bytes) {
    let decoded: string;
    try {
      decoded = decoder.decode(Uint8Array.of(byte), { stream: true });
    } catch {
      break;
    }
    for (const char of decoded) {
      if (char === '\n') {
        line++;
        column = 1;
      } else column++;
    }
  }
  return `${line}:${column}`;
}
