import { describe, expect, it } from 'vitest';
import { isLoopbackAddress, listenAddresses } from '../../sandbox/cli/listen-addresses.js';
import { runCliInProcess } from '../support/cli-in-process.js';

describe('--bind', () => {
  it('tells loopback from the rest', () => {
    expect(['127.0.0.1', '127.5.6.7', '::1', 'localhost'].map(isLoopbackAddress)).toEqual([
      true,
      true,
      true,
      true,
    ]);
    expect(['0.0.0.0', '::', '10.0.0.1', '128.0.0.1'].map(isLoopbackAddress)).toEqual([
      false,
      false,
      false,
      false,
    ]);
    expect(listenAddresses(' 127.0.0.1, ::1 ', false)).toEqual(['127.0.0.1', '::1']);
    expect(listenAddresses('0.0.0.0', true)).toEqual(['0.0.0.0']);
  });

  it.each([
    [
      ['--bind', '0.0.0.0'],
      /^sandbox: --bind 0\.0\.0\.0 is not loopback: other machines could reach the generators; add --allow-remote if that is what you want$/,
    ],
    [['--bind', '127.0.0.1,10.1.2.3'], /^sandbox: --bind 10\.1\.2\.3 is not loopback: .*--allow-remote/],
    [
      ['--bind', 'example.com', '--allow-remote'],
      /^sandbox: --bind "example\.com" is not an IP address; give IPv4 or IPv6 addresses/,
    ],
    [['--bind', '[::1]'], /^sandbox: --bind "\[::1\]" is not an IP address/],
    [['--bind', ' , '], /^sandbox: --bind names no address; give e\.g\. --bind 127\.0\.0\.1$/],
  ])('generate %j', async (args, message) => {
    const { code, stderr } = await runCliInProcess(['generate', ...args]);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
    expect(code).toBe(2);
  });
});
