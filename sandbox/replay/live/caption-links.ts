const SERVICES = new Set(['grafana', 'prometheus', 'alertmanager', 'loki', 'jaeger']);

/** Replaces {grafana}, {prometheus}, ... in a scenario caption with the running services' URLs. */
export function fillLinks(text: string, links: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}/g, (match, name: string) =>
    SERVICES.has(name) ? (links[name] ?? `(${name} is not running)`) : match,
  );
}
