import { docker } from './engine.js';

/**
 * The numeric user an image runs as, for files copied into its containers; undefined when it runs as a user
 * name that cannot be resolved without the image's /etc/passwd.
 */
export async function imageUser(image: string): Promise<{ uid: number; gid: number } | undefined> {
  const user = ((await docker().getImage(image).inspect()).Config?.User ?? '').trim();
  if (user === '' || user === 'root') return { uid: 0, gid: 0 };
  // The official Prometheus image runs as busybox's nobody.
  if (user === 'nobody') return { uid: 65534, gid: 65534 };
  const match = /^(\d+)(?::(\d+))?$/.exec(user);
  return match ? { uid: Number(match[1]), gid: Number(match[2] ?? match[1]) } : undefined;
}
