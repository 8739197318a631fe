// A small HTTP reverse proxy for the cluster stack: one port in front of several API
// processes, round robin over the ones whose /health/ready answers 200 (checked every
// `intervalMs`, and at once when a connection to one fails). A request that could not reach a
// backend at all (connection refused) is retried on the next one, since nothing was sent; a
// backend that dies mid-request answers 502, because the request may have been applied (the
// client retries with its Idempotency-Key). Hand-written rather than Nginx so the stack needs
// nothing outside npm and Go; it carries only what the tests and `stack:cluster` need.
'use strict';
const http = require('node:http');

function startProxy({ port = 0, host = '127.0.0.1', backends, intervalMs = 1000, log = () => {} }) {
  const state = backends.map((url) => ({ url: new URL(url), healthy: false, inFlight: 0, served: 0 }));
  let next = 0;
  const agent = new http.Agent({ keepAlive: true, maxSockets: 256 });

  async function check(b) {
    let healthy;
    try {
      const res = await fetch(new URL('/health/ready', b.url), { signal: AbortSignal.timeout(3000) });
      healthy = res.ok;
    } catch {
      healthy = false;
    }
    if (healthy !== b.healthy) log(`${b.url.host} is ${healthy ? 'up' : 'down'}`);
    b.healthy = healthy;
  }
  const timer = setInterval(() => state.forEach((b) => void check(b)), intervalMs);

  function pick(tried) {
    for (let i = 0; i < state.length; i++) {
      const b = state[(next + i) % state.length];
      if (b.healthy && !tried.has(b)) {
        next = (next + i + 1) % state.length;
        return b;
      }
    }
    return undefined;
  }

  const server = http.createServer((req, res) => {
    const chunks = [];
    req.on('data', (c) => chunks.push(c));
    req.on('end', () => forward(req, res, Buffer.concat(chunks), new Set()));
  });

  function forward(req, res, body, tried) {
    const b = pick(tried);
    if (!b) {
      res.writeHead(503, { 'content-type': 'application/json', 'retry-after': '1' });
      res.end(JSON.stringify({ code: 'SERVICE_UNAVAILABLE', message: 'No API instance is ready', details: {} }));
      return;
    }
    tried.add(b);
    b.inFlight++;
    const upstream = http.request(
      { host: b.url.hostname, port: b.url.port, method: req.method, path: req.url, headers: { ...req.headers, 'x-forwarded-for': req.socket.remoteAddress }, agent },
      (up) => {
        res.writeHead(up.statusCode, { ...up.headers, 'x-served-by': b.url.host });
        up.pipe(res);
        up.on('end', () => {
          b.inFlight--;
          b.served++;
        });
        up.on('error', () => res.destroy());
      },
    );
    upstream.on('error', (error) => {
      b.inFlight--;
      void check(b);
      if (res.headersSent) return res.destroy();
      // Refused: nothing reached the backend, so another one may take it.
      if (error.code === 'ECONNREFUSED') return forward(req, res, body, tried);
      res.writeHead(502, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ code: 'BAD_GATEWAY', message: `The API instance failed mid-request (${error.code || error.message})`, details: {} }));
    });
    upstream.end(body);
  }

  return new Promise((resolve) => {
    server.listen(port, host, () => {
      state.forEach((b) => void check(b));
      resolve({
        url: `http://${host}:${server.address().port}`,
        backends: state,
        /** Resolves once `n` backends are healthy. */
        async waitHealthy(n = state.length, timeoutMs = 90_000) {
          const deadline = Date.now() + timeoutMs;
          for (;;) {
            await Promise.all(state.map(check));
            if (state.filter((b) => b.healthy).length >= n) return;
            if (Date.now() > deadline) throw new Error(`only ${state.filter((b) => b.healthy).length} of ${n} API instances became ready`);
            await new Promise((r) => setTimeout(r, 300));
          }
        },
        close: () =>
          new Promise((r) => {
            clearInterval(timer);
            agent.destroy();
            server.closeAllConnections?.();
            server.close(() => r());
          }),
      });
    });
  });
}

module.exports = { startProxy };

// On its own (docker-compose.yml's `proxy`): PROXY_BACKENDS=http://api-1:3000,http://api-2:3000,
// PORT (3000) and HOST (0.0.0.0) say where.
if (require.main === module) {
  const backends = (process.env.PROXY_BACKENDS || '').split(',').map((s) => s.trim()).filter(Boolean);
  if (backends.length === 0) {
    console.error('[proxy] set PROXY_BACKENDS to the API instances (http://host:port,…)');
    process.exit(1);
  }
  startProxy({
    port: Number(process.env.PORT || 3000),
    host: process.env.HOST || '0.0.0.0',
    backends,
    log: (m) => console.log(`[proxy] ${m}`),
  }).then((proxy) => {
    console.log(`[proxy] ${proxy.url} → ${backends.join(', ')}`);
    const stop = () => proxy.close().then(() => process.exit(0));
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
}
