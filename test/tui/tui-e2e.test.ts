import { mkdtempSync, readdirSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { FaultCatalogue } from '../../generators/model/faults/fault-catalogue.js';
import { defaultSystems } from '../../generators/systems/index.js';
import { faultViews } from '../../sandbox/session/fault-views.js';
import { requireBinaries } from '../support/binaries.js';
import { requireTmux } from '../support/tmux.js';
import { TmuxTerminal } from '../support/tmux.js';
import { processesUsing } from '../support/processes.js';

const tmux = requireTmux();
const bins = tmux.available ? await requireBinaries(['prometheus', 'alertmanager']) : { available: false };

describe.skipIf(!tmux.available || !bins.available)('sandbox start in a real terminal (tmux)', () => {
  it('comes up, runs a scenario live, toggles a fault, and on q tears everything down', async () => {
    const stateDir = mkdtempSync(join(tmpdir(), 'obs-sandbox-tui-'));
    const catalogue = new FaultCatalogue(defaultSystems().flatMap((s) => s.faults));
    const latencyKey = faultViews(catalogue.list(), []).find((f) => f.name === 'portal_latency')!.key;
    const terminal = TmuxTerminal.start(
      [
        'start',
        '--runtime',
        'native',
        '--port',
        '0',
        '--port-offset',
        '3000',
        '--interval',
        '1s',
        // The scenario's alerts look at seconds of live samples (rate > 0): no history to simulate first.
        '--history',
        '0',
        '--for-scale',
        '0.1',
        '--rules',
        'test/fixtures/live/rules.yaml',
        '--scenario',
        'test/fixtures/live/tui-quick.yaml',
      ],
      { OBS_SANDBOX_STATE_DIR: stateDir },
    );
    try {
      const ready = await terminal.waitFor(/Traffic[\s\S]*receipts\s+\d+\.\d \/s/, 60_000);
      expect(ready).toMatch(/prometheus/);
      expect(ready).toMatch(/alertmanager/);
      expect(ready).toMatch(/❯ .*tui-quick/);
      for (const line of ready.split('\n')) expect(line.length).toBeLessThanOrEqual(100);

      await terminal.press('Enter');
      const running = await terminal.waitFor(/Half the receipt writes fail now/, 20_000);
      expect(running).toMatch(/tui-quick .*running.*for-scale 0\.1/);

      await terminal.press('Tab', latencyKey);
      await terminal.waitFor(/● portal_latency/, 10_000);

      await terminal.press('s');
      const finished = await terminal.waitFor(/tui-quick ✔ passed/, 60_000);
      expect(finished).toMatch(/✔ PortalWritesFailing fires within 15s after fault/);
      expect(finished).toMatch(/● firing\s+critical\s+(PortalWritesFailing|ReceiptWriteFailure)/);

      await terminal.press('q');
      const closed = await terminal.waitFor(/\[exit 0\]/, 30_000);
      expect(closed).toMatch(/stopping the stack/);
      expect(closed).toMatch(/removing data/);
      expect(processesUsing(stateDir, ['tmux new-session'])).toEqual([]);
      expect(readdirSync(stateDir).filter((f) => f.startsWith('run-') || f === 'state.json')).toEqual([]);
    } finally {
      terminal.kill();
      rmSync(stateDir, { recursive: true, force: true });
    }
  }, 180_000);
});
