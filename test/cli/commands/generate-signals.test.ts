import { once } from 'node:events';
import { describe, expect, it } from 'vitest';
import { startCli } from '../../support/cli.js';

describe('sandbox generate, at the highest speed and rates', () => {
  it.each(['SIGINT', 'SIGTERM'] as const)(
    'stops within 2 s of %s, though the model cannot keep up with the clock',
    async (signal) => {
      const cli = startCli(['generate', '--port', '0', '--speed', '10000', '--knob', 'receipt_rate=1000']);
      await cli.firstLine;
      // 10,000 s of traffic per wall second is far more than the model can run: it lags behind.
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      expect(cli.child.exitCode, cli.stderr()).toBeNull();
      const sent = performance.now();
      const exited = once(cli.child, 'exit');
      cli.child.kill(signal);
      const [code] = (await exited) as [number | null];
      expect(performance.now() - sent).toBeLessThan(2_000);
      expect(code).toBe(0);
    },
    60_000,
  );
});
