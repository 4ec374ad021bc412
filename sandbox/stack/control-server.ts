import { randomBytes } from 'node:crypto';
import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { checkBearer, readJsonOrRefuse, refuseUnauthorised, sendJson } from '../http/request-guards.js';
import type { LiveScenarioRunner } from '../replay/live/scenario-runner.js';
import type { OutputView } from '../tui/view-model.js';

/** Body of POST /v1/replay: a scenario file's text (validated here, against this sandbox's rules). */
export interface ReplayRequest {
  file: string;
  text: string;
  forScale?: number;
  /** Systems the sandbox must simulate for this run (`--system`): names or absolute paths of system files. */
  systems?: readonly string[];
}

/** A scenario file's text with a few fields: larger requests are refused (413) while they are read. */
export const MAX_CONTROL_REQUEST = 1 << 20;

/**
 * The sandbox's control API, for `sandbox replay --mode live` and `sandbox status` in another terminal:
 * 127.0.0.1 only, and every request must carry the token from the 0600 state file. A replay streams its
 * events as NDJSON; closing the request stops the scenario. GET /v1/outputs answers the generators' pushes
 * outside the stack (their URLs as they may be shown).
 */
export class ControlServer {
  readonly token = randomBytes(24).toString('base64url');
  private server: Server | undefined;

  constructor(
    private readonly runner: LiveScenarioRunner,
    private readonly outputs: () => readonly OutputView[] = () => [],
  ) {}

  async start(): Promise<string> {
    this.server = createServer((req, res) => {
      this.handle(req, res).catch((error: unknown) => {
        if (!res.headersSent) sendJson(res, 500, { error: (error as Error).message });
        else res.end();
      });
    });
    await new Promise<void>((resolve, reject) => {
      this.server!.once('error', reject);
      this.server!.listen(0, '127.0.0.1', resolve);
    });
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}`;
  }

  async stop(): Promise<void> {
    this.runner.stop();
    this.server?.closeAllConnections();
    await new Promise((resolve) => (this.server ? this.server.close(resolve) : resolve(undefined)));
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    if (!checkBearer(req, this.token)) return refuseUnauthorised(res);
    if (req.method === 'GET' && req.url === '/v1/outputs')
      return sendJson(res, 200, { outputs: this.outputs() });
    if (req.method !== 'POST' || req.url !== '/v1/replay') return sendJson(res, 404, { error: 'not found' });
    const read = await readJsonOrRefuse(req, res, MAX_CONTROL_REQUEST);
    if (read === 'refused') return;
    const body = read.body as Partial<ReplayRequest> | undefined;
    if (typeof body?.file !== 'string' || typeof body.text !== 'string')
      return sendJson(res, 400, { error: 'expected {"file": ..., "text": ...}' });
    if (this.runner.running)
      return sendJson(res, 409, {
        error: `scenario ${this.runner.running} is running in this sandbox; wait for it`,
      });
    let loaded;
    try {
      const systems = Array.isArray(body.systems) ? body.systems.filter((s) => typeof s === 'string') : [];
      loaded = this.runner.parse(body.file, body.text, systems);
    } catch (error) {
      return sendJson(res, 400, { error: (error as Error).message });
    }
    res.writeHead(200, { 'content-type': 'application/x-ndjson' });
    const write = (event: object) => res.write(`${JSON.stringify(event)}\n`);
    res.once('close', () => {
      if (!res.writableFinished) this.runner.stop();
    });
    try {
      await this.runner.run(loaded, { forScale: body.forScale, onEvent: write });
    } catch (error) {
      write({ type: 'error', error: (error as Error).message });
    }
    res.end();
  }
}
