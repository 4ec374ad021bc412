/** The only source of time for the model: milliseconds since the Unix epoch. */
export interface Clock {
  now(): number;
}

/** A clock that moves only when told to: replays run hours of model time in seconds. */
export class VirtualClock implements Clock {
  constructor(private current = 0) {}

  now(): number {
    return this.current;
  }

  advanceTo(time: number): void {
    if (time < this.current) throw new Error(`virtual clock cannot go back from ${this.current} to ${time}`);
    this.current = time;
  }

  advanceBy(ms: number): void {
    this.advanceTo(this.current + ms);
  }
}

/** Wall time, optionally running faster than real time from the moment it was created. */
export class WallClock implements Clock {
  private readonly origin = Date.now();

  constructor(private readonly speed = 1) {
    if (!(speed > 0 && Number.isFinite(speed)))
      throw new Error('clock speed must be a positive finite number');
  }

  now(): number {
    const wall = Date.now();
    return this.speed === 1 ? wall : this.origin + (wall - this.origin) * this.speed;
  }
}
