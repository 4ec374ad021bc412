import { readFileSync } from 'node:fs';
import { displayUrl } from '../../generators/outputs/display-url.js';

/**
 * What tells a process apart from a later one that got the same pid: when it started (clock ticks after
 * boot, /proc/<pid>/stat field 22, with the boot time: ticks restart at each boot) and its command line
 * (URLs without their user, password or query: the state file must hold no secret a push URL carried).
 */
export interface ProcessIdentity {
  pid: number;
  startTicks: number;
  bootTime: number;
  cmdline: string[];
}

function bootTime(): number | undefined {
  try {
    const line = readFileSync('/proc/stat', 'utf8')
      .split('\n')
      .find((l) => l.startsWith('btime '));
    return line ? Number(line.slice(6)) : undefined;
  } catch {
    return undefined;
  }
}

/** Field 22 of /proc/<pid>/stat; the command name (field 2) may hold spaces and parentheses, so count from its end. */
function startTicks(pid: number): number | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields[0] is field 3 (state): field 22 is fields[19].
    const ticks = Number(fields[19]);
    return Number.isFinite(ticks) ? ticks : undefined;
  } catch {
    return undefined;
  }
}

/** An argument that is a URL (`URL` or `--flag=URL`) as it may be shown; any other as it is. */
function shownArg(arg: string): string {
  const url = /^(--[\w-]+=)?(https?:\/\/.*)$/i.exec(arg);
  return url ? `${url[1] ?? ''}${displayUrl(url[2]!)}` : arg;
}

function cmdline(pid: number): string[] | undefined {
  try {
    return readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').slice(0, -1).map(shownArg);
  } catch {
    return undefined;
  }
}

/** The process' identity now, or undefined when there is no such process (or no /proc). */
export function readProcessIdentity(pid: number): ProcessIdentity | undefined {
  const ticks = startTicks(pid);
  const boot = bootTime();
  const args = cmdline(pid);
  if (ticks === undefined || boot === undefined || args === undefined) return undefined;
  return { pid, startTicks: ticks, bootTime: boot, cmdline: args };
}

/**
 * Why the process now under the recorded pid is not the recorded one (gone, started at another time, or
 * running another command), or undefined when it is the same process.
 */
export function identityMismatch(recorded: ProcessIdentity): string | undefined {
  const now = readProcessIdentity(recorded.pid);
  if (!now) return `no process ${recorded.pid} any more`;
  if (now.bootTime !== recorded.bootTime || now.startTicks !== recorded.startTicks)
    return `pid ${recorded.pid} now belongs to a process started at another time (${now.cmdline.join(' ').slice(0, 80)})`;
  if (now.cmdline.join('\0') !== recorded.cmdline.join('\0'))
    return `pid ${recorded.pid} now runs another command (${now.cmdline.join(' ').slice(0, 80)})`;
  return undefined;
}
