import { TYPESCRIPT_SYSTEMS } from '../../generators/systems/index.js';
import { targetsOf } from '../../generators/systems/targets.js';
import { UserError } from '../../generators/user-error.js';
import { collectRuleFiles } from '../rules/rule-files.js';
import { bundledDashboards } from '../stack/dashboards/bundled.js';
import { readUserDashboards } from '../stack/dashboards/user-dashboards.js';
import type { ProjectFile } from '../systems/project-file.js';
import { SystemCatalogue } from '../systems/system-catalogue.js';
import { bundledSystemFiles, bundledSystemNames } from '../systems/system-refs.js';

/** What the manifests carry from the project: the systems by name, the rule files, the dashboards. */
export interface K8sSources {
  /** Bundled system names: the image has these and no others. */
  systems: string[];
  seed?: number | string;
  /** The job of each scrape target a generator serves, in port order. */
  jobs: string[];
  ruleFiles: string[];
  /** Dashboard file name → its JSON text. */
  dashboards: Record<string, string>;
}

function bundledNames(catalogue: SystemCatalogue): string[] {
  const bundled = bundledSystemFiles();
  return catalogue.names.map((name) => {
    const source = catalogue.find(name)?.source;
    if (name in TYPESCRIPT_SYSTEMS || !source || bundled.get(name) === source) return name;
    throw new UserError(
      `system ${name} comes from ${source}, which the generators' image does not hold; sandbox k8s renders bundled systems only (${bundledSystemNames().join(', ')})`,
    );
  });
}

/** The systems, rules (bundled unless the project leaves them out, then its own) and dashboards. */
export async function loadK8sSources(
  catalogue = SystemCatalogue.defaults(),
  project?: ProjectFile,
): Promise<K8sSources> {
  const bundledRules = project?.bundledRules === false ? [] : catalogue.ruleFiles;
  const dashboards: Record<string, string> = {};
  for (const [name, dashboard] of Object.entries(bundledDashboards(catalogue.systems)))
    dashboards[name] = `${JSON.stringify(dashboard, null, 2)}\n`;
  for (const { name, content } of project?.dashboards ? await readUserDashboards(project.dashboards) : [])
    dashboards[name] = content;
  return {
    systems: bundledNames(catalogue),
    seed: project?.seed,
    jobs: targetsOf(catalogue.systems).map((t) => t.job),
    ruleFiles: await collectRuleFiles(project?.rules ?? [], bundledRules),
    dashboards,
  };
}
