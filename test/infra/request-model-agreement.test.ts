// Stack tests (lib/request-models.ts): API Gateway's body model of every route and the zod schema its function
// validates with give the same verdict on a corpus of bodies: each route's valid body, every mutation of it the model
// describes (a field missing, unknown, of another type, past a bound, outside an enum or a pattern), and hand-picked
// edges. The model is judged by a draft-04 validator (ajv-draft-04), as API Gateway judges it. Where the model can
// only be looser (what draft 4 cannot say), the case is listed below with its reason, and must stay exactly that:
// the model accepts, the function refuses. The model never refuses what the function accepts.
import AjvDraft04 from 'ajv-draft-04';
import { z } from 'zod';
import { DEFAULT_PASSWORD_POLICY } from '../../functions/domain/password-policy';
import { routeList, routes, type RouteDefinition, type RouteName } from '../../functions/contract/routes';
import { requestModelSchema, type JsonSchemaObject } from '../../lib/request-models';
import { ADMIN_EXAMPLE } from '../../functions/contract/schemas';

type Body = Record<string, unknown>;
type Schema = { type?: string; properties?: Record<string, Schema>; required?: string[]; enum?: unknown[]; minLength?: number; maxLength?: number; minimum?: number; maximum?: number; pattern?: string; anyOf?: Schema[] };

const TOKEN = 'Q'.repeat(43);
const ADMIN_ID = ADMIN_EXAMPLE.adminId;
const AT = '2026-11-30T09:02:10.000Z';
/** The default settings, as PUT takes them. */
const { maxLength: _fixed, ...POLICY } = DEFAULT_PASSWORD_POLICY;

/** A body each route's function accepts, with every field the schema has (optional ones included). */
const VALID: Readonly<Record<string, Body>> = {
  signIn: { companyId: 'demo', email: 'ada@demo.example', password: 'a passphrase' },
  answerNewPasswordChallenge: { challengeToken: TOKEN, newPassword: 'a new passphrase' },
  changeOwnPassword: { currentPassword: 'the old one', newPassword: 'a new passphrase' },
  createAdmin: { email: 'gil@demo.example', name: 'Gil', role: 'general', canChangeOwnPassword: false, temporaryPassword: 'first day passphrase' },
  updateAdmin: {
    name: 'Gil',
    email: 'gil@demo.example',
    role: 'general',
    canChangeOwnPassword: true,
    adminId: ADMIN_ID,
    companyId: 'demo',
    status: 'active',
    locked: false,
    lockedUntil: null,
    passwordChangedAt: AT,
    createdAt: AT,
    updatedAt: AT,
  },
  setTemporaryPassword: { temporaryPassword: 'master chose this one' },
  requestPasswordReset: { email: 'gil.home@example.org' },
  verifyPasswordReset: { token: TOKEN },
  completePasswordReset: { token: TOKEN, newPassword: 'a new passphrase', confirmPassword: 'a new passphrase' },
  updatePasswordPolicy: { ...POLICY, maxLength: 128 },
};

/** Hand-picked edges beyond the mutations: bodies near each rule the schemas state in words rather than bounds. */
const EDGES: Readonly<Record<string, readonly Body[]>> = {
  signIn: [{ ...VALID.signIn, email: 'not an email' }, { ...VALID.signIn, companyId: 'Demo' }, { ...VALID.signIn, companyId: '-demo' }, { ...VALID.signIn, password: '' }],
  createAdmin: [{ email: 'gil@demo.example', name: 'Gil', temporaryPassword: 'x' }, { ...VALID.createAdmin, name: 'Tab\there' }, { ...VALID.createAdmin, name: 'Zero\u200bwidth' }],
  updateAdmin: [{}, { name: 'Gil' }, { name: 'Bell\u0007' }, { adminId: ADMIN_ID }, { name: 'Gil', lockedUntil: 'yesterday' }, { name: 'Gil', createdAt: '2026-02-30T00:00:00.000Z' }],
  requestPasswordReset: [{}, { email: 'a@b' }],
  updatePasswordPolicy: [
    POLICY,
    { ...POLICY, lockoutThreshold: 0 },
    { ...POLICY, lockoutThreshold: 1 },
    { ...POLICY, lockoutThreshold: 2 },
    { ...POLICY, lockoutThreshold: 3 },
    { ...POLICY, lockoutThreshold: 100 },
    { ...POLICY, lockoutThreshold: 2.5 },
    { ...POLICY, minLength: 15.5 },
  ],
  verifyPasswordReset: [{ token: 'x' }, { token: 'x'.repeat(256) }, { token: 'x'.repeat(257) }],
};

/**
 * Where draft 4 can only be looser than zod: the model accepts, the function answers 400. Each is a predicate on the
 * body, with the reason.
 */
