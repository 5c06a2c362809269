import { createServer, type Server, type Socket } from 'node:net';

/**
 * A minimal SMTP server on 127.0.0.1 for the notification tests: EHLO/HELO, AUTH PLAIN/LOGIN,
 * MAIL, RCPT, DATA, RSET, NOOP, QUIT. It records every accepted message and can refuse the first
 * `failFirst` MAIL FROM commands with a 451, as a busy server does.
 */
export interface ReceivedMail {
  from: string;
  to: string[];
  data: string;
  /** user name of AUTH, when the client logged in */
  user: string | undefined;
  password: string | undefined;
}

export interface TestSmtpServer {
  port: number;
  messages: ReceivedMail[];
  /** every line the client sent, AUTH included */
  transcript: string[];
  failFirst: number;
  close(): Promise<void>;
}

export async function startSmtpServer(opts: { failFirst?: number } = {}): Promise<TestSmtpServer> {
  const state: Omit<TestSmtpServer, 'port' | 'close'> = { messages: [], transcript: [], failFirst: opts.failFirst ?? 0 };
  const sockets = new Set<Socket>();
  const server: Server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => sockets.delete(socket));
    serve(socket, state);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return Object.assign(state, {
    port,
    close: () =>
      new Promise<void>((resolve) => {
        for (const s of sockets) s.destroy();
        server.close(() => resolve());
      }),
  });
}

function serve(socket: Socket, state: Omit<TestSmtpServer, 'port' | 'close'>): void {
  let buffer = '';
  let inData = false;
  let awaiting: 'login-user' | 'login-pass' | undefined;
  let mail: ReceivedMail = { from: '', to: [], data: '', user: undefined, password: undefined };
  let user: string | undefined;
  let password: string | undefined;
  const reply = (line: string) => socket.write(line + '\r\n');
  reply('220 127.0.0.1 test SMTP ready');
  socket.on('data', (chunk: Buffer) => {
    buffer += chunk.toString('utf8');
    for (;;) {
      if (inData) {
        const end = buffer.indexOf('\r\n.\r\n');
        if (end < 0) return;
        mail.data = buffer.slice(0, end).replace(/^\.\./gm, '.');
        buffer = buffer.slice(end + 5);
        inData = false;
        state.messages.push({ ...mail, user, password });
        reply('250 OK queued');
        continue;
      }
      const nl = buffer.indexOf('\r\n');
      if (nl < 0) return;
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 2);
      state.transcript.push(line);
      if (awaiting === 'login-user') {
        user = Buffer.from(line, 'base64').toString('utf8');
        awaiting = 'login-pass';
        reply('334 UGFzc3dvcmQ6');
        continue;
      }
      if (awaiting === 'login-pass') {
        password = Buffer.from(line, 'base64').toString('utf8');
        awaiting = undefined;
        reply('235 Authentication successful');
        continue;
      }
      const [verb = '', ...rest] = line.split(' ');
      const arg = rest.join(' ');
      switch (verb.toUpperCase()) {
        case 'EHLO':
          socket.write('250-127.0.0.1\r\n250-AUTH PLAIN LOGIN\r\n250 8BITMIME\r\n');
          break;
        case 'HELO':
          reply('250 127.0.0.1');
          break;
        case 'AUTH': {
          const [mech = '', initial] = arg.split(' ');
          if (mech.toUpperCase() === 'PLAIN' && initial) {
            const [, u, p] = Buffer.from(initial, 'base64').toString('utf8').split('\0');
            user = u;
            password = p;
            reply('235 Authentication successful');
          } else if (mech.toUpperCase() === 'LOGIN') {
            awaiting = 'login-user';
            reply('334 VXNlcm5hbWU6');
          } else reply('504 Unrecognized authentication type');
          break;
        }
        case 'MAIL':
          if (state.failFirst > 0) {
            state.failFirst--;
            reply('451 4.3.0 Try again later');
            break;
          }
          mail = { from: /<([^>]*)>/.exec(arg)?.[1] ?? '', to: [], data: '', user: undefined, password: undefined };
          reply('250 OK');
          break;
        case 'RCPT':
          mail.to.push(/<([^>]*)>/.exec(arg)?.[1] ?? '');
          reply('250 OK');
          break;
        case 'DATA':
          inData = true;
          reply('354 End data with <CR><LF>.<CR><LF>');
          break;
        case 'RSET':
          mail = { from: '', to: [], data: '', user: undefined, password: undefined };
          reply('250 OK');
          break;
        case 'NOOP':
          reply('250 OK');
          break;
        case 'QUIT':
          reply('221 Bye');
          socket.end();
          return;
        default:
          reply('502 Command not implemented');
      }
    }
  });
}
