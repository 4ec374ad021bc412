import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { TYPESCRIPT_SYSTEMS } from '../../generators/systems/index.js';
import { describe, expect, it } from 'vitest';
import { defaultSystems, jobsOf } from '../../generators/systems/index.js';
import { loadProjectFile, parseProjectFile } from '../../sandbox/systems/project-file.js';
import { runningSystemProblem, scenarioSystems } from '../../sandbox/systems/scenario-systems.js';
import { loadSystemCatalogue, SystemCatalogue } from '../../sandbox/systems/system-catalogue.js';
import { bundledSystemNames, systemTarget } from '../../sandbox/systems/system-refs.js';

// Loading `tiny` goes through loadSystem (generators/declared): the system file compiler.
const FIXTURES = resolve('test/fixtures/catalogue');
const TINY_DIR = join(FIXTURES, 'systems');
const TINY = join(TINY_DIR, 'tiny.system.yaml');

const project = (text: string, dir = FIXTURES) => parseProjectFile(join(dir, 'obs-sandbox.yaml'), text);

describe('the default system catalogue', () => {
  it('is VaultMesh and ZKP with platform last, as defaultSystems()', async () => {
    const catalogue = await loadSystemCatalogue();
    expect(catalogue.names).toEqual(['vaultmesh', 'zkp']);
    expect(catalogue.systems.map((s) => s.name)).toEqual(defaultSystems().map((s) => s.name));
    expect(catalogue.jobs).toEqual(jobsOf(defaultSystems()));
    expect(catalogue.faults.names()).toEqual(SystemCatalogue.defaults().faults.names());
    expect(catalogue.faults.names()).toContain('service_down');
  });

  it('brings the bundled rules and seed dashboards of its systems', () => {
    const catalogue = SystemCatalogue.defaults();
    expect(catalogue.ruleFiles.map((f) => f.split('/').pop())).toEqual([
      'vaultmesh-alerts.yaml',
      'zkp-alerts.yaml',
    ]);
    expect(catalogue.dashboardFiles.map((f) => f.split('/').pop())).toEqual([
      'vaultmesh-overview.json',
      'vaultmesh-guardian.json',
    ]);
  });
});

