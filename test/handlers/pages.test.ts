// Handler tests of the pages built from console/ (GET /, GET /password-reset) through the whole middy pipeline: each
// inlines exactly the script and style sheet built for it (the Jest setup builds them next to the handlers), and its
// Content-Security-Policy allows those two texts by their SHA-256 and nothing else.
import { createHash } from 'node:crypto';
import { join } from 'node:path';
import type { APIGatewayProxyResult } from 'aws-lambda';
import { routes } from '../../functions/contract/routes';
import { readPageAssets } from '../../functions/http/page-assets';
import type { ApiHandler } from '../../functions/http/pipeline';
import { apiEvent, headerOf, lambdaContext } from './events';

const FUNCTIONS = join(import.meta.dirname, '..', '..', 'functions');
const sha256Source = (text: string): string => `'sha256-${createHash('sha256').update(text, 'utf8').digest('base64')}'`;
/** The policy's directives by name, each with its values. */
const directivesOf = (policy: string): Record<string, string[]> =>
  Object.fromEntries(policy.split(';').map((directive) => directive.trim().split(/\s+/)).map(([name = '', ...values]) => [name, values]));
const inline = (html: string, tag: 'script' | 'style'): string[] => [...html.matchAll(new RegExp(`<${tag}\\b[^>]*>([^]*?)</${tag}>`, 'g'))].map((match) => match[1] ?? '');

const pages = [routes.consolePage, routes.passwordChangeScreen].map((route) => ({ route, name: route.operationId }));

describe.each(pages)('when $name is served', ({ route }) => {
  let served: APIGatewayProxyResult;
  let handler: ApiHandler;

  beforeAll(async () => {
    ({ handler } = (await import(`../../functions/${route.handler}/handler`)) as { handler: ApiHandler });
    served = (await handler(apiEvent(route.method, route.path), lambdaContext())) as APIGatewayProxyResult;
  });

  it('inlines exactly the script and the style sheet built for it, once each', () => {
    const built = readPageAssets(join(FUNCTIONS, route.handler));

    expect(served.statusCode).toBe(200);
    expect(inline(served.body, 'script')).toEqual([built.script]);
    expect(inline(served.body, 'style')).toEqual([built.style]);
    expect(served.body).not.toMatch(/<script\b[^>]*\bsrc=|<link\b/i);
  });

  it('allows that script and that style sheet by hash and nothing inline besides, with requests to this API only', () => {
    const built = readPageAssets(join(FUNCTIONS, route.handler));
    const directives = directivesOf(headerOf(served, 'Content-Security-Policy') ?? '');

    expect(directives).toEqual({
      'default-src': ["'none'"],
      'script-src': [sha256Source(built.script)],
      'style-src': [sha256Source(built.style)],
      'connect-src': ["'self'"],
      'form-action': ["'self'"],
      'base-uri': ["'none'"],
      'frame-ancestors': ["'none'"],
      'require-trusted-types-for': ["'script'"],
      'trusted-types': ["'none'"],
    });
  });

  it('is sent as HTML that no cache keeps and no Referer follows', () => {
    expect(headerOf(served, 'Content-Type')).toBe('text/html; charset=utf-8');
    expect(headerOf(served, 'Cache-Control')).toBe('no-store');
    expect(headerOf(served, 'Referrer-Policy')).toBe('no-referrer');
  });
});
