import type { Db } from '../store/database.ts';
import { recordLoneIntents, type LoneIntent, type RecordedIntent } from '../store/signal.repository.ts';
import type { AppContext } from './context.ts';

interface Waiting {
  item: LoneIntent;
  resolve(recorded: RecordedIntent | undefined): void;
  reject(error: unknown): void;
}

/**
 * Group commit for opens and clicks: an open is sent at once when no statement is out,
 * and those that arrive while statements are out go together in the next one. No
 * timer, so a lone open waits for nothing; under load, one statement, one round trip
 * and one commit serve many opens.
 */
export class LoneIntentBatcher {
  private waiting: Waiting[] = [];
  private out = 0;

  constructor(
    private readonly db: Db,
    /**
     * Statements out at once. Each waits about as long for its commit to reach the disk
     * (1.5 ms here) as for anything else, and PostgreSQL flushes concurrent commits
     * together: four out at once served 64 clients ~40% faster than two. Four of the
     * pool's connections at most, the rest stay free for other requests.
     */
    private readonly maxOut = 4,
    private readonly maxBatch = 500,
  ) {}

  /** The signal as recorded, or undefined when it must take the full path. */
  record(item: LoneIntent): Promise<RecordedIntent | undefined> {
    return new Promise((resolve, reject) => {
      this.waiting.push({ item, resolve, reject });
      this.pump();
    });
  }

  private pump(): void {
    while (this.out < this.maxOut && this.waiting.length > 0) {
      const batch = this.waiting.splice(0, this.maxBatch);
      this.out++;
      void this.send(batch).finally(() => {
        this.out--;
        this.pump();
      });
    }
  }

  private async send(batch: Waiting[]): Promise<void> {
    try {
      const recorded = await recordLoneIntents(this.db, batch.map((w) => w.item));
      for (const w of batch) w.resolve(recorded.get(w.item.id));
    } catch (error) {
      if (batch.length === 1) return batch[0].reject(error);
      // Nothing of the batch was written (one statement): one bad item must not fail the others.
      await Promise.all(batch.map((w) => this.send([w])));
    }
  }
}

const batchers = new WeakMap<Db, LoneIntentBatcher>();

/** Records an open or click that fires nothing, batched with others of the same database. */
export function recordLoneIntent(ctx: AppContext, item: LoneIntent): Promise<RecordedIntent | undefined> {
  let batcher = batchers.get(ctx.db);
  if (!batcher) batchers.set(ctx.db, (batcher = new LoneIntentBatcher(ctx.db)));
  return batcher.record(item);
}
