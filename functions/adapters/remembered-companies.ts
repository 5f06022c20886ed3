// Adapter: what one container remembers of the companies it read a moment ago. A sign-in needs its company's
// password policy (the lockout rule, the maximum age) and would otherwise spend one request of its three on it for
// every attempt; a policy is changed rarely and read on every sign-in. The price is stated in the README ("Requests
// per route"): a policy change reaches a warm sign-in container at most COMPANY_MEMORY_SECONDS late. Only
// companies that exist are kept, so made-up company ids cannot fill the memory, and it holds a bounded number.
import type { Clock, CompanyStore } from '../domain/ports';

/** How long a container may use a company it read, before it reads it again. */
export const COMPANY_MEMORY_SECONDS = 5;

/** Companies one container keeps at most; the oldest read is forgotten first. */
const COMPANY_MEMORY_CAPACITY = 1_000;

export function rememberedCompanies(store: Pick<CompanyStore, 'get'>, clock: Clock): Pick<CompanyStore, 'get'> {
  const remembered = new Map<string, { readonly company: Awaited<ReturnType<CompanyStore['get']>>; readonly readAt: number }>();
  return {
    async get(companyId) {
      const now = clock.now().getTime();
      const kept = remembered.get(companyId);
      if (kept !== undefined && now - kept.readAt < COMPANY_MEMORY_SECONDS * 1000) return kept.company;
      const company = await store.get(companyId);
      remembered.delete(companyId);
      if (company !== undefined) {
        remembered.set(companyId, { company, readAt: now });
        if (remembered.size > COMPANY_MEMORY_CAPACITY) remembered.delete(remembered.keys().next().value!);
      }
      return company;
    },
  };
}
