import { readdirSync, readFileSync, readlinkSync } from 'node:fs';

/** A TCP socket some process listens on. */
export interface ListeningSocket {
  pid: number;
  address: string;
  port: number;
}

/** Every process whose process group is one of `groups` (the native stack starts each service in its own). */
export function processesInGroups(groups: readonly number[]): number[] {
  const pids: number[] = [];
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      // Fields after the command name (which may hold spaces) in parentheses: state, ppid, pgrp.
      const pgrp = Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[2]);
      if (groups.includes(pgrp)) pids.push(Number(entry));
    } catch {
      // The process ended while we looked.
    }
  }
  return pids;
}

/** `0100007F` → 127.0.0.1; IPv6 as four 32-bit words, each in host (little-endian) byte order. */
function decodeAddress(hex: string): string {
  const bytes = (word: string) => (word.match(/../g) ?? []).reverse().map((b) => parseInt(b, 16));
  if (hex.length === 8) return bytes(hex).join('.');
  const all = (hex.match(/.{8}/g) ?? []).flatMap(bytes);
  const groups: string[] = [];
  for (let i = 0; i < 16; i += 2) groups.push(((all[i]! << 8) | all[i + 1]!).toString(16));
  return groups.join(':');
}

/** What a file descriptor points at; '' when it was closed meanwhile (the listing's own, for one). */
function fdTarget(pid: number, fd: string): string {
  try {
    return readlinkSync(`/proc/${pid}/fd/${fd}`, { encoding: 'utf8' });
  } catch {
    return '';
  }
}

/** The listening TCP sockets of these processes: /proc/<pid>/net/tcp{,6} joined with their fds' inodes. */
export function listeningSockets(pids: readonly number[]): ListeningSocket[] {
  const found: ListeningSocket[] = [];
  for (const pid of pids) {
    const inodes = new Set<string>();
    try {
      for (const fd of readdirSync(`/proc/${pid}/fd`)) {
        const inode = /^socket:\[(\d+)\]$/.exec(fdTarget(pid, fd))?.[1];
        if (inode) inodes.add(inode);
      }
      for (const table of ['tcp', 'tcp6']) {
        for (const line of readFileSync(`/proc/${pid}/net/${table}`, 'utf8').split('\n').slice(1)) {
          const fields = line.trim().split(/\s+/);
          // local_address is field 1, st (0A: LISTEN) field 3, inode field 9.
          if (fields[3] !== '0A' || !inodes.has(fields[9] ?? '')) continue;
          const [address, port] = (fields[1] ?? '').split(':');
          found.push({ pid, address: decodeAddress(address ?? ''), port: parseInt(port ?? '', 16) });
        }
      }
    } catch {
      // The process ended while we looked.
    }
  }
  return found;
}

export function isLoopback(address: string): boolean {
  return (
    address.startsWith('127.') ||
    address === '0:0:0:0:0:0:0:1' ||
    /^0:0:0:0:0:ffff:7f[0-9a-f]{2}:/.test(address)
  );
}
