/** Why a container did not start, in words; a taken host port says how to get another. */
export function startFailure(message: string): string {
  const port = /127\.0\.0\.1:(\d+).*(address already in use|port is already allocated)/.exec(message)?.[1];
  if (port) {
    return `port ${port} on 127.0.0.1 is in use; stop what uses it, pick other ports with --port-offset, or run \`sandbox down\` if it is an earlier sandbox`;
  }
  return `container did not become ready: ${message.split('\n')[0]}`;
}
