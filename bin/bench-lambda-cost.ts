// Benchmark section: a model, not a measurement, of what a million sign-ins cost on Lambda with each hash scheme, at
// the memory size the stack gives the sign-in function and at a few others, so each function's memory can be chosen
// from the measured hash times. Lambda's prices: arm64 (the stack's architecture, lib/api-function.ts) in us-east-1,
// before any free tier or savings plan. The hash times are this machine's; a Graviton core is not one of its cores,
// so the dollars are an estimate and the ratios between schemes and sizes are what the model is for.
import { DEPLOYED_BCRYPT_COST, type HashResults } from './bench-hashes';
import { ms, printTable } from './bench-report';

/** Lambda's duration price per GB-second and request price per million (arm64, us-east-1). */
export const LAMBDA_PRICE = { perGbSecond: 0.0000133334, perMillionRequests: 0.2, where: 'arm64, us-east-1' } as const;
/** Lambda gives a function CPU in proportion to its memory: 1,769 MB is one full vCPU. */
export const ONE_VCPU_MB = 1769;
/** Sizes the table shows besides the stack's own: the smallest sensible for bcrypt, a round one, one vCPU, the old console maximum. */
const MEMORY_SIZES_MB = [512, 1024, ONE_VCPU_MB, 3008];

/** The schemes the model prices: the project's two, and native bcrypt for reference (the project does not offer it). */
export const LAMBDA_SCHEMES = {
  bcryptjs: `bcryptjs cost ${DEPLOYED_BCRYPT_COST} (default)`,
  argon2id: 'argon2id (OWASP minimum)',
  native: `native bcrypt cost ${DEPLOYED_BCRYPT_COST} (reference only)`,
} as const;

export interface LambdaCostRow {
  readonly scheme: string;
  readonly memoryMb: number;
  readonly modelledDurationMs: number;
  readonly dollarsPerMillion: number;
}

/**
 * A sign-in's billed duration at a memory size: the hash is CPU work on one thread, so below one vCPU it takes
 * 1769/memory times as long as on the full core it was measured on, and above one vCPU no less (a second vCPU does
 * not speed up one thread); the rest of the sign-in (mostly waiting for DynamoDB) is added unscaled.
 */
export const modelledDurationMs = (hashMs: number, restMs: number, memoryMb: number): number => hashMs * Math.max(1, ONE_VCPU_MB / memoryMb) + restMs;

/** Dollars per million invocations of that duration at that memory (GB-seconds use memory/1024, as Lambda bills). */
export const dollarsPerMillion = (durationMs: number, memoryMb: number): number =>
  1_000_000 * (memoryMb / 1024) * (durationMs / 1000) * LAMBDA_PRICE.perGbSecond + LAMBDA_PRICE.perMillionRequests;

/**
 * Prints and returns the modelled cost per million sign-ins of each scheme at each memory size (the stack's
 * sign-in memory among them), given the measured hashes and `restMs`, the part of a sign-in that is not the hash.
 */
export function benchLambdaCost(hashes: HashResults, restMs: number, signInMemoryMb: number): LambdaCostRow[] {
  // One verify each, measured here on one full core: the project's calls, and native bcrypt's thread-pool verify.
  const schemes = [
    { scheme: LAMBDA_SCHEMES.bcryptjs, hashMs: hashes.byKey.bcryptjsAsync.medianMs },
    { scheme: LAMBDA_SCHEMES.argon2id, hashMs: hashes.byKey.argon2id.medianMs },
    { scheme: LAMBDA_SCHEMES.native, hashMs: hashes.byKey.nativeAsync.medianMs },
  ];
  const sizes = [...new Set([...MEMORY_SIZES_MB, signInMemoryMb])].sort((a, b) => a - b);
  console.log(`## Lambda cost per million sign-ins: a MODEL from the hashes measured above (${LAMBDA_PRICE.where})\n`);
  console.log(
    [
      `Lambda's CPU share is proportional to memory (${ONE_VCPU_MB} MB = one vCPU), so a hash measured here on one full core`,
      `takes ${ONE_VCPU_MB}/memory times as long below ${ONE_VCPU_MB} MB, and no less above it (one thread). Duration = hash x`,
      `max(1, ${ONE_VCPU_MB}/memory) + ${ms(restMs)} ms for the rest of the sign-in (measured at bcrypt cost 4 over the local`,
      `stack, unscaled); cost = memory/1024 GB x duration x $${LAMBDA_PRICE.perGbSecond} per GB-s + $${LAMBDA_PRICE.perMillionRequests} per million requests.`,
      `Cold starts, the 1 ms billing granularity and DynamoDB's own price are left out. The stack gives sign-in ${signInMemoryMb} MB (*).`,
    ].join('\n') + '\n',
  );
  const rows: LambdaCostRow[] = schemes.flatMap((scheme) =>
    sizes.map((memoryMb) => {
      const duration = modelledDurationMs(scheme.hashMs, restMs, memoryMb);
      return { scheme: scheme.scheme, memoryMb, modelledDurationMs: duration, dollarsPerMillion: dollarsPerMillion(duration, memoryMb) };
    }),
  );
  printTable(
    ['scheme', 'memory MB', 'modelled duration ms', '$ per million sign-ins'],
    rows.map((row) => [row.scheme, `${row.memoryMb}${row.memoryMb === signInMemoryMb ? ' (*)' : ''}`, ms(row.modelledDurationMs), row.dollarsPerMillion.toFixed(2)]),
  );
  return rows;
}
