import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli-in-process.js';

// Each bad flag: exit 2 and exactly one stderr line saying what is wrong and how to fix it.
describe('flag values', () => {
  it.each([
    [
      ['generate', '--port', ''],
      /^sandbox: option '--port <n>' argument '' is invalid\. must be a port number from 0 to 65535/,
    ],
    [['generate', '--port', '65536'], /argument '65536' is invalid\. must be a port number from 0 to 65535/],
    [['generate', '--port', '1e3'], /argument '1e3' is invalid\. must be a port number/],
    [['generate', '--webhook-port', ' '], /argument ' ' is invalid\. must be a port number/],
    [
      ['generate', '--seed', '99999999999999999999999'],
      /argument '99999999999999999999999' is invalid\. is past the safe integers: an integer seed must be from -9007199254740991 to 9007199254740991; give a smaller one or a word, e\.g\. run-7$/,
    ],
    [['start', '--seed', ''], /^sandbox: option '--seed <n>' argument '' is invalid\. must not be empty/],
    [
      ['generate', '--speed', '1e308'],
      /argument '1e308' is invalid\. must be a number greater than 0 and at most 10000, e\.g\. 60$/,
    ],
    [
      ['generate', '--speed', '0'],
      /argument '0' is invalid\. must be a number greater than 0 and at most 10000/,
    ],
    [['generate', '--speed', ''], /argument '' is invalid\. must be a number greater than 0/],
    [
      ['generate', '--rate-scale', '1001'],
      /argument '1001' is invalid\. must be a number greater than 0 and at most 1000/,
    ],
    [['start', '--history', '2d'], /argument '2d' is invalid\. must be a duration up to 1d/],
  ])('%j', async (args, message) => {
    const { code, stderr } = await runCliInProcess(args);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
    expect(code).toBe(2);
  });
});
