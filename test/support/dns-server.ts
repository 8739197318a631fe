import { createSocket, type Socket } from 'node:dgram';
import { createServer, type Server, type Socket as NetSocket } from 'node:net';

/** Names (lower case, ASCII: IDNs as their punycode `xn--` labels) and what they answer. */
export type DnsRecords = Record<string, { A?: string[]; CNAME?: string }>;

export interface DnsServer {
  /** `127.0.0.1:PORT`, as ICP_DNS_SERVERS wants it; UDP and TCP listen on the same port. */
  address: string;
  /** Replaces the whole zone. */
  set(records: DnsRecords): void;
  close(): Promise<void>;
}

const TYPE_A = 1;
const TYPE_CNAME = 5;
const CLASS_IN = 1;
const TTL = 60;
const RCODE = { NOERROR: 0, FORMERR: 1, NXDOMAIN: 3, NOTIMP: 4 } as const;

const normalise = (name: string) => name.trim().toLowerCase().replace(/\.$/, '');

/** A name as length-prefixed labels ending with the root label (no compression; case kept). */
function encodeName(name: string): Buffer {
  const labels = name.trim().split('.').filter(Boolean);
  return Buffer.concat([...labels.map((l) => Buffer.concat([Buffer.from([l.length]), Buffer.from(l, 'ascii')])), Buffer.from([0])]);
}

/** One resource record; `owner` is either an encoded name or a compression pointer. */
function rr(owner: Buffer, type: number, rdata: Buffer): Buffer {
  const fixed = Buffer.alloc(10);
  fixed.writeUInt16BE(type, 0);
  fixed.writeUInt16BE(CLASS_IN, 2);
  fixed.writeUInt32BE(TTL, 4);
  fixed.writeUInt16BE(rdata.length, 8);
  return Buffer.concat([owner, fixed, rdata]);
}

/** Answers one DNS message, or null when it is too broken to answer at all. */
export function answer(query: Buffer, zone: DnsRecords): Buffer | null {
  if (query.length < 12) return null;
  const flags = query.readUInt16BE(2);
  const opcode = (flags >> 11) & 0xf;
  const rd = flags & 0x0100;
  // Header: copy the id, set QR, AA and RA, copy RD; the counts are filled in below.
  const reply = (rcode: number, question: Buffer, answers: Buffer[]) => {
    const header = Buffer.alloc(12);
    header.writeUInt16BE(query.readUInt16BE(0), 0);
    header.writeUInt16BE(0x8000 | (opcode << 11) | 0x0400 | rd | 0x0080 | rcode, 2);
    header.writeUInt16BE(question.length ? 1 : 0, 4);
    header.writeUInt16BE(answers.length, 6);
    return Buffer.concat([header, question, ...answers]);
  };
  if (opcode !== 0) return reply(RCODE.NOTIMP, Buffer.alloc(0), []);
  if (query.readUInt16BE(4) !== 1) return reply(RCODE.FORMERR, Buffer.alloc(0), []);

  // Question: QNAME as labels (queries carry no compression pointers), then QTYPE and QCLASS.
  const labels: string[] = [];
  let offset = 12;
  while (offset < query.length && query[offset] !== 0) {
    const length = query[offset];
    if (length > 63 || offset + 1 + length > query.length) return reply(RCODE.FORMERR, Buffer.alloc(0), []);
    labels.push(query.toString('ascii', offset + 1, offset + 1 + length));
    offset += 1 + length;
  }
  if (offset + 5 > query.length) return reply(RCODE.FORMERR, Buffer.alloc(0), []);
  const qtype = query.readUInt16BE(offset + 1);
  const qclass = query.readUInt16BE(offset + 3);
  const question = query.subarray(12, offset + 5); // echoed as sent (case included)
  if (qclass !== CLASS_IN) return reply(RCODE.NOTIMP, question, []);

  const qname = labels.join('.').toLowerCase();
  if (!zone[qname]) return reply(RCODE.NXDOMAIN, question, []);

  // The first owner is the question's name: a pointer to offset 12. Later owners are spelled out.
  const answers: Buffer[] = [];
  let name = qname;
  let owner: Buffer = Buffer.from([0xc0, 12]);
  // A CNAME answers every type; for the other types chase it (a few hops) through this zone.
  for (let hops = 0; zone[name]?.CNAME && hops < 8; hops++) {
    const target = zone[name].CNAME!;
    answers.push(rr(owner, TYPE_CNAME, encodeName(target)));
    if (qtype === TYPE_CNAME) break;
    name = normalise(target);
    owner = encodeName(target);
  }
  if (qtype === TYPE_A) {
    for (const ip of zone[name]?.A ?? []) answers.push(rr(owner, TYPE_A, Buffer.from(ip.split('.').map(Number))));
  }
  // A known name without the type asked for: NOERROR with no answers (NODATA).
  return reply(RCODE.NOERROR, question, answers);
}

/** Starts the server on 127.0.0.1, UDP and TCP on one free port. */
export async function startDnsServer(records: DnsRecords): Promise<DnsServer> {
  let zone: DnsRecords = {};
  const set = (next: DnsRecords) => {
    zone = {};
    for (const [name, value] of Object.entries(next)) {
      if (!/^[\x20-\x7e]*$/.test(name)) throw new Error(`${name}: write IDNs as their punycode (xn--) labels`);
      zone[normalise(name)] = value;
    }
  };
  set(records);

  // TCP first on a free port, then UDP on the same number; retry on the rare clash.
  const connections = new Set<NetSocket>();
  for (let attempt = 0; ; attempt++) {
    const tcp: Server = createServer((socket) => {
      let pending = Buffer.alloc(0);
      connections.add(socket);
      socket.on('close', () => connections.delete(socket));
      socket.on('error', () => socket.destroy());
      socket.on('data', (chunk) => {
        pending = Buffer.concat([pending, chunk]);
        // Each TCP message is prefixed with its length (two bytes).
        while (pending.length >= 2 && pending.length >= 2 + pending.readUInt16BE(0)) {
          const message = pending.subarray(2, 2 + pending.readUInt16BE(0));
          pending = pending.subarray(2 + message.length);
          const response = answer(message, zone);
          if (!response) return socket.destroy();
          const length = Buffer.alloc(2);
          length.writeUInt16BE(response.length);
          socket.write(Buffer.concat([length, response]));
        }
      });
    });
    await new Promise<void>((resolve, reject) => tcp.once('error', reject).listen(0, '127.0.0.1', resolve));
    const port = (tcp.address() as { port: number }).port;
    const udp: Socket = createSocket('udp4');
    udp.on('message', (message, peer) => {
      const response = answer(message, zone);
      if (response) udp.send(response, peer.port, peer.address);
    });
    try {
      await new Promise<void>((resolve, reject) => udp.once('error', reject).bind(port, '127.0.0.1', resolve));
    } catch (error) {
      try {
        udp.close();
      } catch {
        // never bound: nothing to close
      }
      await new Promise((resolve) => tcp.close(resolve));
      if (attempt < 5) continue;
      throw error;
    }
    return {
      address: `127.0.0.1:${port}`,
      set,
      close: async () => {
        for (const socket of connections) socket.destroy(); // else tcp.close() waits for clients
        await Promise.all([new Promise((resolve) => udp.close(() => resolve(undefined))), new Promise((resolve) => tcp.close(resolve))]);
      },
    };
  }
}
