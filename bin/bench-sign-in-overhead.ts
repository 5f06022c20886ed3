// Benchmark section: a sign-in over the local HTTP stack against one bare compare of the same hash, both at the
// deployed bcrypt cost, interleaved: how near the whole request comes to the hash's own cost. The stack hashes new
// passwords at cost 4, so the admin's hash is raised to the deployed cost through the credential port (a stronger
// hash is never re-hashed down at sign-in).
import { ms, printTable, summary, timed, times } from './bench-report';
import { DEPLOYED_BCRYPT_COST } from './bench-hashes';
import { expectStatus, signedInAdmin, type BenchStack, type SignedIn } from './bench-stack';

const ROUNDS = 7;

export interface SignInOverhead {
  readonly signInMs: number;
  readonly bareCompareMs: number;
  /** Sign-in over the stack / one bare compare (medians). */
  readonly ratio: number;
  readonly rounds: number;
}

export async function benchSignInOverhead(stack: BenchStack, master: SignedIn, companyId: string): Promise<SignInOverhead> {
  console.log(`## Sign-in over the local HTTP stack against one bare bcryptjs compare, both at cost ${DEPLOYED_BCRYPT_COST} (medians of ${ROUNDS} interleaved rounds)\n`);
  const admin = await signedInAdmin(stack, master, companyId, `deployed-cost@${companyId}.example`);
  const hasher = stack.hasherAt(DEPLOYED_BCRYPT_COST);
  const record = await stack.directory.admins.get(companyId, admin.adminId);
  const stored = await hasher.hash(admin.password);
  if (record === undefined || !(await stack.directory.credentials.upgradeHash(record, stored))) throw new Error('the admin\'s hash could not be raised to the deployed cost');

  const signIn = async () => expectStatus(await stack.send({ method: 'POST', path: '/sign-in', body: { companyId, email: admin.email, password: admin.password } }), 200, 'a sign-in at the deployed cost');
  const compare = async () => {
    if (!(await hasher.verify(admin.password, stored))) throw new Error('the bare compare did not match');
  };
  await signIn();
  await compare();
  const signIns: number[] = [];
  const compares: number[] = [];
  for (let round = 0; round < ROUNDS; round += 1) {
    // Alternating which goes first, so neither always follows the other.
    const pair = round % 2 === 0 ? [signIn, compare] : [compare, signIn];
    for (const action of pair) (action === signIn ? signIns : compares).push(await timed(action));
  }
  const signInMs = summary(signIns).median;
  const bareCompareMs = summary(compares).median;
  printTable(
    ['what', 'median ms', 'vs bare compare'],
    [
      ['one bare compare in this process (the project\'s hasher)', ms(bareCompareMs), '1.00x'],
      ['POST /sign-in over the local stack, success', ms(signInMs), times(signInMs / bareCompareMs)],
    ],
  );
  return { signInMs, bareCompareMs, ratio: signInMs / bareCompareMs, rounds: ROUNDS };
}
