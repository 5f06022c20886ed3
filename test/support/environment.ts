// Runs before every test file: the configuration the handlers read when the handler tier imports them. The local
// server's functions get theirs from the template (local/function-environment.ts) and take from here only the pepper,
// BCRYPT_COST, the log level and the reset tuning. The pepper and the low bcrypt cost are for tests only; the table
// names and endpoints of the shared DynamoDB Local come from the global setup.
process.env.PASSWORD_PEPPER ??= 'test-pepper-0123456789abcdef0123456789abcdef';
process.env.BCRYPT_COST ??= '4';
process.env.AWS_REGION ??= 'us-east-1';
process.env.AWS_ACCESS_KEY_ID ??= 'local';
process.env.AWS_SECRET_ACCESS_KEY ??= 'local';
process.env.POWERTOOLS_LOG_LEVEL ??= 'SILENT';
process.env.DIRECTORY_TABLE ??= 'adminpass-directory';
process.env.SESSIONS_TABLE ??= 'adminpass-sessions';
process.env.TOKENS_TABLE ??= 'adminpass-tokens';
process.env.AUDIT_TABLE ??= 'adminpass-audit';
process.env.IDEMPOTENCY_TABLE ??= 'adminpass-idempotency';
// No test reaches the internet: the breached-password check stays off (the default) unless a test points it at its
// stand-in (test/support/pwned-passwords-stand-in.ts), whatever the shell that runs the suite has set.
delete process.env.PWNED_PASSWORDS_URL;
delete process.env.PWNED_PASSWORDS_TIMEOUT_MS;
process.env.SENDER_EMAIL ??= 'adminpass@localhost.localdomain';
process.env.PUBLIC_BASE_URL ??= 'http://127.0.0.1:3000';
// Every HTTP test comes from 127.0.0.1: the suite's deliberate misses must not add up to a 429 for other files.
process.env.RESET_LINK_MAX_MISSES ??= '10000';
// The reset limits of the suite's many resets of one company and master; test/integration/reset-limits.test.ts
// sets the deployed defaults for its own server.
process.env.RESETS_PER_MASTER_PER_HOUR ??= '10000';
process.env.RESETS_PER_TARGET_PER_HOUR ??= '10000';
process.env.RESETS_PER_COMPANY_PER_DAY ??= '10000';
