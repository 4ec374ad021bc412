import { existsSync } from 'node:fs';
import { cp, mkdir } from 'node:fs/promises';
import { join } from 'node:path';

const DEBIAN_TEMPLATES = '/usr/share/prometheus/alertmanager';

/**
 * Debian's Alertmanager reads its templates from /usr/share/prometheus/alertmanager, an absolute path. When
 * they are not installed there, run it (as root) in a private mount namespace where a read-only overlay of
 * /usr/share adds them, leaving the host's file system alone. Returns the command and arguments to run.
 */
export async function alertmanagerCommand(
  binary: string,
  args: readonly string[],
  assetsDir: string | undefined,
  dataDir: string,
): Promise<{ command: string; args: string[] } | { unavailable: string }> {
  if (!assetsDir || existsSync(join(DEBIAN_TEMPLATES, 'default.tmpl')))
    return { command: binary, args: [...args] };
  if (process.getuid?.() !== 0 || !existsSync('/usr/bin/unshare')) {
    return {
      unavailable: `Debian's Alertmanager needs its templates in ${DEBIAN_TEMPLATES}; install them with \`apt-get install prometheus-alertmanager\`, or use --runtime docker`,
    };
  }
  const layer = join(dataDir, 'alertmanager-share');
  await mkdir(join(layer, 'prometheus'), { recursive: true });
  await cp(assetsDir, join(layer, 'prometheus', 'alertmanager'), { recursive: true });
  const quoted = [binary, ...args].map((a) => `'${a.replaceAll("'", "'\\''")}'`).join(' ');
  const script = `mount --make-rprivate / && mount -t overlay overlay -o lowerdir=${layer}:/usr/share /usr/share && exec ${quoted}`;
  return { command: '/usr/bin/unshare', args: ['-m', 'sh', '-c', script] };
}
