// Contract: every request and response body of the API as a zod schema. The schemas are the TypeScript types
// (z.infer), the request validators and, through routes.ts, the OpenAPI document: each is written once, here.
import * as z from 'zod';
import { droppable } from './droppable';
import { PASSWORD_STATES, type AdminView } from '../domain/admin';
import { AUDIT_EVENT_TYPES, type AuditEvent } from '../domain/audit';
import type { PasswordPolicySettings as DomainPolicySettings } from '../domain/company';
import { LINK_PURPOSES } from '../domain/ports';
import { ADMIN_ID_PATTERN, TOKEN_PATTERN } from '../domain/tokens';
import type { AuditEventPage } from '../use-cases/audit-log';
import type { PolicyDescription } from '../use-cases/password-rules';
import type { NewPasswordChallenge as DomainChallenge, SessionGrant as DomainSessionGrant } from '../use-cases/sign-in';

// A generous ceiling on any submitted password: the policy's own maximum (128 code points) is judged by the rule
// engine and reported as a rule; this only keeps absurd input away from the hashing work.
const PASSWORD_INPUT_MAX = 1024;

export const CompanyId = /* @__PURE__ */ droppable(() => z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Use 2 to 63 lower-case letters, digits or hyphens.')
  .meta({ description: 'The company (tenant) identifier.', example: 'demo' }));

export const AdminId = /* @__PURE__ */ droppable(() => z.string().regex(ADMIN_ID_PATTERN, 'Not an administrator id.').meta({ description: 'A ULID.' }));

export const Email = /* @__PURE__ */ droppable(() => z.email().max(254).meta({ example: 'admin@demo.example' }));
export const PersonName = /* @__PURE__ */ droppable(() => z
  .string()
  .trim()
  .min(1)
  .max(100)
  .regex(/^[^\p{Cc}\p{Cf}]*$/u, 'Use no control or invisible formatting characters.'));
export const Role = /* @__PURE__ */ droppable(() => z.enum(['master', 'general']).meta({ description: '`master` is the all-rights administrator.' }));
export const AdminStatus = /* @__PURE__ */ droppable(() => z.enum(['active', 'disabled']));
export const Timestamp = /* @__PURE__ */ droppable(() => z.iso.datetime().meta({ id: 'Timestamp', description: 'UTC, ISO 8601.' }));

/** Any password submitted to the API; the policy, not the schema, decides whether a new one is acceptable. */
export const Password = /* @__PURE__ */ droppable(() => z.string().min(1).max(PASSWORD_INPUT_MAX));
export const OpaqueToken = /* @__PURE__ */ droppable(() => z.string().regex(TOKEN_PATTERN, 'Not a token this API issued.'));

/** One reason of an error, such as one broken password rule or one invalid field (named, never its value). */
export const ErrorDetail = /* @__PURE__ */ droppable(() => z
  .object({ code: z.string(), message: z.string(), field: z.string().optional().meta({ description: 'The request field, as a dotted path.' }) })
  .meta({ id: 'ErrorDetail' }));

/** The error envelope of every error answer, with `code` one of `codes` (any string when none are given). */
export const errorEnvelope = (codes?: readonly [string, ...string[]]) =>
  z.object({
    error: z.object({
      code: codes === undefined ? z.string() : z.enum(codes),
      message: z.string().meta({ description: 'A sentence for the person using the client; may change, never switch on it.' }),
      details: z.array(ErrorDetail).optional(),
    }),
  });

export const ErrorBody = /* @__PURE__ */ droppable(() => errorEnvelope());

export const Health = /* @__PURE__ */ droppable(() => z.object({ status: z.literal('ok') }));

/** The body of GET /openapi.json, checked no further than what makes it an OpenAPI 3.1 document. */
export const OpenApiDocument = /* @__PURE__ */ droppable(() => z
  .looseObject({
    openapi: z.string().regex(/^3\.1\.\d+$/),
    info: z.looseObject({ title: z.string(), version: z.string() }),
    paths: z.record(z.string(), z.unknown()),
  })
  .meta({ description: 'An OpenAPI 3.1 document: this one.' }));

