// Handler: every method and path the route table does not declare; 405 with Allow when only the method is wrong.
import { fallbackRoute, matchPath } from '../contract/routes';
import { STATUS_OF } from '../http/error-status';
import { publicHandler, type ParsedRequest } from '../http/pipeline';
import { errorReply, type Reply } from '../http/responses';

export const core = async ({ method, path }: ParsedRequest<typeof fallbackRoute>): Promise<Reply> => {
  const allowed: string[] = matchPath(path).map(({ route }) => route.method);
  if (allowed.length > 0 && !allowed.includes(method)) {
    return errorReply(STATUS_OF.METHOD_NOT_ALLOWED, 'METHOD_NOT_ALLOWED', `${method} is not allowed here; use ${allowed.join(' or ')}.`, undefined, {
      Allow: allowed.join(', '),
    });
  }
  return errorReply(STATUS_OF.ROUTE_NOT_FOUND, 'ROUTE_NOT_FOUND', 'There is no such operation. GET /openapi.json lists them all.');
};

export const handler = publicHandler(fallbackRoute, core);
