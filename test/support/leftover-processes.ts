import { readdirSync, readFileSync } from 'node:fs';

export interface LeftoverProcess {
  pid: number;
  command: string;
}

function read(path: string): string | undefined {
  try {
    return readFileSync(path, 'utf8');
  } catch {
    return undefined;
  }
}

/** Processes whose environment carries `name=value`: everything a test run started, however deep. */
export function processesMarked(name: string, value: string, except: readonly number[]): LeftoverProcess[] {
  const wanted = `${name}=${value}`;
  const found: LeftoverProcess[] = [];
  for (const entry of readdirSync('/proc')) {
    const pid = Number(entry);
    if (!Number.isInteger(pid) || except.includes(pid)) continue;
    const environ = read(`/proc/${pid}/environ`);
    if (!environ?.split('\0').includes(wanted)) continue;
    const stat = read(`/proc/${pid}/stat`) ?? '';
    // A zombie has already exited; its parent (gone with the suite) merely has not reaped it.
    if (/\) Z /.test(stat)) continue;
    const command = (read(`/proc/${pid}/cmdline`) ?? '').split('\0').join(' ').trim();
    // tmux's server outlives its sessions for a moment and may be shared with the user's own sessions.
    if (/^tmux\b/.test(command)) continue;
    found.push({ pid, command });
  }
  return found;
}
