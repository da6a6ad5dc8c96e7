declare module 'hoodiecrow-imap' {
  import type { Server } from 'node:net';
  interface HoodiecrowServer {
    server: Server;
    listen(port: number, host: string, callback: () => void): void;
    close(callback: () => void): void;
    appendMessage(folder: string, flags: string[], internaldate: string | Date, raw: string): void;
  }
  export default function hoodiecrow(options: Record<string, unknown>): HoodiecrowServer;
}