/** An administrator as GET shows one: the document's example, and the tests' sample. */
export const ADMIN_EXAMPLE = {
  adminId: '01JD6S2Z9K1V3M8Q4T7W0XYZAB',
  companyId: 'demo',
  email: 'gil@demo.example',
  name: 'Gil',
  role: 'general',
  canChangeOwnPassword: false,
  status: 'active',
  locked: false,
  lockedUntil: null,
  passwordChangedAt: '2026-11-30T09:12:44.000Z',
  passwordState: 'temporary',
  passwordExpiresAt: '2026-12-07T09:12:44.000Z',
  resetLinkSentTo: null,
  lastSignInAt: null,
  createdAt: '2026-11-30T09:02:10.000Z',
  updatedAt: '2026-11-30T09:02:10.000Z',
} as const satisfies AdminView;

/** Shown by GET, and accepted back by writes when unchanged (see README, "Round trips"). */
const readOnly = { readOnly: true } as const;

export const Admin = /* @__PURE__ */ droppable(() => z
  .object({
    adminId: AdminId.meta(readOnly),
    companyId: CompanyId.meta(readOnly),
    email: Email,
    name: z.string(),
    role: Role,
    canChangeOwnPassword: z.boolean().meta({ description: 'The effective right: always true for a master.' }),
    status: AdminStatus.meta({ ...readOnly, description: 'DELETE /admins/{adminId} disables.' }),
    locked: z.boolean().meta({ ...readOnly, description: 'Failed sign-ins locked the account, or one of the addresses it is signed in from (lockedUntil is the latest lock); a master can unlock it at once.' }),
    lockedUntil: Timestamp.nullable().meta(readOnly),
    passwordChangedAt: Timestamp.nullable().meta(readOnly),
    passwordState: z.enum(PASSWORD_STATES).meta({
      ...readOnly,
      description:
        '`set`: his own password. `temporary`: a master\'s temporary password, to be replaced at sign-in before passwordExpiresAt. ' +
        '`reset-link`: no password; the reset or set-up link sent to resetLinkSentTo sets one before passwordExpiresAt. ' +
        '`expired`: that temporary password or link lapsed at passwordExpiresAt; a master sets a new one or sends a new link. ' +
        '`none`: no password and no link (a set-up email that could not be sent).',
    }),
    passwordExpiresAt: Timestamp.nullable().meta({ ...readOnly, description: 'When the temporary password or the link stops working; null for `set` and `none`.' }),
    resetLinkSentTo: Email.nullable().meta({ ...readOnly, description: 'Where the pending (or lapsed) reset or set-up link went: the registered address or one the master typed.' }),
    lastSignInAt: Timestamp.nullable().meta({ ...readOnly, description: 'When a session was last opened for him; null if never.' }),
    createdAt: Timestamp.meta(readOnly),
    updatedAt: Timestamp.meta(readOnly),
  })
  .meta({
    id: 'Admin',
    examples: [ADMIN_EXAMPLE],
  }));

/** The fields of Admin a write takes back unchanged and ignores: everything but what PATCH /admins/{adminId} edits. */
const AdminReadOnlyFields = /* @__PURE__ */ droppable(() => Admin.pick({
  adminId: true,
  companyId: true,
  status: true,
  locked: true,
  lockedUntil: true,
  passwordChangedAt: true,
  passwordState: true,
  passwordExpiresAt: true,
  resetLinkSentTo: true,
  lastSignInAt: true,
  createdAt: true,
  updatedAt: true,
}).partial().shape);

const composition = (what: string) =>
  z.boolean().meta({ description: `Require ${what}. A composition rule: NIST SP 800-63B and OWASP ASVS advise against it.` });

const LOCKOUT_RANGE = 'Use 0 (off) or 3 to 100.';

