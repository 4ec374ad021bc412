import { describe, expect, it } from 'vitest';
import { fillLinks } from '../../../sandbox/replay/live/caption-links.js';

describe('fillLinks', () => {
  const links = { grafana: 'http://127.0.0.1:3000', prometheus: 'http://127.0.0.1:9090' };

  it('replaces service placeholders with their URLs, and says which service is not running', () => {
    expect(fillLinks('Open {grafana}, then {prometheus}/alerts; logs in {loki}', links)).toBe(
      'Open http://127.0.0.1:3000, then http://127.0.0.1:9090/alerts; logs in (loki is not running)',
    );
    expect(fillLinks('{grafana}', {})).toBe('(grafana is not running)');
  });

  it('drops the path of a link to a service that is not running, and keeps the punctuation after it', () => {
    expect(fillLinks('spans: {jaeger}/search?service=vaultmesh-portal.', links)).toBe(
      'spans: (jaeger is not running).',
    );
    expect(fillLinks('({prometheus}/alerts). Then {grafana}/d/vaultmesh-overview.', links)).toBe(
      '(http://127.0.0.1:9090/alerts). Then http://127.0.0.1:3000/d/vaultmesh-overview.',
    );
  });

  it('links every stack service, Tempo included', () => {
    expect(fillLinks('traces in {tempo}/explore', { tempo: 'http://127.0.0.1:3200' })).toBe(
      'traces in http://127.0.0.1:3200/explore',
    );
  });

  it("shows an environment's URL without its user, password or query", () => {
    const remote = { prometheus: 'https://u:pw@mimir.example.com/prometheus?key=k3y' };
    expect(fillLinks('see {prometheus}/alerts', remote)).toBe(
      'see https://mimir.example.com/prometheus/alerts',
    );
  });

  it('leaves LogQL selectors and other braces alone', () => {
    const text = 'query {job="vaultmesh-guardian"} |= "anchor", or {job}, or {unknown} in {prometheus}';
    expect(fillLinks(text, links)).toBe(
      'query {job="vaultmesh-guardian"} |= "anchor", or {job}, or {unknown} in http://127.0.0.1:9090',
    );
  });
});