const LOOSER: readonly { readonly route: RouteName; readonly reason: string; readonly applies: (body: Body) => boolean }[] = [
  {
    route: 'updateAdmin',
    reason: '"at least one of name, email, role, canChangeOwnPassword" is a refinement the model does not carry',
    applies: (body) => ['name', 'email', 'role', 'canChangeOwnPassword'].every((field) => body[field] === undefined),
  },
];

/**
 * The body schema with every value rule kept (only `format` dropped): a body it refuses that the model accepts breaks a
 * value rule the model leaves to the function on purpose (lib/request-models.ts), so the function can name the field.
 */
const withValueRules = (route: RouteDefinition) =>
  ajv.compile(JSON.parse(JSON.stringify(z.toJSONSchema(route.body!, { target: 'draft-04', io: 'input', metadata: z.registry(), unrepresentable: 'throw' }), (key, value) => (key === 'format' ? undefined : value))));

const ajv = new AjvDraft04({ allErrors: true, strict: false });

/** Every body the corpus holds for a route: the valid one, its mutations along the model, and the edges. */
function corpus(name: string, model: Schema): Body[] {
  const valid = VALID[name]!;
  const bodies: Body[] = [valid, { ...valid, unknownField: 1 }, ...(EDGES[name] ?? [])];
  for (const [field, property] of Object.entries(model.properties ?? {})) {
    const { [field]: _dropped, ...without } = valid;
    const variants: unknown[] = [null, [], {}, 42, 'text', true];
    if (property.maxLength !== undefined) variants.push('x'.repeat(property.maxLength), 'x'.repeat(property.maxLength + 1));
    if (property.minLength !== undefined) variants.push('x'.repeat(property.minLength), 'x'.repeat(Math.max(0, property.minLength - 1)));
    if (property.minimum !== undefined) variants.push(property.minimum, property.minimum - 1, property.minimum + 0.5);
    if (property.maximum !== undefined) variants.push(property.maximum, property.maximum + 1);
    if (property.enum !== undefined) variants.push(...property.enum, 'none of these');
    if (property.pattern !== undefined) variants.push(`${String(valid[field] ?? '')}!`, ` ${String(valid[field] ?? '')}`);
    bodies.push(without, ...variants.map((value) => ({ ...valid, [field]: value })));
  }
  return bodies;
}

const bodyRoutes = routeList.filter((route) => route.body !== undefined);

it('has a valid body for every route with a body, and for nothing else', () => {
  expect(Object.keys(VALID).sort()).toEqual(bodyRoutes.map((route) => route.operationId).sort());
});

describe.each(bodyRoutes.map((route) => [route.operationId, route] as const))('when API Gateway and the function judge bodies of %s', (name, route) => {
  const model = requestModelSchema(route.body!) as JsonSchemaObject & Schema;
  const validate = ajv.compile(model);
  const valueRules = withValueRules(route);
  // The corpus's mutations along every value rule too, not only along what the model keeps.
  const cases = corpus(name, { ...model, properties: (valueRules.schema as Schema).properties }).map((body) => {
    const gateway = validate(body) === true;
    const fn = (route.body as z.ZodType).safeParse(body).success;
    const looser = LOOSER.find((known) => known.route === name && known.applies(body)) ?? (gateway && valueRules(body) !== true ? 'a value rule left to the function' : undefined);
    return { body, gateway, fn, looser };
  });

  it('accepts the valid body in both', () => {
    expect(cases[0]).toMatchObject({ gateway: true, fn: true });
  });

  it('refuses, with the function, every body of the wrong shape: a wrong type, an unknown field, a missing required one', () => {
    const wrongShape = cases.filter(({ fn, looser }) => !fn && looser === undefined);

    expect(wrongShape.filter(({ gateway }) => gateway)).toEqual([]);
    expect(wrongShape.length).toBeGreaterThan(0);
  });

  it(`gives the same verdict on the other ${cases.length - 1} bodies, but for value rules and the listed places where draft 4 is looser`, () => {
    const disagreements = cases
      .filter(({ gateway, fn, looser }) => looser === undefined && gateway !== fn)
      .map(({ body, gateway, fn }) => `${JSON.stringify(body)}: API Gateway ${gateway ? 'accepts' : 'refuses'}, the function ${fn ? 'accepts' : 'refuses'}`);

    expect(disagreements).toEqual([]);
    expect(cases.filter(({ gateway, fn }) => !gateway && fn)).toEqual([]);
  });
});

it('lists only loosenesses the corpus meets', () => {
  const met = LOOSER.filter((known) => {
    const route: RouteDefinition = routes[known.route];
    const model = requestModelSchema(route.body!) as Schema;
    return corpus(known.route, model).some((body) => known.applies(body) && ajv.validate(model, body) && !(route.body as z.ZodType).safeParse(body).success);
  });

  expect(met).toEqual(LOOSER);
});