/** The settings a master may edit, with the ranges the operator allows. */
export const PasswordPolicySettings = /* @__PURE__ */ droppable(() => z
  .strictObject({
    minLength: z.number().int().min(8).max(128).meta({ description: 'Code points after NFKC. NIST SP 800-63B rev 4 asks 15.' }),
    requireUppercase: composition('an upper-case letter'),
    requireLowercase: composition('a lower-case letter'),
    requireDigit: composition('a digit'),
    requireSymbol: composition('a symbol or space'),
    blockCommonPasswords: z.boolean().meta({ description: 'Refuse common and breached passwords; only the service operator can switch it off.' }),
    blockPersonalInfo: z.boolean().meta({ description: "Refuse the email, its local part, the admin's name, the company's name or id." }),
    minGuessScore: z
      .number()
      .int()
      .min(0)
      .max(4)
      .meta({ description: "Refuse passwords zxcvbn scores below this (0 to 4: 3 is 'safely unguessable'); 0 switches the rule off." }),
    historyCount: z.number().int().min(0).max(24).meta({ description: 'How many previous passwords may not be reused.' }),
    maxAgeDays: z.number().int().min(0).max(3650).meta({ description: '0: passwords never expire (NIST and ASVS advise against expiry).' }),
    // A union rather than a refinement, so the JSON Schema of the document and of API Gateway's model say it too.
    lockoutThreshold: z
      .union([z.literal(0), z.number().int().min(3, LOCKOUT_RANGE).max(100, LOCKOUT_RANGE)], { error: LOCKOUT_RANGE })
      .meta({ description: 'Consecutive failures that lock the account; 0 is off.' }),
    lockoutMinutes: z.number().int().min(1).max(1440),
    temporaryPasswordValidityDays: z.number().int().min(1).max(30),
  })
  .meta({ id: 'PasswordPolicySettings' }));

const MaxLength = /* @__PURE__ */ droppable(() => z.number().int().meta({ ...readOnly, description: 'Always 128; not a setting.' }));

export const PasswordPolicyValues = /* @__PURE__ */ droppable(() => PasswordPolicySettings.extend({ maxLength: MaxLength }).meta({ id: 'PasswordPolicyValues' }));

/**
 * The body of PUT /company/password-policy: the settings. The `policy` of GET /company/password-policy may be sent
 * back as it is, so a client can read, change one field and write back: its read-only `maxLength` is accepted when
 * it still has the value shown, and ignored.
 */
export const PasswordPolicyUpdate = /* @__PURE__ */ droppable(() => PasswordPolicySettings.extend({ maxLength: MaxLength.optional() })
  .transform(({ maxLength, ...settings }) => ({ settings, unchanged: maxLength === undefined ? {} : { maxLength } }))
  .meta({ id: 'PasswordPolicyUpdate' }));

export const PolicyRule = /* @__PURE__ */ droppable(() => z.object({ code: z.string(), message: z.string() }));

export const PasswordPolicy = /* @__PURE__ */ droppable(() => z
  .object({ policy: PasswordPolicyValues, rules: z.array(PolicyRule) })
  .meta({ id: 'PasswordPolicy', description: 'The policy in force and its rules as the password screens show them.' }));

export const CompanyPasswordPolicy = /* @__PURE__ */ droppable(() => z
  .object({
    policy: PasswordPolicyValues,
    editable: z.boolean().meta({ description: 'Whether the caller may change it: a master of a company the operator enabled the feature for.' }),
    rules: z.array(PolicyRule),
  })
  .meta({ id: 'CompanyPasswordPolicy' }));

export const SignInRequest = /* @__PURE__ */ droppable(() => z.strictObject({ companyId: CompanyId, email: Email, password: Password }));

export const SessionGrant = /* @__PURE__ */ droppable(() => z
  .object({ sessionToken: OpaqueToken, expiresAt: Timestamp, admin: Admin })
  .meta({ id: 'SessionGrant', description: 'Send the token as `Authorization: Bearer <sessionToken>`.' }));

export const NewPasswordChallenge = /* @__PURE__ */ droppable(() => z
  .object({
    challenge: z.literal('NEW_PASSWORD_REQUIRED'),
    reason: z.enum(['TEMPORARY_PASSWORD', 'PASSWORD_EXPIRED']),
    challengeToken: OpaqueToken,
    passwordPolicy: PasswordPolicy,
  })
  .meta({ id: 'NewPasswordChallenge' }));

