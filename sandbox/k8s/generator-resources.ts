import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';

const MEMORY_LIMIT_MIB = 1024;

/**
 * One generator pod at the default rates, from bench/live-rss.ts and a CPU reading of the same run
 * (2026-12-01, default systems, scraped every 15 s): RSS 103 MB at start, at most 117 MB over 60 s; CPU
 * 0.005 cores. The request covers that peak with room; the limit leaves room for --scale and
 * --rate-scale, whose cost grows with the series and samples a shard makes.
 */
export const GENERATOR_RESOURCES: IResourceRequirements = {
  requests: { cpu: '50m', memory: '192Mi' },
  limits: { cpu: '1', memory: `${MEMORY_LIMIT_MIB / 1024}Gi` },
};

/**
 * V8's old-space cap in the pod (`--max-old-space-size`), so that a big shard collects garbage before the
 * memory limit kills it. A quarter of the limit is left for what is not old space (new space, code, buffers):
 * a 250k-series shard capped at 512 MiB peaked at 536 MB RSS (bench/scale.ts). Sized from the limit, not the
 * 192Mi request, which a 250k-series shard's live heap alone exceeds.
 */
export const GENERATOR_HEAP_MIB = (MEMORY_LIMIT_MIB * 3) / 4;
