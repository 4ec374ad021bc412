import type { LogLevel } from '../../../generators/model/types.js';
import type { LogFilter, LogLineView } from '../view-model.js';

const LEVEL_RANK: Record<LogLevel, number> = { debug: 0, info: 1, warn: 2, error: 3 };

/** Minimum levels the `v` key steps through; undefined is "all". */
const LEVEL_CYCLE: readonly (LogLevel | undefined)[] = [undefined, 'info', 'warn', 'error'];

function matchesFilter(line: LogLineView, filter: LogFilter): boolean {
  if (filter.job !== undefined && line.job !== filter.job) return false;
  return filter.level === undefined || LEVEL_RANK[line.level] >= LEVEL_RANK[filter.level];
}

/** The last `count` lines that pass the filter, oldest first, without filtering the whole buffer. */
export function lastMatching(logs: readonly LogLineView[], filter: LogFilter, count: number): LogLineView[] {
  const picked: LogLineView[] = [];
  for (let i = logs.length - 1; i >= 0 && picked.length < count; i--) {
    const line = logs[i]!;
    if (matchesFilter(line, filter)) picked.push(line);
  }
  return picked.reverse();
}

export function nextLevel(level: LogLevel | undefined): LogLevel | undefined {
  return LEVEL_CYCLE[(LEVEL_CYCLE.indexOf(level) + 1) % LEVEL_CYCLE.length];
}

/** The job after `job` among the jobs seen in the logs (sorted), then undefined ("all"). */
export function nextJob(logs: readonly LogLineView[], job: string | undefined): string | undefined {
  const jobs = [...new Set(logs.map((l) => l.job))].sort();
  if (job === undefined) return jobs[0];
  const at = jobs.indexOf(job);
  return at === -1 ? undefined : jobs[at + 1];
}
