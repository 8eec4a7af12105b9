// The newsletter benchmark's reference (bench/newsletter.ts): a bare nodemailer loop writing `count`
// messages of the same kind (text + HTML + List-Unsubscribe) to the SMTP server on `port`, one after the
// other over one pooled connection. A process of its own, as the mailing worker is: both pay the same
// hops between processes to reach the server.
// Usage: node --import tsx bare-mailer.ts <smtp-port> <count>
import nodemailer from 'nodemailer';

const [port, count] = process.argv.slice(2).map(Number);
if (!port || !count) throw new Error('usage: bare-mailer.ts <smtp-port> <count>');
const transport = nodemailer.createTransport(`smtp://127.0.0.1:${port}/?pool=true&maxConnections=1&maxMessages=Infinity`);
for (let i = 0; i < count; i++) {
  await transport.sendMail({
    from: 'Fanfare <no-reply@localhost>', to: `fan${String(i).padStart(6, '0')}@example.org`, subject: 'News · Camille', text: 'Hello\n\nhttps://fanfare.test/c/camille/posts/x\n', html: '<p>Hello</p>',
    headers: { 'List-Unsubscribe': `<https://fanfare.test/unsubscribe/${i}>`, 'List-Unsubscribe-Post': 'List-Unsubscribe=One-Click' }, messageId: `<bare.${i}@fanfare.test>`,
  });
}
transport.close();
