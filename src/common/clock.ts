/**
 * Where the jobs read the time. Production uses the system clock; tests pass a clock they move by
 * hand, so a reminder 90 days before an expiry or a webhook retry 6 hours later is reached at once.
 * Every time the jobs compare or store (due dates, retry times, created-at) comes from here, never
 * from the database's now().
 */
export interface Clock {
  now(): Date;
}

export const systemClock: Clock = { now: () => new Date() };

/** A clock that stands still until told to move (tests). */
export class ManualClock implements Clock {
  private time: number;
  constructor(start: Date | string) {
    this.time = new Date(start).getTime();
  }
  now(): Date {
    return new Date(this.time);
  }
  set(to: Date | string): void {
    this.time = new Date(to).getTime();
  }
  advance(ms: number): void {
    this.time += ms;
  }
  advanceDays(days: number): void {
    this.time += days * 86_400_000;
  }
}
