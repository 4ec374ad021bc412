const DAY_MS = 86_400_000;

/**
 * Slow variation of a traffic rate: a daily swing and a short cycle (batch submissions arriving in waves).
 * The short cycle matters for ReceiptRateAnomaly: a 1h band of 5m points over a sinusoid of period P <= 20m
 * has a standard deviation of its amplitude / sqrt(2), so the rate never strays more than sqrt(2) sigma from
 * the band's average, inside the rule's 2 sigma, as long as the noise stays small beside the wave (see
 * SteadyArrivals).
 */
export function trafficShape(time: number, phase: number, wavePeriodMs = 900_000): number {
  const daily = 1 + 0.12 * Math.sin((2 * Math.PI * time) / DAY_MS);
  const wave = 1 + 0.25 * Math.sin((2 * Math.PI * time) / wavePeriodMs + phase);
  return daily * wave;
}

/**
 * Counts of arrivals per tick whose sum over any window is the expected sum give or take one: each tick's
 * expected count is rounded at random and what the rounding took or gave is carried to the next tick.
 * Independent Poisson draws would make a 5-minute rate wander by 1/sqrt(n) (12% for 72 receipts in 5
 * minutes), as much as the wave itself, and take a quiet series outside ReceiptRateAnomaly's 2-sigma band.
 */
export class SteadyArrivals {
  private owed = 0;

  /** `uniform` is a draw in [0, 1). */
  next(expected: number, uniform: number): number {
    this.owed += expected;
    const count = Math.max(0, Math.floor(this.owed + uniform));
    this.owed -= count;
    return count;
  }
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