export const SignInResponse = /* @__PURE__ */ droppable(() => z.union([SessionGrant, NewPasswordChallenge]));

export const AnswerChallengeRequest = /* @__PURE__ */ droppable(() => z.strictObject({ challengeToken: OpaqueToken, newPassword: Password }));

export const ChangeOwnPasswordRequest = /* @__PURE__ */ droppable(() => z.strictObject({ currentPassword: Password, newPassword: Password }));

export const AdminPathParams = /* @__PURE__ */ droppable(() => z.strictObject({ adminId: AdminId }));

export const ListAdminsQuery = /* @__PURE__ */ droppable(() => z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(200).optional(),
}));

export const AdminList = /* @__PURE__ */ droppable(() => z.object({ items: z.array(Admin), nextCursor: z.string().nullable() }));

const NewAdminFields = /* @__PURE__ */ droppable(() => ({
  email: Email,
  name: PersonName,
  role: Role.default('general'),
  canChangeOwnPassword: z.boolean().default(false),
}));

/**
 * The body of POST /admins. His first password comes one of two ways: the master's temporary password, or a set-up
 * link emailed to him (`sendSetUpLink`), as the operator's new company's first master gets one. A union rather than
 * a refinement, so the JSON Schema of the document and of API Gateway's model say it too.
 */
export const CreateAdminRequest = /* @__PURE__ */ droppable(() => z
  .union([
    z.strictObject({
      ...NewAdminFields,
      temporaryPassword: Password.meta({ description: 'A temporary password he must replace at his first sign-in.' }),
    }),
    z.strictObject({
      ...NewAdminFields,
      sendSetUpLink: z.literal(true).meta({
        description:
          'Email him a single-use link to set his own password, valid as long as a reset link, instead of a temporary password. It counts in the limits of reset emails.',
      }),
    }),
  ])
  .meta({ description: 'Either `temporaryPassword` or `sendSetUpLink: true`.' }));

const ProfileChange = /* @__PURE__ */ droppable(() => ({
  name: PersonName.optional(),
  email: Email.optional(),
  role: Role.optional(),
  canChangeOwnPassword: z.boolean().optional(),
}));
const PROFILE_CHANGE_FIELDS = /* @__PURE__ */ droppable(() => Object.keys(ProfileChange) as (keyof typeof ProfileChange)[]);

/**
 * The body of PATCH /admins/{adminId}: the fields to change. An Admin as GET shows it may be sent back, edited: its
 * read-only fields are accepted when they still have the values shown, and ignored.
 */
export const UpdateAdminRequest = /* @__PURE__ */ droppable(() => z
  .strictObject({ ...ProfileChange, ...AdminReadOnlyFields })
  .refine((change) => PROFILE_CHANGE_FIELDS.some((field) => change[field] !== undefined), {
    message: 'Send at least one of name, email, role, canChangeOwnPassword.',
  })
  .transform((body) => {
    const change: { -readonly [K in keyof typeof ProfileChange]?: z.output<(typeof ProfileChange)[K]> } = {};
    const unchanged: Record<string, unknown> = {};
    for (const [field, value] of Object.entries(body)) {
      if (value === undefined) continue;
      if (field in ProfileChange) Object.assign(change, { [field]: value });
      else unchanged[field] = value;
    }
    return { change, unchanged: unchanged as Partial<z.output<typeof Admin>> };
  }));

export const SetTemporaryPasswordRequest = /* @__PURE__ */ droppable(() => z.strictObject({ temporaryPassword: Password }));

export const PasswordResetRequest = /* @__PURE__ */ droppable(() => z.strictObject({
  email: Email.optional().meta({ description: "Where to send the link; the administrator's registered address when absent." }),
}));

export const PasswordResetSent = /* @__PURE__ */ droppable(() => z.object({ sentTo: Email, expiresAt: Timestamp }));

// Any string is accepted here: an ill-formed token gets the same 410 as an unknown one, and counts as a miss.
const LinkToken = /* @__PURE__ */ droppable(() => z.string().min(1).max(256).meta({ description: 'The token from the link\'s fragment (#token=…).' }));

