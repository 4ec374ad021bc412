import {
  ensureBinary,
  findAmtool,
  type BinaryName,
  type BinaryOptions,
  type ResolvedBinary,
} from '../../sandbox/binaries/index.js';

export interface RequiredBinaries<N extends BinaryName> {
  available: boolean;
  /** Why the binaries are missing; undefined when available. */
  reason?: string;
  /** The resolved binary; throws when unavailable, so call it only inside skipIf-guarded tests. */
  get(name: N): ResolvedBinary;
}

/**
 * Finds or provisions real binaries for a test file. In CI (CI=true) a missing binary fails the file;
 * elsewhere it warns and reports `available: false`, for `describe.skipIf(!bins.available)`:
 *
 *   const bins = await requireBinaries(['prometheus', 'promtool']);
 *   describe.skipIf(!bins.available)('rules', () => { ... bins.get('promtool').path ... });
 */
export async function requireBinaries<N extends BinaryName>(
  names: readonly N[],
  options: BinaryOptions = {},
): Promise<RequiredBinaries<N>> {
  const settled = await Promise.allSettled(names.map((name) => ensureBinary(name, options)));
  const resolved = new Map<N, ResolvedBinary>();
  const failures: string[] = [];
  settled.forEach((result, i) => {
    if (result.status === 'fulfilled') resolved.set(names[i] as N, result.value);
    else failures.push(result.reason instanceof Error ? result.reason.message : String(result.reason));
  });

  if (failures.length === 0) {
    return {
      available: true,
      get(name) {
        const binary = resolved.get(name);
        if (binary === undefined) throw new Error(`${name} was not requested from requireBinaries`);
        return binary;
      },
    };
  }
  const reason = failures.join(' | ');
  if (process.env.CI === 'true') throw new Error(`required binaries unavailable in CI: ${reason}`);
  console.warn(`[binaries] skipping tests that need ${names.join(', ')}: ${reason}`);
  return {
    available: false,
    reason,
    get(name) {
      throw new Error(`${name} is unavailable (${reason}); guard the test with skipIf(!available)`);
    },
  };
}

/**
 * amtool, which ships with Alertmanager: provisions Alertmanager when needed, then finds amtool beside it.
 * Like requireBinaries, a missing amtool fails under CI=true and skips (with the reason) elsewhere.
 */
export async function requireAmtool(): Promise<{ available: boolean; reason?: string; path: string }> {
  try {
    await ensureBinary('alertmanager');
    return { available: true, path: (await findAmtool()).path };
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env.CI === 'true') throw new Error(`amtool unavailable in CI: ${reason}`);
    console.warn(`[binaries] skipping tests that need amtool: ${reason}`);
    return { available: false, reason, path: '' };
  }
}
