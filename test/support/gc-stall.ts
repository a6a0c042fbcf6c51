// Run by test/leadconduit.test.ts in a child process with --expose-gc: reads an account from a
// server that sends half an answer and then nothing, while forcing garbage collection, and
// prints how the read ended. Before the fix the abort was collected away and this hung forever.
import { createServer } from 'node:http';
import { createLeadConduitClient } from '../../src/leadconduit.js';
import { Redactor } from '../../src/redact.js';
import { Deadline } from '../../src/deadline.js';

const server = createServer((_req, res) => {
  res.writeHead(200, { 'content-type': 'application/json', 'content-length': '500' });
  res.write('{"id": "5fd4371e940df5a34a3888b2", ');
});
await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
const { port } = server.address() as { port: number };
const gc = (globalThis as { gc?: () => void }).gc;
const collect = setInterval(() => gc?.(), 5);
const started = Date.now();
const client = createLeadConduitClient({
  baseUrl: `http://127.0.0.1:${port}`,
  apiKey: 'gc-test-key-123',
  // Long enough that a busy machine still sees the headers in time: it is the body that stalls.
  requestTimeoutMs: 500,
  retry: { retries: 1, baseDelayMs: 5, maxDelayMs: 10, maxRetryAfterMs: 1000 },
  deadline: new Deadline(10_000),
  redactor: new Redactor(() => {}),
});
try {
  await client.readAccount();
  console.log(JSON.stringify({ outcome: 'read', ms: Date.now() - started, gc: Boolean(gc) }));
} catch (error) {
  console.log(JSON.stringify({ outcome: 'failed', message: (error as Error).message, ms: Date.now() - started, gc: Boolean(gc) }));
} finally {
  clearInterval(collect);
  server.closeAllConnections();
  server.close();
}
