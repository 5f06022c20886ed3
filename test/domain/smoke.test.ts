import { handler } from '../../functions/health/handler';
describe('when the health route is called', () => {
  it('answers ok', async () => {
    const result = await handler({ httpMethod: 'GET', path: '/health', headers: {}, body: null } as never, {} as never);
    expect(result.statusCode).toBe(200);
    expect(JSON.parse(result.body)).toEqual({ status: 'ok' });
  });
});
