import { describe, expect, it } from 'vitest';
import { displayUrl } from '../../sandbox/session/output-views.js';

describe('displayUrl', () => {
  it('leaves out a user, a password and a query, and keeps the rest', () => {
    expect(displayUrl('https://bob:s3cret@mimir.example.com:8443/api/v1/push?api_key=k3y')).toBe(
      'https://mimir.example.com:8443/api/v1/push',
    );
    expect(displayUrl('http://127.0.0.1:9090/api/v1/write')).toBe('http://127.0.0.1:9090/api/v1/write');
  });
});
