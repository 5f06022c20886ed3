// Handler: GET /openapi.json, the document generated from the route table (built once per container). The only
// bundle with the generator in it.
import { openApiDocument } from '../contract/openapi';
import * as routes from '../contract/routes';
import { OpenApiDocument } from '../contract/schemas';
import { publicHandler } from '../http/pipeline';
import { ok } from '../http/responses';

const document = OpenApiDocument.parse(openApiDocument());

export const core = async () => ok(document);

export const handler = publicHandler(routes.openApi, core);