export const ResetLinkToken = /* @__PURE__ */ droppable(() => z.strictObject({ token: LinkToken }));

export const PasswordResetDetails = /* @__PURE__ */ droppable(() => z.object({
  purpose: z.enum(LINK_PURPOSES).meta({
    description:
      'What the link is for. `set-up`: the first password of an account that has none yet (a new company\'s first master, an invited administrator); ' +
      'the screen says "Set your password". `reset`: a new password after a reset; the screen says "Reset your password".',
  }),
  email: Email,
  companyId: CompanyId,
  companyName: z.string(),
  expiresAt: Timestamp,
  passwordPolicy: PasswordPolicy,
}));

export const CompletePasswordResetRequest = /* @__PURE__ */ droppable(() => z.strictObject({ token: LinkToken, newPassword: Password, confirmPassword: Password }));

export const AuditEventType = /* @__PURE__ */ droppable(() => z.enum(AUDIT_EVENT_TYPES).meta({ id: 'AuditEventType' }));

export const ListAuditEventsQuery = /* @__PURE__ */ droppable(() => z
  .strictObject({
    limit: z.coerce.number().int().min(1).max(100).default(50),
    cursor: z.string().min(1).max(200).optional().meta({ description: 'The `nextCursor` of the previous page, sent with the same filters.' }),
    adminId: AdminId.optional().meta({ description: 'Only the events about this admin: those done to him, and those he did that concern nobody else.' }),
    type: AuditEventType.optional().meta({ description: 'Only the events of this type.' }),
    from: Timestamp.optional().meta({ description: 'Only the events at or after this time (UTC, ISO 8601).' }),
    to: Timestamp.optional().meta({ description: 'Only the events at or before this time (UTC, ISO 8601).' }),
  })
  .refine((query) => query.from === undefined || query.to === undefined || Date.parse(query.from) <= Date.parse(query.to), {
    path: ['to'],
    message: 'Use a time at or after `from`.',
  }));

export const AuditEventSchema = /* @__PURE__ */ droppable(() => z
  .object({
    eventId: z.string(),
    companyId: CompanyId,
    type: AuditEventType,
    outcome: z.enum(['success', 'failure']),
    at: Timestamp,
    actorAdminId: z.string().nullable().meta({ description: 'Null for the service operator or an anonymous caller.' }),
    targetAdminId: z.string().nullable(),
    sourceIp: z.string().nullable(),
    userAgent: z.string().nullable(),
    details: z.record(z.string(), z.union([z.string(), z.number(), z.boolean(), z.null()])),
  })
  .meta({ id: 'AuditEvent' }));

export const AuditAdminName = /* @__PURE__ */ droppable(() => z
  .object({ adminId: AdminId, name: z.string(), email: z.string() })
  .meta({ id: 'AuditAdminName', description: 'An admin an event of the page mentions, as the log names him.' }));

export const AuditEventList = /* @__PURE__ */ droppable(() => z.object({
  items: z.array(AuditEventSchema),
  nextCursor: z.string().nullable(),
  admins: z.array(AuditAdminName).meta({
    description: 'Every admin of the company the events of this page mention (actor, subject, the master who sent a reset link); an id missing here belongs to no admin of the company.',
  }),
}));

// The use cases speak in domain types; these compile-time checks keep each response schema and the domain type it
// serializes identical, so neither can drift from the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape = <A, B>(proof: Same<A, B>): Same<A, B> => proof;
sameShape<z.output<typeof Admin>, AdminView>(true);
sameShape<z.output<typeof PasswordPolicy>, PolicyDescription>(true);
sameShape<z.output<typeof SessionGrant>, DomainSessionGrant>(true);
sameShape<z.output<typeof NewPasswordChallenge>, DomainChallenge>(true);
sameShape<z.output<typeof AuditEventSchema>, AuditEvent>(true);
sameShape<z.output<typeof AuditEventList>, AuditEventPage>(true);
sameShape<z.output<typeof PasswordPolicySettings>, DomainPolicySettings>(true);
