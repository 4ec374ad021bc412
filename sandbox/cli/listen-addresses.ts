import { BlockList, isIP } from 'node:net';
import { UserError } from '../../generators/user-error.js';

const loopback = new BlockList();
loopback.addSubnet('127.0.0.0', 8, 'ipv4');
loopback.addAddress('::1', 'ipv6');

/** Whether an address from --bind is reachable only from this machine. */
export function isLoopbackAddress(host: string): boolean {
  if (host === 'localhost') return true;
  const family = isIP(host);
  return family !== 0 && loopback.check(host, family === 4 ? 'ipv4' : 'ipv6');
}

/**
 * The addresses of `--bind` (comma-separated IPs, or localhost). Anything but loopback exposes the
 * generators to other machines, so it needs `--allow-remote`.
 */
export function listenAddresses(bind: string, allowRemote: boolean): string[] {
  const hosts = bind
    .split(',')
    .map((h) => h.trim())
    .filter((h) => h !== '');
  if (hosts.length === 0) throw new UserError('--bind names no address; give e.g. --bind 127.0.0.1');
  for (const host of hosts) {
    if (host !== 'localhost' && isIP(host) === 0) {
      throw new UserError(
        `--bind "${host}" is not an IP address; give IPv4 or IPv6 addresses without brackets or ports, e.g. --bind 127.0.0.1,::1`,
      );
    }
  }
  const exposed = hosts.filter((h) => !isLoopbackAddress(h));
  if (exposed.length > 0 && !allowRemote) {
    throw new UserError(
      `--bind ${exposed.join(',')} is not loopback: other machines could reach the generators; add --allow-remote if that is what you want`,
    );
  }
  return hosts;
}
