import { describe, expect, it } from 'vitest';
import { displayUrl } from '../../../generators/outputs/display-url.js';

describe('displayUrl', () => {
  it('leaves out a user, a password, a query and a fragment, and keeps the rest', () => {
    expect(displayUrl('https://bob:s3cret@mimir.example.com:8443/api/v1/push?api_key=k3y#frag')).toBe(
      'https://mimir.example.com:8443/api/v1/push',
    );
    expect(displayUrl('http://127.0.0.1:9090/api/v1/write')).toBe('http://127.0.0.1:9090/api/v1/write');
  });

  it('shows a bare host as typed, without a root path added', () => {
    expect(displayUrl('http://127.0.0.1:3100')).toBe('http://127.0.0.1:3100');
    expect(displayUrl('http://u:p@127.0.0.1:3100?token=t')).toBe('http://127.0.0.1:3100');
    expect(displayUrl('http://127.0.0.1:3100/')).toBe('http://127.0.0.1:3100/');
  });

  it('shows nothing of a text that is no URL', () => {
    expect(displayUrl('bob:s3cret@nowhere')).toBe('(not an http(s) URL)');
    expect(displayUrl('http://')).toBe('(not an http(s) URL)');
  });
});
