import Ajv2020 from 'ajv/dist/2020';
import addFormats from 'ajv-formats';
import { OpenApiDocument } from '../openApiDocument';


/**
 * What the checker needs of a response; supertest's `Response` fits.
 *
 * @public
 */
export interface CheckedResponse {
  status: number;
  body: unknown;
  headers: Record<string, string | string[] | undefined>;
  req?: { method?: string; path?: string };
}

const methods = ['get', 'put', 'post', 'delete', 'patch', 'head', 'options'];

const escapeRegExp = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
const escapePointer = (segment: string) => segment.replace(/~/g, '~0').replace(/\//g, '~1');
const unescapePointer = (segment: string) => segment.replace(/~1/g, '/').replace(/~0/g, '~');

/**
 * Checks responses against an OpenAPI 3.1 document: the operation must exist, the status
 * must be documented (or covered by `default`), and a JSON body must match its schema.
 * Plugin tests hand it to supertest's `.expect()` so that code and document cannot drift.
 *
 * @public
 */
export function createOpenApiResponseChecker(spec: OpenApiDocument, options: { basePath: string }) {
  const ajv = new Ajv2020({ strict: false, allErrors: true });
  addFormats(ajv);
  ajv.addSchema(spec as object, 'openapi');

  const routes = Object.keys(spec.paths).map(template => ({
    template,
    pattern: new RegExp(
      `^${template
        .split(/(\{[^}]+\})/)
        .map(part => (part.startsWith('{') ? '[^/]+' : escapeRegExp(part)))
        .join('')}$`,
    ),
  }));

  /** Follows a response `$ref` to its pointer inside the document. */
  const responsePointer = (response: any, fallback: string): string => {
    let current = response;
    let at = fallback;
    while (current?.$ref) {
      at = String(current.$ref).slice(1);
      current = at
        .split('/')
        .slice(1)
        .reduce((node: any, key) => node?.[unescapePointer(key)], spec);
    }
    return at;
  };

  const lookup = (at: string) =>
    at
      .split('/')
      .slice(1)
      .reduce((node: any, key) => node?.[unescapePointer(key)], spec);

  return function check(res: CheckedResponse): void {
    const method = (res.req?.method ?? '').toLowerCase();
    const fullPath = (res.req?.path ?? '').split('?')[0];
    if (!fullPath.startsWith(options.basePath)) {
      throw new Error(`${fullPath} is outside ${options.basePath}`);
    }
    const path = fullPath.slice(options.basePath.length) || '/';
    const route = routes.find(r => r.pattern.test(path));
    const operation = route && methods.includes(method) ? spec.paths[route.template][method] : undefined;
    if (!route || !operation) {
      throw new Error(`OpenAPI document has no operation ${method.toUpperCase()} ${path}`);
    }
    const responses = operation.responses ?? {};
    const key = String(res.status) in responses ? String(res.status) : 'default';
    if (!responses[key]) {
      throw new Error(`OpenAPI document does not describe ${res.status} for ${method.toUpperCase()} ${route.template}`);
    }
    const at = responsePointer(
      responses[key],
      `/${['paths', route.template, method, 'responses', key].map(escapePointer).join('/')}`,
    );
    const response = lookup(at);
    const contentType = String(res.headers['content-type'] ?? '');
    if (res.status === 204 || res.status === 304 || !contentType) {
      return;
    }
    const mediaType = Object.keys(response?.content ?? {}).find(type => contentType.startsWith(type));
    if (!mediaType) {
      throw new Error(
        `OpenAPI document has no ${contentType} body for ${res.status} ${method.toUpperCase()} ${route.template}`,
      );
    }
    if (!mediaType.includes('json') || !response.content[mediaType].schema) {
      return;
    }
    const schemaRef = `openapi#${at}/content/${escapePointer(mediaType)}/schema`;
    const validate = ajv.getSchema(schemaRef) ?? ajv.compile({ $ref: schemaRef });
    if (!validate(res.body)) {
      throw new Error(
        `${res.status} ${method.toUpperCase()} ${path} does not match the OpenAPI document: ${ajv.errorsText(validate.errors, { dataVar: 'body' })}\nbody: ${JSON.stringify(res.body).slice(0, 500)}`,
      );
    }
  };
}
