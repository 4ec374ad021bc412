import { PrometheusRule } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/PrometheusRule';
import type { IComGithubPrometheusOperatorPrometheusOperatorPkgApisMonitoringV1RuleGroup as RuleGroup } from '@kubernetes-models/prometheus-operator/monitoring.coreos.com/v1/RuleGroup';
import { basename, extname } from 'node:path';
import { parse } from 'yaml';
import { UserError } from '../../generators/user-error.js';
import { readUserFile } from '../../generators/model/user-file.js';
import { originalRuleFile } from '../rules/prometheus-rule-resource.js';
import type { K8sOptions } from './k8s-options.js';
import { objectName } from './object-name.js';

/** One PrometheusRule per rule file, named after it, carrying its groups unchanged. */
export async function prometheusRules(
  ruleFiles: readonly string[],
  options: K8sOptions,
  labels: Record<string, string>,
): Promise<PrometheusRule[]> {
  const names = new Set<string>();
  return Promise.all(
    ruleFiles.map(async (file) => {
      const original = originalRuleFile(file);
      const name = objectName('obs-sandbox-rules', basename(original, extname(original)), names);
      const { groups } = (parse(await readUserFile(file, 'rule file')) ?? {}) as { groups?: RuleGroup[] };
      const rule = new PrometheusRule({
        metadata: { name, namespace: options.namespace, labels: { ...labels, release: options.release } },
        spec: { groups: groups ?? [] },
      });
      try {
        rule.validate();
      } catch (error) {
        throw new UserError(
          `${original}: not valid as a PrometheusRule's spec.groups (${(error as Error).message}); check it with promtool check rules`,
        );
      }
      return rule;
    }),
  );
}
