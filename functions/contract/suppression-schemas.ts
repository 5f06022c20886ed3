// Contract: the bodies and parameters of the suppressed-address routes, as zod schemas (kept beside schemas.ts so
// the routes of this feature are declared without touching the shared ones).
import * as z from 'zod';
import { MAIL_PURPOSES, SUPPRESSION_REASONS, type DeliverySuppression } from '../domain/delivery';
import { droppable } from './droppable';
import { CompanyId, Email, Timestamp } from './schemas';

/**
 * An address in a path. API Gateway's REST proxy hands path parameters over still percent-encoded (`%40`), the local
 * server decoded; an address never holds a `%`, so one is decoded here, once.
 */
const EmailInPath = /* @__PURE__ */ droppable(() => z.preprocess((value) => {
  if (typeof value !== 'string' || !value.includes('%')) return value;
  try {
    return decodeURIComponent(value);
  } catch {
    return value;
  }
}, Email));

export const SuppressedAddressPathParams = /* @__PURE__ */ droppable(() => z.strictObject({ email: EmailInPath }));

export const ListSuppressedAddressesQuery = /* @__PURE__ */ droppable(() => z.strictObject({
  limit: z.coerce.number().int().min(1).max(100).default(50),
  cursor: z.string().min(1).max(400).optional(),
}));

export const SuppressedAddress = /* @__PURE__ */ droppable(() => z
  .object({
    companyId: CompanyId,
    email: z.string().meta({ description: 'The address, lower-cased.' }),
    reason: z.enum(SUPPRESSION_REASONS).meta({ description: '`bounce`: SES reported a permanent bounce; `complaint`: the recipient marked an email as spam.' }),
    detail: z.string().nullable().meta({ description: "SES's bounce sub-type or complaint feedback type, when it gave one." }),
    purpose: z.enum(MAIL_PURPOSES).nullable().meta({ description: 'Why the email that bounced was sent.' }),
    feedbackId: z.string(),
    messageId: z.string(),
    suppressedAt: Timestamp,
  })
  .meta({ id: 'SuppressedAddress' }));

export const SuppressedAddressList = /* @__PURE__ */ droppable(() => z.object({ items: z.array(SuppressedAddress), nextCursor: z.string().nullable() }));

type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const sameShape = <A, B>(proof: Same<A, B>): Same<A, B> => proof;
sameShape<z.output<typeof SuppressedAddress>, DeliverySuppression>(true);
