import { GenericContainer } from 'testcontainers';

/** A container whose published ports bind to 127.0.0.1 only (testcontainers binds every interface). */
export class LoopbackContainer extends GenericContainer {
  protected override async beforeContainerCreated(): Promise<void> {
    const bindings = this.hostConfig.PortBindings as
      Record<string, { HostIp?: string; HostPort: string }[]> | undefined;
    for (const list of Object.values(bindings ?? {}))
      for (const binding of list) binding.HostIp = '127.0.0.1';
  }
}
