import { describe, expect, it } from 'vitest';
import { runCliInProcess } from '../support/cli-in-process.js';

const LIST = '; run `sandbox faults` to list the knobs$';

describe('--knob checked against the catalogue before anything starts', () => {
  it.each([
    [
      ['--knob', 'receipt_rate'],
      /^sandbox: --knob "receipt_rate" has no value; write it as --knob receipt_rate=VALUE$/,
    ],
    [
      ['--knob', '=5'],
      /^sandbox: --knob "=5" names no knob; write it as --knob NAME=VALUE, e\.g\. --knob \w+=5$/,
    ],
    [
      ['--knob', 'receipt_rate='],
      new RegExp(
        `^sandbox: --knob receipt_rate=: receipt_rate must be a number from 0 to 1000 \\(receipts written per second, all scrolls\\)${LIST}`,
      ),
    ],
    [
      ['--knob', 'receipt_rate=1e9'],
      /^sandbox: --knob receipt_rate=1e9: receipt_rate must be a number from 0 to 1000 /,
    ],
    [['--knob', 'http_rate=-1'], /^sandbox: --knob http_rate=-1: http_rate must be a number from 0 to 5000 /],
    [['--knob', 'http_rate=abc'], /^sandbox: --knob http_rate=abc: http_rate must be a number/],
    [
      ['--knob', 'anchor_interval=0'],
      new RegExp(
        `^sandbox: --knob anchor_interval=0: anchor_interval must be a duration of at least 1s, e\\.g\\. 30s or 10m \\(time between anchor cycles\\)${LIST}`,
      ),
    ],
    [
      ['--knob', 'anchor_interval=600'],
      /^sandbox: --knob anchor_interval=600: anchor_interval must be a duration/,
    ],
    [
      ['--knob', 'reciept_rate=5'],
      new RegExp(
        `^sandbox: --knob reciept_rate: unknown traffic knob \\(did you mean receipt_rate\\?\\)${LIST}`,
      ),
    ],
    [['--knob', '__proto__=1'], /^sandbox: --knob __proto__: unknown traffic knob/],
  ])('generate %j', async (args, message) => {
    const { code, stderr } = await runCliInProcess(['generate', ...args]);
    expect(stderr.trim().split('\n')).toHaveLength(1);
    expect(stderr.trim()).toMatch(message);
    expect(code).toBe(2);
  });
});
