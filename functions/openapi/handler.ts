// Handler: GET /openapi.json, the document generated from the route table (built once per container).
import { openApiDocument } from '../contract/openapi';
import { routes } from '../contract/routes';
import { publicHandler } from '../http/pipeline';
import { ok } from '../http/responses';

const document = openApiDocument();

export const core = async () => ok(document);

export const handler = publicHandler(routes.openApi, core);
