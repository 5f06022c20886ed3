// Contract: every request and response body of the API as a zod schema. The schemas are the TypeScript types
// (z.infer), the request validators and, through routes.ts, the OpenAPI document: each is written once, here.
import { z } from 'zod';
import type { AdminView } from '../domain/admin';
import { ADMIN_ID_PATTERN, TOKEN_PATTERN } from '../domain/tokens';
import type { PolicyDescription } from '../use-cases/password-rules';
import type { NewPasswordChallenge as DomainChallenge, SessionGrant as DomainSessionGrant } from '../use-cases/sign-in';

// A generous ceiling on any submitted password: the policy's own maximum (128 code points) is judged by the rule
// engine and reported as a rule; this only keeps absurd input away from the hashing work.
const PASSWORD_INPUT_MAX = 1024;

export const CompanyId = z
  .string()
  .regex(/^[a-z0-9][a-z0-9-]{1,62}$/, 'Use 2 to 63 lower-case letters, digits or hyphens.')
  .meta({ description: 'The company (tenant) identifier.', example: 'demo' });

export const AdminId = z.string().regex(ADMIN_ID_PATTERN, 'Not an administrator id.').meta({ description: 'A ULID.' });

export const Email = z.email().max(254).meta({ example: 'admin@demo.example' });
export const PersonName = z.string().trim().min(1).max(100);
export const Role = z.enum(['master', 'general']).meta({ description: '`master` is the all-rights administrator.' });
export const AdminStatus = z.enum(['active', 'disabled']);
export const Timestamp = z.iso.datetime().meta({ description: 'UTC, ISO 8601.' });

/** Any password submitted to the API; the policy, not the schema, decides whether a new one is acceptable. */
export const Password = z.string().min(1).max(PASSWORD_INPUT_MAX);
export const OpaqueToken = z.string().regex(TOKEN_PATTERN, 'Not a token this API issued.');

export const ErrorBody = z
  .object({
    error: z.object({
      code: z.string(),
      message: z.string(),
      details: z
        .array(z.object({ code: z.string(), message: z.string(), field: z.string().optional() }))
        .optional(),
    }),
  })
  .meta({ id: 'Error' });

export const Health = z.object({ status: z.literal('ok') });

export const Admin = z
  .object({
    adminId: AdminId,
    companyId: CompanyId,
    email: Email,
    name: z.string(),
    role: Role,
    canChangeOwnPassword: z.boolean().meta({ description: 'The effective right: always true for a master.' }),
    status: AdminStatus,
    passwordChangedAt: Timestamp.nullable(),
    createdAt: Timestamp,
    updatedAt: Timestamp,
  })
  .meta({ id: 'Admin' });

export const PasswordPolicy = z
  .object({
    policy: z.object({ minLength: z.number().int(), maxLength: z.number().int(), blockPersonalInfo: z.boolean() }),
    rules: z.array(z.object({ code: z.string(), message: z.string() })),
  })
  .meta({ id: 'PasswordPolicy', description: 'The policy in force and its rules as the password screens show them.' });

export const SignInRequest = z.strictObject({ companyId: CompanyId, email: Email, password: Password });

export const SessionGrant = z
  .object({ sessionToken: OpaqueToken, expiresAt: Timestamp, admin: Admin })
  .meta({ id: 'SessionGrant', description: 'Send the token as `Authorization: Bearer <sessionToken>`.' });

export const NewPasswordChallenge = z
  .object({
    challenge: z.literal('NEW_PASSWORD_REQUIRED'),
    reason: z.enum(['TEMPORARY_PASSWORD', 'PASSWORD_EXPIRED']),
    challengeToken: OpaqueToken,
    passwordPolicy: PasswordPolicy,
  })
  .meta({ id: 'NewPasswordChallenge' });

export const SignInResponse = z.union([SessionGrant, NewPasswordChallenge]);

export const AnswerChallengeRequest = z.strictObject({ challengeToken: OpaqueToken, newPassword: Password });

export const ChangeOwnPasswordRequest = z.strictObject({ currentPassword: Password, newPassword: Password });

export const AdminPathParams = z.strictObject({ adminId: AdminId });

export const ListAdminsQuery = z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(25),
  cursor: z.string().min(1).max(200).optional(),
});

export const AdminList = z.object({ items: z.array(Admin), nextCursor: z.string().nullable() });

export const CreateAdminRequest = z.strictObject({
  email: Email,
  name: PersonName,
  role: Role.default('general'),
  canChangeOwnPassword: z.boolean().default(false),
  temporaryPassword: Password,
});

export const UpdateAdminRequest = z
  .strictObject({
    name: PersonName.optional(),
    email: Email.optional(),
    role: Role.optional(),
    canChangeOwnPassword: z.boolean().optional(),
  })
  .refine((change) => Object.values(change).some((value) => value !== undefined), {
    message: 'Send at least one of name, email, role, canChangeOwnPassword.',
  });

export const SetTemporaryPasswordRequest = z.strictObject({ temporaryPassword: Password });

export const PasswordResetRequest = z.strictObject({
  email: Email.optional().meta({ description: "Where to send the link; the administrator's registered address when absent." }),
});

export const PasswordResetSent = z.object({ sentTo: Email, expiresAt: Timestamp });

// Any string is accepted here: an ill-formed token gets the same 410 as an unknown one, and counts as a miss.
const LinkToken = z.string().min(1).max(256).meta({ description: 'The token from the link\'s fragment (#token=…).' });

export const ResetLinkToken = z.strictObject({ token: LinkToken });

export const PasswordResetDetails = z.object({
  email: Email,
  companyName: z.string(),
  expiresAt: Timestamp,
  passwordPolicy: PasswordPolicy,
});

export const CompletePasswordResetRequest = z.strictObject({ token: LinkToken, newPassword: Password, confirmPassword: Password });

// The use cases speak in domain types; these compile-time checks keep each response schema and the domain type it
// serializes identical, so neither can drift from the other.
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape = <A, B>(proof: Same<A, B>): Same<A, B> => proof;
sameShape<z.output<typeof Admin>, AdminView>(true);
sameShape<z.output<typeof PasswordPolicy>, PolicyDescription>(true);
sameShape<z.output<typeof SessionGrant>, DomainSessionGrant>(true);
sameShape<z.output<typeof NewPasswordChallenge>, DomainChallenge>(true);
