/** Time is an input (DESIGN §1): the engine and use cases read it from a Clock. */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** Stands still until moved: `CADENZA_CLOCK=manual` and tests. */
export class ManualClock implements Clock {
  private current: number;
  constructor(start: Date = new Date()) {
    this.current = start.getTime();
  }
  now(): Date {
    return new Date(this.current);
  }
  set(to: Date): void {
    if (to.getTime() < this.current) throw new RangeError('the manual clock does not go backwards');
    this.current = to.getTime();
  }
  advance(ms: number): void {
    this.set(new Date(this.current + ms));
  }
}
