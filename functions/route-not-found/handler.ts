// Handler: every method and path the route table does not declare; 405 with Allow when only the method is wrong.
import { fallbackRoute, matchPath } from '../contract/routes';
import { methodNotAllowed, routeNotFound } from '../domain/errors';
import { publicHandler, type ParsedRequest } from '../http/pipeline';

export const core = async ({ method, path }: ParsedRequest<typeof fallbackRoute>): Promise<never> => {
  const allowed: string[] = matchPath(path).map(({ route }) => route.method);
  if (allowed.length > 0 && !allowed.includes(method)) throw methodNotAllowed(method, allowed);
  throw routeNotFound();
};

export const handler = publicHandler(fallbackRoute, core);
