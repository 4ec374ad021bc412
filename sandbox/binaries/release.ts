import { execFile } from 'node:child_process';
import { createHash } from 'node:crypto';
import { createWriteStream } from 'node:fs';
import { rename, rm } from 'node:fs/promises';
import http, { type IncomingMessage } from 'node:http';
import https from 'node:https';
import { join } from 'node:path';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import { promisify } from 'node:util';

import type { ReleaseSpec } from './binary-catalogue.js';
import { ChecksumMismatchError } from './binary-errors.js';

const execFileAsync = promisify(execFile);
const MAX_REDIRECTS = 5;

export interface ReleaseDownload {
  spec: ReleaseSpec;
  version: string;
  platform: string;
  /** Replaces the spec's directory URL (a mirror, or a local server in tests). */
  directoryUrl?: string;
  /** Longest a connection may stay silent, connecting included. */
  idleTimeoutMs: number;
}

export interface DownloadedRelease {
  /** Executable path relative to the staging directory. */
  binary: string;
  origin: string;
}

/**
 * Downloads the release archive into `staging`, verifies it against the published sha256 checksum and
 * unpacks it there. The archive is written under a temporary name and only renamed once verified.
 */
export async function downloadRelease(
  download: ReleaseDownload,
  staging: string,
): Promise<DownloadedRelease> {
  const { spec, version, platform } = download;
  const directory = (download.directoryUrl ?? spec.directoryUrl(version)).replace(/\/+$/, '');
  const archiveName = spec.archive(version, platform);
  const checksumUrl = `${directory}/${spec.checksums(version, platform)}`;
  const archiveUrl = `${directory}/${archiveName}`;

  const expected = findChecksum(await fetchText(checksumUrl, download.idleTimeoutMs), archiveName);
  if (expected === undefined) throw new Error(`${checksumUrl} lists no sha256 checksum for ${archiveName}`);
  const partial = join(staging, `${archiveName}.part`);
  const actual = await fetchToFile(archiveUrl, partial, download.idleTimeoutMs);
  if (actual !== expected) {
    await rm(partial, { force: true });
    throw new ChecksumMismatchError(
      `checksum mismatch for ${archiveUrl}: expected sha256 ${expected} (from ${checksumUrl}), got ${actual}; ` +
        'the download is corrupt or tampered with, nothing was cached',
    );
  }
  const archive = join(staging, archiveName);
  await rename(partial, archive);
  await execFileAsync('tar', ['-xzf', archive, '-C', staging]);
  await rm(archive);
  return { binary: spec.binary(version, platform), origin: archiveUrl };
}

/** The sha256 of `fileName` in a `sha256sum`-style listing, or the digest of a single-digest file. */
export function findChecksum(listing: string, fileName: string): string | undefined {
  const lines = listing.split('\n').map((line) => line.trim());
  for (const line of lines) {
    const match = /^([0-9a-f]{64})\s+[*]?(?:\.\/)?(.+)$/i.exec(line);
    if (match?.[2] === fileName) return match[1]?.toLowerCase();
  }
  const nonEmpty = lines.filter((line) => line !== '');
  const single = nonEmpty.length === 1 ? /^([0-9a-f]{64})$/i.exec(nonEmpty[0] ?? '') : null;
  return single?.[1]?.toLowerCase();
}

async function fetchText(url: string, idleTimeoutMs: number): Promise<string> {
  const response = await get(url, idleTimeoutMs);
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

/** Streams `url` into `file` and returns the sha256 hex digest of what was written. */
async function fetchToFile(url: string, file: string, idleTimeoutMs: number): Promise<string> {
  const response = await get(url, idleTimeoutMs);
  const hash = createHash('sha256');
  const hashing = new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      hash.update(chunk);
      callback(null, chunk);
    },
  });
  try {
    await pipeline(response, hashing, createWriteStream(file));
  } catch (error) {
    await rm(file, { force: true });
    throw error;
  }
  return hash.digest('hex');
}

function get(url: string, idleTimeoutMs: number, redirectsLeft = MAX_REDIRECTS): Promise<IncomingMessage> {
  const client = url.startsWith('https:') ? https : http;
  return new Promise((resolve, reject) => {
    const request = client.get(
      url,
      { timeout: idleTimeoutMs, headers: { 'user-agent': 'obs-sandbox' } },
      (res) => {
        const status = res.statusCode ?? 0;
        const location = res.headers.location;
        if (status >= 300 && status < 400 && location !== undefined) {
          res.resume();
          if (redirectsLeft === 0) reject(new Error(`too many redirects fetching ${url}`));
          else resolve(get(new URL(location, url).href, idleTimeoutMs, redirectsLeft - 1));
        } else if (status !== 200) {
          res.resume();
          reject(new Error(`HTTP ${status} for ${url}`));
        } else {
          resolve(res);
        }
      },
    );
    // The socket timeout covers connecting as well as a stalled transfer.
    request.on('timeout', () =>
      request.destroy(new Error(`no response from ${new URL(url).host} in ${idleTimeoutMs} ms`)),
    );
    request.on('error', reject);
  });
}
