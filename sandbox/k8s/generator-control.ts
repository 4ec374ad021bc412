import type { IContainer } from 'kubernetes-models/v1/Container';
import type { IVolume } from 'kubernetes-models/v1/Volume';
import type { IVolumeMount } from 'kubernetes-models/v1/VolumeMount';

/** The Secret the user creates with the control token under `token` (never rendered: it is a secret). */
export const CONTROL_SECRET = 'obs-sandbox-generators-control';
export const DEFAULT_CONTROL_PORT = 9469;
/** The container port's name, in the pod and the headless Service. */
export const CONTROL_PORT_NAME = 'control';
/** The pods' user and group (the image's `node` user). */
export const POD_USER = 1000;
const SECRET_DIR = '/etc/obs-sandbox/control';
const TOKEN_DIR = '/run/obs-sandbox';
const TOKEN_FILE = `${TOKEN_DIR}/control-token`;

/** `sandbox generate`'s control API arguments: the token read from the copy the init container made. */
export function controlArgs(port: number): string[] {
  return ['--control-port', String(port), '--control-token-file', TOKEN_FILE];
}

/**
 * `generate --control-token-file` refuses a file its group can read, and a Secret volume cannot give the
 * pod's user a file only that user reads: without fsGroup its files are root's, with fsGroup the kubelet
 * adds group read whatever defaultMode says (kubernetes/kubernetes#57923). An init container, as the pod's
 * user, copies the token into a memory-backed emptyDir with mode 0600.
 */
export function controlTokenInit(image: string, securityContext: IContainer['securityContext']): IContainer {
  const copy =
    `const fs = require('node:fs');` +
    `fs.copyFileSync('${SECRET_DIR}/token', '${TOKEN_FILE}');` +
    `fs.chmodSync('${TOKEN_FILE}', 0o600);`;
  return {
    name: 'control-token',
    image,
    command: ['node', '-e', copy],
    securityContext,
    resources: { requests: { cpu: '10m', memory: '32Mi' }, limits: { cpu: '100m', memory: '64Mi' } },
    volumeMounts: [
      { name: 'control-secret', mountPath: SECRET_DIR, readOnly: true },
      { name: 'control-token', mountPath: TOKEN_DIR },
    ],
  };
}

/** Where the generator reads its token copy. */
export const CONTROL_TOKEN_MOUNT: IVolumeMount = { name: 'control-token', mountPath: TOKEN_DIR, readOnly: true };

export const CONTROL_VOLUMES: IVolume[] = [
  {
    name: 'control-secret',
    // Group-readable: what the kubelet makes of any mode once fsGroup is set, so say so.
    secret: { secretName: CONTROL_SECRET, defaultMode: 0o440, items: [{ key: 'token', path: 'token' }] },
  },
  { name: 'control-token', emptyDir: { medium: 'Memory', sizeLimit: '1Mi' } },
];
