import { UserError } from '../../generators/user-error.js';

/** A required binary could not be found or provisioned; the message is one line saying what to do. */
export class BinaryUnavailableError extends UserError {
  constructor(
    message: string,
    /** What to do, apart from what was tried (the end of the message), for views short of room. */
    readonly fix?: string,
  ) {
    super(oneLine(message));
    this.name = 'BinaryUnavailableError';
  }
}

/** A downloaded archive did not match its published checksum; never falls back to another source. */
export class ChecksumMismatchError extends BinaryUnavailableError {
  constructor(message: string) {
    super(message);
    this.name = 'ChecksumMismatchError';
  }
}

export function oneLine(text: string): string {
  return text.replace(/\s+/g, ' ').trim();
}

/** Short reason for an error in a list of attempts: its code when it has one (ENOTFOUND), else its text. */
export function reasonOf(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as NodeJS.ErrnoException).code;
    return oneLine(
      typeof code === 'string' && !error.message.includes(code) ? `${code}: ${error.message}` : error.message,
    );
  }
  return oneLine(String(error));
}