describe('system references', () => {
  it('are bundled names (TypeScript and generators/systems/<name>/<name>.system.yaml), files or directories', () => {
    expect(bundledSystemNames()).toEqual(expect.arrayContaining(['vaultmesh', 'zkp']));
    expect(systemTarget('vaultmesh', '/')).toEqual({ kind: 'typescript', name: 'vaultmesh' });
    expect(systemTarget('systems', FIXTURES)).toEqual({ kind: 'files', files: [TINY] });
    expect(systemTarget('./systems/tiny.system.yaml', FIXTURES)).toEqual({ kind: 'files', files: [TINY] });
  });

  it.each([
    [
      'a misspelt name',
      'vaultmsh',
      /^no bundled system named "vaultmsh" \(did you mean vaultmesh\?\); bundled: /,
    ],
    ['a missing file', './nope.system.yaml', /^system file \.\/nope\.system\.yaml does not exist; /],
    ['a directory without system files', 'scenarios', /^no \*\.system\.yaml files in scenarios$/],
  ])('report %s in one line', async (_what, ref, message) => {
    await expect(loadSystemCatalogue({ systems: [ref], baseDir: FIXTURES })).rejects.toThrow(message);
  });

  it('--system adds to the default set; a system named twice counts once', async () => {
    const catalogue = await loadSystemCatalogue({ systems: [TINY_DIR, TINY, 'zkp'] });
    expect(catalogue.names).toEqual(['vaultmesh', 'zkp', 'tiny']);
    expect(catalogue.faults.names()).toEqual(expect.arrayContaining(['tiny_errors', 'anchor_stall']));
    expect(catalogue.knobs).toHaveProperty('tiny_rate');
    expect(catalogue.ruleFiles.at(-1)).toBe(join(TINY_DIR, 'tiny-alerts.yaml'));
    // service_down spans the final list.
    const params = catalogue.faults.get('service_down').params.service;
    expect(params).toMatchObject({ values: expect.arrayContaining(['portal', 'zkp', 'api']) });
    expect(catalogue.headlines).toEqual([
      expect.objectContaining({ system: 'tiny', label: 'tiny_requests_total', unit: '/s' }),
    ]);
  });

  it('refuses two systems that define the same fault', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'catalogue-'));
    const clash = readFileSync(TINY, 'utf8')
      .replaceAll('tiny_errors', 'node_down')
      .replace(/^rules:.*$/m, '');
    writeFileSync(join(dir, 'clash.system.yaml'), clash);
    try {
      await expect(loadSystemCatalogue({ systems: [dir] })).rejects.toThrow(
        /^\/.*clash\.system\.yaml:\d+:\d+: fault node_down of system tiny \(.*clash\.system\.yaml\) is already defined by vaultmesh; rename it, or load only one of the systems$/,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('the project file', () => {
  it('replaces the default set with its systems (relative to the file); --system still adds', async () => {
    const file = await loadProjectFile(join(FIXTURES, 'obs-sandbox.yaml'));
    expect(file).toMatchObject({ seed: 7, scenarios: [join(FIXTURES, 'scenarios')], rules: [] });
    expect((await loadSystemCatalogue({ project: file })).names).toEqual(['tiny']);
    expect((await loadSystemCatalogue({ project: file, systems: ['zkp'] })).names).toEqual(['tiny', 'zkp']);
    expect((await loadSystemCatalogue({ project: project('seed: 3\n') })).names).toEqual([
      'vaultmesh',
      'zkp',
    ]);
  });

  it('is read from the working directory only when there is one; --config must exist', async () => {
    expect(await loadProjectFile(undefined, tmpdir())).toBeUndefined();
    expect((await loadProjectFile(undefined, FIXTURES))?.file).toBe(join(FIXTURES, 'obs-sandbox.yaml'));
    await expect(loadProjectFile('nope/obs-sandbox.yaml')).rejects.toThrow(
      'project file nope/obs-sandbox.yaml cannot be read; check the path given to --config',
    );
  });

  it.each([
    ['an unknown field', 'sytems: [tiny]\n', '1:1: sytems: unknown field; remove it or check its spelling'],
    ['a wrong type', 'systems: vaultmesh\n', '1:10: systems: Invalid input: expected array, received string'],
    ['a missing path', 'rules:\n  - ./rulez\n', '2:5: rules[0]: ./rulez does not exist'],
    ['invalid YAML', 'systems: [vaultmesh\n', '2:1: invalid YAML: '],
  ])('reports %s as file:line:col: field: message', (_what, text, message) => {
    expect(() => project(text)).toThrow(`${join(FIXTURES, 'obs-sandbox.yaml')}:${message}`);
  });

  it('reports a misspelt system where it is written, with a suggestion', async () => {
    const file = project('seed: 1\nsystems:\n  - vaultmesh\n  - zkpp\n');
    await expect(loadSystemCatalogue({ project: file })).rejects.toThrow(
      `${join(FIXTURES, 'obs-sandbox.yaml')}:4:5: systems[1]: no bundled system named "zkpp" (did you mean zkp?)`,
    );
  });
});

describe("a scenario's systems", () => {
  it('are loaded relative to the scenario file, for that scenario only', async () => {
    const file = join(FIXTURES, 'scenarios', 'tiny-errors.yaml');
    const named = await scenarioSystems(file);
    expect(named.map((s) => s.name)).toEqual(['tiny']);
    const base = SystemCatalogue.defaults();
    expect(base.forScenario(named).names).toEqual(['tiny']);
    expect(base.names).toEqual(['vaultmesh', 'zkp']);
    expect(base.forScenario([])).toBe(base);
  });

  it('are all a scenario simulates, whatever the command loads', async () => {
    const named = await scenarioSystems(join(FIXTURES, 'scenarios', 'tiny-errors.yaml'));
    const chosen = await loadSystemCatalogue({ systems: ['lexecon'] });
    expect(chosen.names).toEqual(['vaultmesh', 'zkp', 'lexecon']);
    expect(chosen.forScenario(named).names).toEqual(['tiny']);
    expect(chosen.forScenario([TYPESCRIPT_SYSTEMS.zkp!]).names).toEqual(['zkp']);
  });

  it('report a misspelt one with file:line:col', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'scenario-'));
    writeFileSync(join(dir, 's.yaml'), 'name: s\ndescription: d\nsystems: [vaultmesh, tinyy]\n');
    try {
      await expect(scenarioSystems(join(dir, 's.yaml'))).rejects.toThrow(
        `${join(dir, 's.yaml')}:3:22: systems[1]: no bundled system named "tinyy"`,
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('a running sandbox', () => {
  it("refuses a scenario's system it does not simulate, saying how to start it", () => {
    const scenario = join(FIXTURES, 'scenarios', 'tiny-errors.yaml');
    const problem = runningSystemProblem(SystemCatalogue.defaults());
    expect(problem('zkp', scenario)).toBeUndefined();
    expect(problem('../systems/tiny.system.yaml', scenario)).toBe(
      `the running sandbox does not simulate ../systems/tiny.system.yaml; stop it and start it with \`sandbox start --system ${TINY}\``,
    );
    expect(problem('tinyy', scenario)).toMatch(/^no bundled system named "tinyy"/);
  });
});
