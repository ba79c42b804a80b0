import type { AddressInfo } from 'node:net';
import { simpleParser, type ParsedMail } from 'mailparser';
import { SMTPServer } from 'smtp-server';

/** A real SMTP server on loopback that keeps what it accepted, read back with mailparser. */
export interface Mailbox {
  url: string;
  mails: ParsedMail[];
  /** Accepted (250 after DATA) per Message-ID. */
  accepted: Map<string, number>;
  /** While set, DATA is read but never answered: a send stays in flight (a restart mid-send). */
  hold: boolean;
  /** DATA sessions read while held (so a test knows a send is in flight). */
  heldCount: number;
  /** Recipients refused for good at RCPT TO (550 5.1.1): a mailbox that does not exist. */
  refuse: Set<string>;
  to(address: string): ParsedMail[];
  close(): Promise<void>;
}

export async function startMailbox(): Promise<Mailbox> {
  const box: Mailbox = {
    url: '',
    mails: [],
    accepted: new Map(),
    hold: false,
    heldCount: 0,
    refuse: new Set(),
    to: (address) => box.mails.filter((m) => (Array.isArray(m.to) ? m.to : m.to ? [m.to] : []).some((a) => a.value.some((v) => v.address === address))),
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
  const server = new SMTPServer({
    authOptional: true,
    disabledCommands: ['STARTTLS', 'AUTH'],
    logger: false,
    onRcptTo(address, _session, callback) {
      if (!box.refuse.has(address.address)) return callback();
      callback(Object.assign(new Error('5.1.1 <' + address.address + '>: user unknown'), { responseCode: 550 }));
    },
    onData(stream, _session, callback) {
      const held = box.hold;
      simpleParser(stream).then(
        (mail) => {
          if (held) {
            box.heldCount += 1;
            return; // never answered: the client's connection dies with its process
          }
          box.mails.push(mail);
          const id = mail.messageId ?? '';
          box.accepted.set(id, (box.accepted.get(id) ?? 0) + 1);
          callback();
        },
        (err: Error) => callback(err),
      );
    },
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  const { port } = (server as unknown as { server: { address(): AddressInfo } }).server.address();
  box.url = `smtp://127.0.0.1:${port}`;
  return box;
}
