import { displayUrl } from '../../../generators/outputs/display-url.js';
import { SERVICE_MODULES } from '../../stack/services/registry.js';

const SERVICES = new Set<string>(SERVICE_MODULES.map((m) => m.name));

/**
 * Replaces {grafana}, {prometheus}, ... in a scenario caption with the running services' URLs. For a
 * service that does not run, the whole link (with its path) becomes "(grafana is not running)". A URL of
 * your own environment is shown without its user, password or query.
 */
export function fillLinks(text: string, links: Readonly<Record<string, string>>): string {
  return text.replace(/\{(\w+)\}((?:\/[\w/?=&%#:.-]*[\w/=&%#-])?)/g, (match, name: string, path: string) => {
    if (!SERVICES.has(name)) return match;
    const url = links[name];
    return url ? `${displayUrl(url)}${path}` : `(${name} is not running)`;
  });
}
