import type { IResourceRequirements } from 'kubernetes-models/v1/ResourceRequirements';

/**
 * One generator pod at the default rates, from bench/live-rss.ts and a CPU reading of the same run
 * (2026-12-01, default systems, scraped every 15 s): RSS 103 MB at start, at most 117 MB over 60 s; CPU
 * 0.005 cores. The request covers that peak with room; the limit leaves room for --scale and
 * --rate-scale, whose cost grows with the series and samples a shard makes.
 */
export const GENERATOR_RESOURCES: IResourceRequirements = {
  requests: { cpu: '50m', memory: '192Mi' },
  limits: { cpu: '1', memory: '1Gi' },
};
