import type { LiveGenerators } from '../../generators/live/live-generators.js';
import type { ParamValue } from '../../generators/model/faults/definition.js';
import type { Simulation } from '../../generators/model/simulation.js';
import { UserError } from '../../generators/user-error.js';
import { secretToken } from './token-file.js';
import { JsonControlServer, type ControlRequest, type ControlResponse } from './json-control-server.js';

/** The faults and knobs of one replica's model. */
export interface ReplicaState {
  faults: { name: string; params: Record<string, ParamValue> }[];
  knobs: Record<string, ParamValue>;
}

/**
 * GET /v1/state: what a live replay reads before it switches anything, to put it back afterwards. The
 * faults and knobs are the first replica's; `replicas` lists the replicas this process simulates (one
 * unless scaled), and `differing` those switched apart from the first (a request that named them).
 */
export interface GeneratorState extends ReplicaState {
  replicas: string[];
  differing?: Record<string, ReplicaState>;
}

const FAULT_PATH = /^\/v1\/faults\/([\w.-]+)$/;
const KNOB_PATH = /^\/v1\/knobs\/([\w.-]+)$/;

const isRecord = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

const stateOf = (simulation: Simulation): ReplicaState => ({
  faults: simulation.activeFaults(),
  knobs: { ...simulation.knobs() },
});

/**
 * The routes of a generator's control API: GET /v1/state, PUT and DELETE /v1/faults/NAME ({"params": {...}}),
 * PUT /v1/knobs/NAME ({"value": ...}). A change applies to every replica the process simulates, or to one
 * when the body names it ({"replica": "3"}, the value of its `replica` label). The model catches up to now
 * before each change, so that a fault starts now and not at the last scrape.
 */
export function generatorRoutes(live: LiveGenerators): (request: ControlRequest) => ControlResponse {
  const simulations = live.simulations();
  const [first] = simulations.values();
  const state = (): GeneratorState => {
    const common = stateOf(first!);
    const differing: Record<string, ReplicaState> = {};
    for (const [index, simulation] of simulations) {
      const own = stateOf(simulation);
      if (JSON.stringify(own) !== JSON.stringify(common)) differing[index] = own;
    }
    const replicas = [...simulations.keys()].map(String);
    return { ...common, replicas, ...(Object.keys(differing).length > 0 && { differing }) };
  };
  const change = (body: unknown, apply: (simulation: Simulation) => void): ControlResponse => {
    const replica = isRecord(body) ? body.replica : undefined;
    const chosen = replica === undefined ? [...simulations.values()] : [simulations.get(Number(replica))];
    if (!chosen[0] || (replica !== undefined && !/^\d+$/.test(String(replica))))
      return {
        status: 400,
        body: {
          error: `replica ${JSON.stringify(replica)} is not one of those simulated here; see GET /v1/state`,
        },
      };
    try {
      live.step();
      // The first replica refuses a bad fault or knob before any other has changed.
      for (const simulation of chosen) apply(simulation!);
    } catch (error) {
      return { status: 400, body: { error: (error as Error).message } };
    }
    return { status: 200, body: state() };
  };
  return ({ method, path, body }) => {
    const fault = FAULT_PATH.exec(path)?.[1];
    const knob = KNOB_PATH.exec(path)?.[1];
    if (method === 'GET' && path === '/v1/state') return { status: 200, body: state() };
    if (fault !== undefined && method === 'PUT') {
      const params = isRecord(body) && body.params !== undefined ? body.params : {};
      if (!isRecord(params)) return { status: 400, body: { error: 'expected {"params": {...}}' } };
      return change(body, (s) => s.setFault({ name: fault, params: params as Record<string, ParamValue> }));
    }
    if (fault !== undefined && method === 'DELETE') return change(body, (s) => s.clearFault(fault));
    if (knob !== undefined && method === 'PUT') {
      if (!isRecord(body) || !('value' in body))
        return { status: 400, body: { error: 'expected {"value": ...}' } };
      return change(body, (s) => s.setKnob(knob, body.value));
    }
    return { status: 404, body: { error: `no ${method} ${path}; see GET /v1/state` } };
  };
}

export interface GeneratorControl {
  urls: string[];
  tokenFile: string;
  stop(): Promise<void>;
}

/**
 * Serves a generator's control API on `hosts` at `port`, for `sandbox replay --mode live --generators`:
 * authenticated by the token in `tokenFile` (read, or made with mode 0600; a private temporary file when
 * none is named).
 */
export async function startGeneratorControl(
  live: LiveGenerators,
  options: { hosts: readonly string[]; port: number; tokenFile?: string },
): Promise<GeneratorControl> {
  const token = await secretToken(options.tokenFile, '--control-token-file');
  const server = new JsonControlServer(token.token, generatorRoutes(live));
  try {
    const urls = await server.start(options.hosts, options.port);
    return {
      urls,
      tokenFile: token.file,
      stop: async () => {
        await server.stop();
        await token.dispose();
      },
    };
  } catch (error) {
    await server.stop();
    await token.dispose();
    if ((error as NodeJS.ErrnoException).code === 'EADDRINUSE')
      throw new UserError(`--control-port ${options.port} is in use; choose another, or 0 for any free port`);
    throw error;
  }
}
