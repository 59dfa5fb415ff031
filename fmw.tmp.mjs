import Fastify from 'fastify';
const METHODS = ['GET', 'HEAD', 'POST', 'PUT', 'PATCH', 'DELETE'];
async function build(withAllow) {
  const app = Fastify();
  app.post('/v1/runs', async () => ({ ok: 1 }));
  if (withAllow) for (const [url, allowed] of [['/eval', 'POST'], ['/v1/runs', 'POST'], ['/healthz', 'GET'], ['/metrics', 'GET']]) {
    const others = METHODS.filter((m) => m !== allowed && !(allowed === 'GET' && m === 'HEAD'));
    app.route({ method: others, url, handler: async () => 405 });
    app.options(url, async () => 200);
  }
  await app.ready();
  return app;
}
for (const w of [false, true, false, true]) {
  const app = await build(w);
  const N = 5000; const t = performance.now();
  for (let i = 0; i < N; i++) await app.inject({ method: 'POST', url: '/v1/runs', payload: { code: 'x' } });
  console.log(w, ((performance.now() - t) / N * 1000).toFixed(1), 'µs/inject');
}
