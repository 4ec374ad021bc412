import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readUserDashboards } from '../../../sandbox/stack/dashboards/user-dashboards.js';

describe('--dashboards DIR', () => {
  let dir: string;
  const write = (name: string, content: string) => writeFileSync(join(dir, name), content);
  afterEach(() => rmSync(dir, { recursive: true, force: true }));

  it('reads every dashboard JSON file in the directory', async () => {
    dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-dash-'));
    write('b.json', JSON.stringify({ title: 'B', panels: [] }));
    write('a.json', JSON.stringify({ title: 'A', panels: [{ type: 'stat' }] }));
    write('notes.txt', 'ignored');
    expect((await readUserDashboards(dir)).map((d) => d.name)).toEqual(['a.json', 'b.json']);
  });

  it('points at the line and column of invalid JSON', async () => {
    dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-dash-'));
    write('broken.json', '{\n  "title": "X",\n  "panels": [,]\n}\n');
    await expect(readUserDashboards(dir)).rejects.toThrow(
      /broken\.json:3:14: invalid JSON \(Unexpected token/,
    );
  });

  it('says what is missing from a file that is not a dashboard, and when there is nothing to load', async () => {
    dir = mkdtempSync(join(tmpdir(), 'obs-sandbox-dash-'));
    await expect(readUserDashboards(dir)).rejects.toThrow(
      /no \.json dashboards in .*; export them from Grafana/,
    );
    write('list.json', '[1, 2]');
    await expect(readUserDashboards(dir)).rejects.toThrow(
      /list\.json: not a Grafana dashboard \(needs a "title"/,
    );
    await expect(readUserDashboards(join(dir, 'nope'))).rejects.toThrow(/is not a directory/);
  });
});
