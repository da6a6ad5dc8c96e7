import type { MailboxRow } from '../store/schema.ts';
import { imapClientFor } from './imap-connection.ts';

export interface ImapCursor {
  uidValidity: bigint | null;
  lastUid: bigint | null;
}

/** A message as read from the mailbox: its UID (under the batch's UIDVALIDITY) and its bytes. */
export interface ImapMessage {
  uid: bigint;
  source: Buffer;
}

export interface ImapBatch {
  /** In UID order: the poller handles them one after another and moves its cursor with each. */
  messages: ImapMessage[];
  /**
   * Where the mailbox is read up to once every message of the batch is handled: the last
   * UID read (a message without a body counts), or on a first read the UID before the
   * next one the folder will give (older mail outside the first read's days is not read).
   */
  cursor: { uidValidity: bigint; lastUid: bigint };
}

/** How far back a mailbox we have never read (or whose UIDs were reset) is read. */
const FIRST_READ_DAYS = 14;
const MAX_MESSAGES_PER_POLL = 500;

/**
 * Reads the messages that arrived in a mailbox's INBOX since the cursor, by UID
 * (RFC 3501 §2.3.1.1: UIDs only grow while UIDVALIDITY stays the same). Messages are
 * not flagged or moved: the rep's mailbox is theirs.
 */
export async function fetchNewMessages(mailbox: MailboxRow, cursor: ImapCursor, now: Date): Promise<ImapBatch> {
  const { client, folder } = await imapClientFor(mailbox, now);
  await client.connect();
  try {
    const opened = await client.mailboxOpen(folder, { readOnly: true });
    const uidValidity = BigInt(opened.uidValidity);
    const known = cursor.uidValidity === uidValidity && cursor.lastUid !== null;
    const query = known
      ? { uid: `${cursor.lastUid! + 1n}:*` }
      : { since: new Date(now.getTime() - FIRST_READ_DAYS * 86_400_000) };
    const messages: ImapMessage[] = [];
    let lastUid = known ? cursor.lastUid! : 0n;
    let full = false;
    for await (const msg of client.fetch(query, { uid: true, source: true }, { uid: true })) {
      const uid = BigInt(msg.uid);
      // "n:*" always returns the newest message, even when it is older than n.
      if (known && uid <= cursor.lastUid!) continue;
      if (msg.source) messages.push({ uid, source: msg.source });
      if (uid > lastUid) lastUid = uid;
      if (messages.length >= MAX_MESSAGES_PER_POLL) {
        full = true;
        break;
      }
    }
    messages.sort((a, b) => (a.uid < b.uid ? -1 : a.uid > b.uid ? 1 : 0));
    // A first read that took all it found has read the folder up to its next UID: without
    // this, an empty first read would leave the cursor at 0 and the next poll read every
    // message the folder ever had.
    const uidNext = opened.uidNext ? BigInt(opened.uidNext) : 0n;
    if (!known && !full && uidNext - 1n > lastUid) lastUid = uidNext - 1n;
    return { messages, cursor: { uidValidity, lastUid } };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
