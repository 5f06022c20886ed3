// Unit tests of a container's memory of companies (functions/adapters/remembered-companies.ts), on a fixed clock.
import { COMPANY_MEMORY_SECONDS, rememberedCompanies } from '../../functions/adapters/remembered-companies';
import { COMPANY, FixedClock, companyRecord } from '../domain/fakes';

function store() {
  const reads: string[] = [];
  const companies = new Map([[COMPANY, companyRecord()]]);
  return { reads, get: async (companyId: string) => (reads.push(companyId), companies.get(companyId)), companies };
}

describe('when the sign-in reads its company again and again', () => {
  it('reads it once per COMPANY_MEMORY_SECONDS, and sees a change made meanwhile only after that', async () => {
    // Prepare
    const clock = new FixedClock();
    const stored = store();
    const remembered = rememberedCompanies(stored, clock);
    await remembered.get(COMPANY);
    stored.companies.set(COMPANY, companyRecord({ name: 'Renamed' }));

    // Act
    clock.advanceMinutes((COMPANY_MEMORY_SECONDS - 1) / 60);
    const within = await remembered.get(COMPANY);
    clock.advanceMinutes(1 / 60);
    const after = await remembered.get(COMPANY);

    // Assess
    expect(within?.name).not.toBe('Renamed');
    expect(after?.name).toBe('Renamed');
    expect(stored.reads).toEqual([COMPANY, COMPANY]);
  });

  it('never keeps a company that does not exist, so made-up ids are read each time and fill no memory', async () => {
    // Prepare
    const stored = store();
    const remembered = rememberedCompanies(stored, new FixedClock());

    // Act
    const answers = [await remembered.get('made-up'), await remembered.get('made-up')];

    // Assess
    expect(answers).toEqual([undefined, undefined]);
    expect(stored.reads).toEqual(['made-up', 'made-up']);
  });
});
