import { UserError } from '../../../../generators/user-error.js';
import type { FaultRequest } from '../../../../generators/model/faults/fault-catalogue.js';
import type { ParamValue } from '../../../../generators/model/faults/definition.js';
import type { GeneratorState } from '../../../generate-control/generator-control.js';
import { shownUrl } from '../api-endpoint.js';

/** One `sandbox generate --control-port` process, switched over its control API. */
export class GeneratorClient {
  constructor(
    readonly url: string,
    private readonly token: string,
  ) {}

  state(): Promise<GeneratorState> {
    return this.request('GET', '/v1/state');
  }

  async setFault(request: FaultRequest): Promise<void> {
    await this.request('PUT', `/v1/faults/${encodeURIComponent(request.name)}`, { params: request.params });
  }

  async clearFault(name: string): Promise<void> {
    await this.request('DELETE', `/v1/faults/${encodeURIComponent(name)}`);
  }

  async setKnob(name: string, value: ParamValue): Promise<void> {
    await this.request('PUT', `/v1/knobs/${encodeURIComponent(name)}`, { value });
  }

  private async request(method: string, path: string, body?: object): Promise<GeneratorState> {
    const where = `the generator at ${shownUrl(this.url)}`;
    const response = await fetch(`${this.url.replace(/\/+$/, '')}${path}`, {
      method,
      headers: { authorization: `Bearer ${this.token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
      signal: AbortSignal.timeout(10_000),
    }).catch((error: unknown) => {
      throw new UserError(
        `cannot reach ${where} (${(error as Error).message}); is \`sandbox generate --control-port\` running there?`,
      );
    });
    const answer = (await response.json().catch(() => ({}))) as GeneratorState & { error?: string };
    if (response.status === 401)
      throw new UserError(`${where} refused the control token; give its file with --generators-token-file`);
    if (!response.ok) throw new UserError(`${where}: ${answer.error ?? `HTTP ${response.status}`}`);
    return answer;
  }
}
