import type { MailboxRow } from '../store/schema.ts';
import { imapClientFor } from './imap-connection.ts';

export interface ImapCursor {
  uidValidity: bigint | null;
  lastUid: bigint | null;
}

export interface ImapBatch {
  messages: Buffer[];
  cursor: ImapCursor;
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
  const { client, folder } = await imapClientFor(mailbox);
  await client.connect();
  try {
    const opened = await client.mailboxOpen(folder, { readOnly: true });
    const uidValidity = BigInt(opened.uidValidity);
    const known = cursor.uidValidity === uidValidity && cursor.lastUid !== null;
    const query = known
      ? { uid: `${cursor.lastUid! + 1n}:*` }
      : { since: new Date(now.getTime() - FIRST_READ_DAYS * 86_400_000) };
    const messages: Buffer[] = [];
    let lastUid = known ? cursor.lastUid! : 0n;
    for await (const msg of client.fetch(query, { uid: true, source: true }, { uid: true })) {
      // "n:*" always returns the newest message, even when it is older than n.
      if (known && BigInt(msg.uid) <= cursor.lastUid!) continue;
      if (msg.source) messages.push(msg.source);
      if (BigInt(msg.uid) > lastUid) lastUid = BigInt(msg.uid);
      if (messages.length >= MAX_MESSAGES_PER_POLL) break;
    }
    return { messages, cursor: { uidValidity, lastUid } };
  } finally {
    await client.logout().catch(() => client.close());
  }
}
