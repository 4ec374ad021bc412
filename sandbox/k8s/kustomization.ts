import { stringify } from 'yaml';

/** kustomization.yaml: every manifest file, all in the namespace. */
export function kustomization(namespace: string, resources: readonly string[]): string {
  return stringify({
    apiVersion: 'kustomize.config.k8s.io/v1beta1',
    kind: 'Kustomization',
    namespace,
    resources: [...resources],
  });
}
