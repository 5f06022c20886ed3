// CORS for a console served from another origin: only configured origins are echoed, never "*".
import { handler } from '../../functions/health/handler';
import { apiEvent, headerOf, lambdaContext } from './events';

beforeAll(() => {
  // Read on the first request of this file's handlers, after this line.
  process.env.ALLOWED_ORIGINS = 'https://console.acme.example, https://admin.acme.example';
});

describe('when a browser on an allowed origin calls the API', () => {
  it('echoes that origin, varies on it and exposes the headers a client reads (ETag, Location, Retry-After, Idempotent-Replayed)', async () => {
    const result = await handler(apiEvent('GET', '/health', { headers: { Origin: 'https://console.acme.example' } }), lambdaContext());

    expect(headerOf(result, 'Access-Control-Allow-Origin')).toBe('https://console.acme.example');
    expect(headerOf(result, 'Access-Control-Expose-Headers')).toBe('ETag, Location, Retry-After, Idempotent-Replayed');
    expect(headerOf(result, 'Vary')).toBe('Origin');
  });
});

describe('when a browser on any other origin calls the API', () => {
  it('grants it nothing', async () => {
    const result = await handler(apiEvent('GET', '/health', { headers: { Origin: 'https://evil.example' } }), lambdaContext());

    expect(headerOf(result, 'Access-Control-Allow-Origin')).toBeUndefined();
    expect(headerOf(result, 'Vary')).toBe('Origin');
  });
});
