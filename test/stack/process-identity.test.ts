import { spawn } from 'node:child_process';
import { copyFileSync, mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { identityMismatch, readProcessIdentity } from '../../sandbox/stack/process-identity.js';

describe('readProcessIdentity', () => {
  it('reads this process: its start time after boot, the boot time and its command line', () => {
    const me = readProcessIdentity(process.pid)!;
    expect(me.startTicks).toBeGreaterThan(0);
    expect(me.bootTime).toBeGreaterThan(1_500_000_000);
    expect(me.bootTime).toBeLessThan(Date.now() / 1000);
    expect(me.cmdline).toEqual(process.argv.slice(0, 1).concat(me.cmdline.slice(1)));
    expect(identityMismatch(me)).toBeUndefined();
  });

  it('counts field 22 from the end of a command name with spaces and parentheses', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-identity-'));
    const odd = join(dir, 'a) b (c');
    copyFileSync('/bin/sleep', odd);
    const child = spawn(odd, ['30'], { stdio: 'ignore' });
    try {
      await new Promise((r) => child.once('spawn', r));
      const expected = readProcessIdentity(process.pid)!.startTicks;
      const identity = readProcessIdentity(child.pid!)!;
      // Started after this process, within a minute (ticks are usually 100 a second).
      expect(identity.startTicks).toBeGreaterThanOrEqual(expected);
      expect(identityMismatch(identity)).toBeUndefined();
      expect(identityMismatch({ ...identity, startTicks: identity.startTicks + 1 })).toMatch(
        /started at another time/,
      );
    } finally {
      child.kill('SIGKILL');
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('records URLs in the command line without their user, password or query, and still knows the process', async () => {
    const urls = [
      'http://bob:s3cret@h.example/w?token=k3y',
      '--loki=https://bob:s3cret@l.example/?token=k3y',
    ];
    const child = spawn(process.execPath, ['-e', 'setTimeout(() => {}, 30000)', ...urls], {
      stdio: 'ignore',
    });
    try {
      // Between fork and exec the command line is still this process' own.
      let identity = readProcessIdentity(child.pid!);
      for (let i = 0; i < 100 && identity?.cmdline[0] !== process.execPath; i++) {
        await new Promise((r) => setTimeout(r, 50));
        identity = readProcessIdentity(child.pid!);
      }
      expect(identity!.cmdline.slice(3)).toEqual(['http://h.example/w', '--loki=https://l.example/']);
      expect(identityMismatch(identity!)).toBeUndefined();
    } finally {
      child.kill('SIGKILL');
    }
  });

  it('says when the process is gone', async () => {
    const child = spawn('true');
    await new Promise((r) => child.once('exit', r));
    expect(readProcessIdentity(child.pid!)).toBeUndefined();
    expect(identityMismatch({ pid: child.pid!, startTicks: 1, bootTime: 1, cmdline: ['true'] })).toBe(
      `no process ${child.pid} any more`,
    );
  });
});
