const DAY_MS = 86_400_000;

/**
 * Slow variation of a traffic rate: a daily swing and a short cycle (batch submissions arriving in waves).
 * The short cycle matters for ReceiptRateAnomaly: a wave of period P <= 20m keeps the 1h standard deviation
 * wide enough that normal traffic never stays outside the 2-sigma band for 10 minutes.
 */
export function trafficShape(time: number, phase: number, wavePeriodMs = 900_000): number {
  const daily = 1 + 0.12 * Math.sin((2 * Math.PI * time) / DAY_MS);
  const wave = 1 + 0.25 * Math.sin((2 * Math.PI * time) / wavePeriodMs + phase);
  return daily * wave;
}

/** A value that wanders around a centre: mean-reverting random walk, one step per call. */
export class Wander {
  private offset = 0;

  constructor(
    private readonly centre: number,
    private readonly spread: number,
    private readonly reversion = 0.05,
  ) {}

  next(noise: number): number {
    this.offset += -this.reversion * this.offset + this.spread * this.reversion * 2 * noise;
    return this.centre + this.offset;
  }
}
